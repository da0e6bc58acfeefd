"""tests/emulators/: tests that need the Pub/Sub and/or Firestore emulators of the Google Cloud
SDK (`tests/support/emulators.py` starts them once per session, on free ports)."""

from __future__ import annotations

import pytest

from tests.support.folders import mark_folder


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    mark_folder(items, "emulators")
