"""Fake `terraform` and `gcloud` commands on PATH for the deploy scripts' tests: each is the same
Python script (the test's), which logs its command line and standard input to `calls.jsonl` in a
state folder and answers from files there."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

import pytest

TOOLS = ("terraform", "gcloud")


class CallLog:
    """The state folder the fakes share, and the calls they logged there."""

    def __init__(self, root: Path) -> None:
        self.state = root / "state"
        self.state.mkdir()

    def calls(self) -> list[dict[str, Any]]:
        path = self.state / "calls.jsonl"
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        return [json.loads(line) for line in lines]

    def commands(self) -> list[str]:
        return [" ".join(call["argv"]) for call in self.calls()]


def install(script: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Put `script` (a template with `{python}` for its interpreter) on PATH as each tool, its
    state folder at `tmp_path/state` (made by CallLog)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in TOOLS:
        path = bin_dir / name
        path.write_text(script.format(python=sys.executable), encoding="utf-8")
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_STATE", str(tmp_path / "state"))


def never_asked(prompt: str) -> str:
    raise AssertionError(f"asked {prompt!r} although nothing should be asked")
