"""Shared fixtures: the Ogust sandbox (tests/support/ogust_fixtures.py) and the function under test."""

import pytest

# Helpers with `assert`s that moved out of a conftest keep pytest's detailed assertion messages (a
# conftest is rewritten by pytest itself; a module it imports only when registered before that).
pytest.register_assert_rewrite("tests.support.agency", "tests.support.doctor", "tests.support.reconciling")

pytest_plugins = [
    "tests.support.ogust_fixtures",
    "tests.support.forms_fixtures",
    "tests.support.emulators",
    "tests.support.sheets",
]
