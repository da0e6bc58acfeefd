"""tests/processes/: tests that start other programs (functions-framework or the artifact as a
subprocess, make, node, terraform, a fake gcloud, the command line as a process)."""

from __future__ import annotations

import pytest

from tests.support.folders import mark_folder


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    mark_folder(items, "processes")
