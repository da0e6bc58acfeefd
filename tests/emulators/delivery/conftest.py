"""Fixtures of the queue path (a Firestore project of its own); the world of one test and its `world`
fixture are `tests/support/queue_world.py`."""

from __future__ import annotations

import uuid

import pytest

from tests.support.emulators import Emulator
from tests.support.queue_world import world as world  # the fixture
from tests.support.reconciling import rec as rec  # the fixture


@pytest.fixture
def firestore_project(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh Google Cloud project id on the Firestore emulator (started for the session)."""
    emulator: Emulator = request.getfixturevalue("firestore_emulator")
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", emulator.host)
    return f"demo-{uuid.uuid4().hex[:12]}"
