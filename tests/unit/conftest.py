"""tests/unit/: in one process. No socket can be made (pytest-socket refuses it, so no sandbox, no
fake API, no emulator) and no program started (`tests.support.folders.no_processes`), from the
fixtures' setup to their teardown: a test that needs either belongs in another folder."""

from __future__ import annotations

from collections.abc import Generator

import pytest

from tests.support.folders import mark_folder, no_processes


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    mark_folder(items, "unit", pytest.mark.disable_socket)


# The runtest hooks of a conftest see only the tests below it.
@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    with no_processes():
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    with no_processes():
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, None, None]:
    with no_processes():
        return (yield)
