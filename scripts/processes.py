"""Child processes for the local run, the benchmark and the tests (never deployed).

Each child runs in its own process group, so that what it forks (gunicorn's workers, the Java of an
emulator) stops with it; readiness is "it answered an HTTP request".
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Child:
    """A child process in its own process group, with the URL it serves."""

    popen: subprocess.Popen[bytes]
    started: float
    """`time.perf_counter()` just before the spawn."""
    url: str

    @classmethod
    def spawn(
        cls,
        args: list[str],
        env: dict[str, str],
        url: str,
        *,
        cwd: Path = ROOT,
        output: IO[Any] | int | None = subprocess.DEVNULL,
    ) -> Child:
        started = time.perf_counter()
        popen = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            args, env=env, cwd=cwd, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
        return cls(popen, started, url)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def stop(self, first: signal.Signals = signal.SIGTERM, *, grace: float = 10.0) -> None:
        """Signal the whole group and wait up to `grace` seconds; SIGKILL if it lingers."""
        if self.popen.poll() is not None:
            return
        try:
            os.killpg(self.popen.pid, first)
            self.popen.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=10)
        except ProcessLookupError:
            pass

    def __enter__(self) -> Child:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class NotAnswering(RuntimeError):
    """The child exited, or did not answer in time."""


def wait_until_answered(
    child: Child,
    method: str = "GET",
    *,
    path: str = "",
    content: bytes = b"",
    headers: dict[str, str] | None = None,
    limit: float = 60,
    interval: float = 0.005,
) -> tuple[float, httpx.Response]:
    """Send the request until the child answers it; return seconds since the spawn and the answer."""
    deadline = time.perf_counter() + limit
    with httpx.Client(timeout=30) as client:
        while True:
            try:
                response = client.request(method, child.url + path, content=content, headers=headers)
                return time.perf_counter() - child.started, response
            except httpx.TransportError:
                if child.popen.poll() is not None:
                    code = child.popen.returncode
                    raise NotAnswering(f"{child.url}: the process exited ({code})") from None
                if time.perf_counter() > deadline:
                    raise NotAnswering(f"{child.url}: no answer after {limit} s") from None
                time.sleep(interval)
