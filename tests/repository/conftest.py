"""tests/repository/: tests whose subject is the repository's own files (docs, layers, public
surfaces, packaging), read in one process (git may be asked which files it tracks)."""

from __future__ import annotations

import pytest

from tests.support.folders import mark_folder


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    mark_folder(items, "repository")
