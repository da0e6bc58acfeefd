"""Shared fixtures: the Ogust sandbox (tests/ogust_fixtures.py) and the function under test."""

pytest_plugins = ["tests.ogust_fixtures", "tests.forms_fixtures", "tests.emulators"]
