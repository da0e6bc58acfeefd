"""Pytest plugin: one Ogust sandbox per test module, reset before each test, and a client on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ogust_sandbox import Sandbox
from shared.ogust import OgustClient
from shared.ogust._keys import StaticKeys


@pytest.fixture(scope="module")
def sandbox_server() -> Iterator[Sandbox]:
    """A sandbox on a free port for the whole test module."""
    with Sandbox() as server:
        yield server


@pytest.fixture
def sandbox(sandbox_server: Sandbox) -> Sandbox:
    """The module's sandbox, empty: no customers, tokens, faults, counters or writes."""
    sandbox_server.reset()
    return sandbox_server


@pytest.fixture
def ogust_client(sandbox: Sandbox) -> Iterator[OgustClient]:
    """A client of the sandbox with the right keys, short timeouts and no real backoff sleeps."""
    with OgustClient(sandbox.url, StaticKeys(*sandbox.keys), timeout=2.0, sleep=lambda _: None) as client:
        yield client


@pytest.fixture
def ogust_env(sandbox: Sandbox) -> dict[str, str]:
    """The environment the command-line tool reads to reach the sandbox, with the keys themselves."""
    return {**sandbox.settings, "OGUST_KEYS_SECRET": ""}
