"""`make setup` finds any Python 3.11 or newer on PATH, whatever its name, and says so when there is none."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAKE = shutil.which("make")
pytestmark = pytest.mark.skipif(MAKE is None, reason="make is not installed")


def chosen_python(bin_dir: Path) -> str:
    """The PYTHON the Makefile picks with only `bin_dir` on PATH."""
    done = subprocess.run(
        [str(MAKE), "-s", "-n", "-p", "-f", str(ROOT / "Makefile"), "--no-builtin-rules", "-q", "clean"],
        env={**os.environ, "PATH": str(bin_dir)},
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    found = [line for line in done.stdout.splitlines() if line.startswith("PYTHON :=")]
    return found[0].removeprefix("PYTHON :=").strip() if found else ""


def test_a_python3_of_3_11_or_newer_is_found_without_python3_11_by_name(tmp_path: Path) -> None:
    (tmp_path / "python3").symlink_to(sys.executable)
    too_old = tmp_path / "python3.13"  # answers like a Python older than 3.11 would to the version check
    too_old.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    too_old.chmod(0o755)
    assert chosen_python(tmp_path) == "python3"


def test_no_python_at_all_is_said_with_how_to_name_one(tmp_path: Path) -> None:
    assert chosen_python(tmp_path) == ""
    done = subprocess.run(
        [str(MAKE), "-s", "-f", str(ROOT / "Makefile"), "PYTHON=", f"VENV={tmp_path / 'venv'}", "setup"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode != 0
    assert "no Python 3.11 or newer on PATH" in done.stderr
    assert "PYTHON=/path/to/python3.12" in done.stderr
