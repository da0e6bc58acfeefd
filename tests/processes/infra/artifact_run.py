"""The deploy artifact run as Cloud Functions runs it: unpacked, functions-framework started from a
virtual environment holding only the artifact's requirements.txt, on the sandbox Ogust."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from ogust_sandbox import Sandbox
from scripts.processes import Child, NotAnswering, free_port, wait_until_answered

ROOT = Path(__file__).resolve().parents[3]
VENVS = ROOT / ".venv-artifact"


@contextlib.contextmanager
def run_artifact(
    artifact: Path, tmp_path: Path, target: str, sandbox: Sandbox, settings: dict[str, str]
) -> Iterator[tuple[str, Path]]:
    """`target` of the zip `artifact` served on a free port with the sandbox's Ogust settings and
    `settings`: (its URL, its log file). The test fails with the log's end if it does not start."""
    source = tmp_path / "source"
    with zipfile.ZipFile(artifact) as archive:
        archive.extractall(source)
        venv = _artifact_venv(archive.read("requirements.txt"))
    port = free_port()
    env = {
        "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
        **sandbox.settings,
        "MAPPING_FILE": "mapping.yaml",
        **settings,
    }
    command = [str(venv / "bin" / "functions-framework"), "--target", target]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    log_path = tmp_path / f"{target}.log"
    url = f"http://127.0.0.1:{port}/"
    with log_path.open("wb") as log, Child.spawn(command, env, url, cwd=source, output=log) as child:
        try:
            wait_until_answered(child, interval=0.2)
        except NotAnswering as exc:
            output = log_path.read_text(errors="replace")
            pytest.fail(f"the artifact's {target} did not start ({exc}):\n{output[-3000:]}")
        yield child.url, log_path


def _artifact_venv(requirements: bytes) -> Path:
    """A venv with only the artifact's requirements, cached by their hash (and the interpreter's version)."""
    key = hashlib.sha256(requirements + sys.version.encode()).hexdigest()[:16]
    venv = VENVS / key
    if (venv / ".complete").is_file():
        return venv
    VENVS.mkdir(exist_ok=True)
    partial = VENVS / f"{key}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(partial)], check=True, timeout=120)
    requirements_file = partial / "requirements.txt"
    requirements_file.write_bytes(requirements)
    # --no-compile: pip's byte-compiling of every installed module was two thirds of this venv's
    # cost (61 s → 19 s on a loaded 2-core machine); the few modules the function imports are
    # compiled by its first start instead.
    install = [
        "install",
        "--quiet",
        "--no-compile",
        "--disable-pip-version-check",
        "-r",
        str(requirements_file),
    ]
    subprocess.run([str(partial / "bin" / "python"), "-m", "pip", *install], check=True, timeout=900)
    (partial / ".complete").touch()
    shutil.rmtree(venv, ignore_errors=True)
    # venvs hard-code their path in scripts: build in place under the final name
    partial.rename(venv)
    return _fix_venv_paths(venv, partial)


def _fix_venv_paths(venv: Path, old: Path) -> Path:
    """Rewrite the console scripts' shebangs after the rename from the partial folder."""
    for script in (venv / "bin").iterdir():
        if script.is_file() and not script.is_symlink():
            data = script.read_bytes()
            if str(old).encode() in data:
                script.write_bytes(data.replace(str(old).encode(), str(venv).encode()))
    cfg = venv / "pyvenv.cfg"
    cfg.write_text(cfg.read_text().replace(str(old), str(venv)))
    return venv
