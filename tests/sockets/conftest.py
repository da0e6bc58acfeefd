"""tests/sockets/: real clients over real sockets against the sandboxes and fakes started in this
process (Ogust, Forms, Sheets, Secret Manager) and functions-framework's app; no other program."""

from __future__ import annotations

import pytest

from tests.support.folders import mark_folder


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    mark_folder(items, "sockets")
