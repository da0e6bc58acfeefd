"""The top folders of `tests/`, named by what a test needs to run, and the marks their conftests give.

A test file goes in the folder of its heaviest need (one test of the file is enough), in this order:
unit < sockets < processes < emulators; `repository` holds the tests whose subject is the
repository's own text (docs, layers, public surfaces, packaging), read in one process. Inside each
folder, subfolders mirror the code's packages as before (`tests/sockets/ogust/` for `shared/ogust`).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

FOLDERS: dict[str, str] = {
    "unit": "in one process: no socket, no subprocess, no emulator (refused there, see below)",
    "sockets": "real clients over real sockets against the in-process sandboxes and fakes "
    "(Ogust, Forms, Sheets, Secret Manager), functions-framework's app in this process",
    "processes": "start other programs: functions-framework or the artifact as a subprocess, make, "
    "node, terraform, a fake gcloud, the command line as a process",
    "emulators": "need the Pub/Sub and/or Firestore emulators of the Google Cloud SDK",
    "repository": "read the repository's own files (and git's list of them): docs, layers, public "
    "surfaces, packaging",
}
"""Folder (and pytest marker) → what its tests need; pyproject.toml declares the same markers."""

TESTS = Path(__file__).resolve().parents[1]


def mark_folder(items: list[pytest.Item], folder: str, *extra: pytest.MarkDecorator) -> None:
    """Give every collected test under tests/<folder>/ the folder's marker (and `extra` marks): a
    conftest's collection hook sees the whole session's items, so it picks its own."""
    root = TESTS / folder
    for item in items:
        if item.path.is_relative_to(root):
            item.add_marker(getattr(pytest.mark, folder))
            for mark in extra:
                item.add_marker(mark)


class ProcessBlockedError(RuntimeError):
    """A unit test tried to start a program."""


_STARTERS: list[tuple[Any, str]] = [
    (subprocess.Popen, "__init__"),
    (os, "system"),
    (os, "popen"),
    (os, "fork"),
    (os, "forkpty"),
    (os, "posix_spawn"),
    (os, "posix_spawnp"),
    (os, "execv"),
    (os, "execve"),
    (os, "execvp"),
    (os, "execvpe"),
]


def _refuse(*args: object, **kwargs: object) -> None:
    raise ProcessBlockedError(
        "a test in tests/unit/ started a program: move its file to tests/processes/ (or drop the call)"
    )


@contextmanager
def no_processes() -> Iterator[None]:
    """Every way this interpreter starts a program raises ProcessBlockedError until the block ends
    (subprocess goes through Popen, multiprocessing through fork or posix_spawn)."""
    saved: list[tuple[Any, str, Callable[..., Any]]] = [
        (owner, name, getattr(owner, name)) for owner, name in _STARTERS if hasattr(owner, name)
    ]
    for owner, name, _ in saved:
        setattr(owner, name, _refuse)
    try:
        yield
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)
