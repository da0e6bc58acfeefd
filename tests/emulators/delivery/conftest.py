"""Fixtures of the queue path (the world of one test, a Firestore project of its own); the world
itself is `tests/support/queue_world.py`."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from ogust_sandbox import Sandbox
from tests.support.emulators import Emulator
from tests.support.queue_world import SETTINGS, QueueWorld


@pytest.fixture
def world(
    sandbox: Sandbox,
    pubsub_emulator: Emulator,
    firestore_emulator: Emulator,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[QueueWorld]:
    """An empty sandbox, fresh topics and subscriptions; the receiver and worker started by the test."""
    the_world = QueueWorld(sandbox, pubsub_emulator, firestore_emulator, tmp_path)
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    for name, value in the_world.env().items():
        monkeypatch.setenv(name, value)
    the_world.create_topics()
    try:
        yield the_world
    finally:
        the_world.close()


@pytest.fixture
def firestore_project(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh Google Cloud project id on the Firestore emulator (started for the session)."""
    emulator: Emulator = request.getfixturevalue("firestore_emulator")
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", emulator.host)
    return f"demo-{uuid.uuid4().hex[:12]}"
