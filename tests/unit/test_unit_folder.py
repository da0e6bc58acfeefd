"""The unit folder keeps its promise: a test here can make no socket and start no program, so what
runs under `pytest -m unit` needs nothing but this interpreter."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

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
