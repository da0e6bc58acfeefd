"""`Background`: a fake served from a daemon thread, started and stopped from Python or `with`."""

from __future__ import annotations

import contextlib
import threading
from abc import ABC, abstractmethod
from types import TracebackType
from typing import ClassVar, Self

from sandbox_kit.server import FakeServer


class Background(ABC):
    """A fake on `host:port` (port 0 = a free one), served from a daemon thread while started."""

    name: ClassVar[str]
    """What the fake is called in its thread's name and its errors ("Ogust sandbox")."""

    def __init__(self, host: str, port: int) -> None:
        self._address = (host, port)
        self._server: FakeServer | None = None
        self._thread: threading.Thread | None = None

    @abstractmethod
    def new_server(self, address: tuple[str, int]) -> FakeServer:
        """The fake's HTTP server, listening on `address`."""

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> None:
        """Listen and serve in a daemon thread (started already: nothing to do)."""
        if self._server is not None:
            return
        self._server = self.new_server(self._address)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            args=(0.05,),
            name=self.name.lower().replace(" ", "-"),
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving, end the open connections and close the listening socket."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = self._thread = None

    @property
    def base_url(self) -> str:
        """`http://host:port` of the running server."""
        if self._server is None:
            raise RuntimeError(f"the {self.name} is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"


def wait_for_ctrl_c() -> None:
    """Block the main thread until Ctrl-C (what `python -m` a fake does while it serves)."""
    with contextlib.suppress(KeyboardInterrupt):
        threading.Event().wait()
