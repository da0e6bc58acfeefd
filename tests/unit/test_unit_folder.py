"""The unit folder keeps its promise: a test here can make no socket and start no program, so what
runs under `pytest -m unit` needs nothing but this interpreter."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import warnings

import pytest
from pytest_socket import SocketBlockedError

from tests.support.folders import ProcessBlockedError


def test_no_socket_can_be_made_here() -> None:
    with pytest.warns(UserWarning, match="socket"), pytest.raises(SocketBlockedError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)


def test_no_program_can_be_started_here() -> None:
    with pytest.raises(ProcessBlockedError, match="tests/processes/"):
        subprocess.run([sys.executable, "-c", "pass"], check=False)
    with pytest.raises(ProcessBlockedError):
        os.system("true")  # noqa: S605


def test_the_tests_here_carry_the_unit_marker(request: pytest.FixtureRequest) -> None:
    assert request.node.get_closest_marker("unit") is not None
    assert request.node.get_closest_marker("disable_socket") is not None


@pytest.fixture(scope="module")
def refused_at_module_setup() -> list[type[BaseException]]:
    """What a module-scoped fixture meets when it tries a socket, then a program."""
    refused: list[type[BaseException]] = []
    for attempt in (
        lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM),
        lambda: subprocess.run([sys.executable, "-c", "pass"], check=False),
    ):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                attempt()
        except (SocketBlockedError, ProcessBlockedError) as exc:
            refused.append(type(exc))
    return refused


def test_a_module_scoped_fixture_is_refused_both_too(
    refused_at_module_setup: list[type[BaseException]],
) -> None:
    assert refused_at_module_setup == [SocketBlockedError, ProcessBlockedError]
