"""Shared fixtures: the Ogust sandbox (tests/support/ogust_fixtures.py) and the function under test."""

pytest_plugins = ["tests.support.ogust_fixtures", "tests.support.forms_fixtures", "tests.support.emulators"]
