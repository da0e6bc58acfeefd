"""A function as Cloud Functions runs it: functions-framework (gunicorn, threads) in its own process."""

from __future__ import annotations

import contextlib
import json
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from scripts.processes import Child, NotAnswering, free_port, wait_until_answered
from tests.support.function import MAIN

FUNCTIONS_FRAMEWORK = Path(sys.executable).parent / "functions-framework"


def wait_until(condition: Callable[[], bool], timeout: float, what: str, interval: float = 0.1) -> None:
    """Poll `condition` until true; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


@contextlib.contextmanager
def served_in_process(target: str) -> Iterator[str]:
    """`target` under werkzeug's threaded server in this process, on a free loopback port (as
    `functions-framework --debug` runs it): its URL. It reads the settings of this process's
    environment when it starts."""
    from functions_framework import create_app
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, create_app(target, str(MAIN)), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        thread.join(timeout=5)


class FunctionProcess:
    """`functions-framework --target T` on a free loopback port; its JSON log lines are readable."""

    def __init__(self, target: str, env: dict[str, str], log: Path, port: int | None = None) -> None:
        self.target = target
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = log
        self._env = env
        self._child: Child | None = None

    def start(self) -> FunctionProcess:
        command = [str(FUNCTIONS_FRAMEWORK), "--target", self.target, "--source", str(MAIN)]
        command += ["--host", "127.0.0.1", "--port", str(self.port)]
        with self.log.open("ab") as out:
            # Unbuffered: every line is in the log the moment it is written, so a test may read it
            # at any time, and nothing is left in a buffer when the process is killed.
            env = {"THREADS": "8", **self._env, "PYTHONUNBUFFERED": "1"}
            self._child = Child.spawn(command, env, self.url, output=out)
        try:
            wait_until_answered(self._child, limit=30, interval=0.1)
        except NotAnswering as exc:
            raise AssertionError(f"{self.target}: {exc}\n{self.log.read_text()[-3000:]}") from None
        return self

    @property
    def pid(self) -> int:
        assert self._child is not None
        return self._child.pid

    def stop(self) -> None:
        """Kill the process group at once (gunicorn's arbiter and its worker).

        A test's function keeps nothing worth a shutdown: what it did is in the sandbox, the
        emulators and its log (written unbuffered). Even gunicorn's quick shutdown (SIGINT) took
        0.7-3 s a process on a loaded 2-core machine, often the whole 3 s grace before a SIGKILL
        anyway, paid after nearly every queue test; and a killed instance cannot finish a delivery
        after its test is over, which keeps tests apart."""
        if self._child is not None:
            self._child.stop(signal.SIGKILL)
            self._child = None

    def entries(self) -> list[dict[str, Any]]:
        """The JSON log lines written so far."""
        found = []
        for line in self.log.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                with contextlib.suppress(json.JSONDecodeError):
                    found.append(json.loads(line))
        return found

    def statuses(self) -> list[str]:
        return [str(e["status"]) for e in self.entries() if "status" in e]
