"""The HTTP server and handler both fakes build on: connections tracked so that a stopped fake is
gone, clients that went away ignored, HTTP/1.1 keep-alive."""

from __future__ import annotations

import contextlib
import logging
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar


class FakeServer(ThreadingHTTPServer):
    """A threading HTTP server that can end its open keep-alive connections."""

    daemon_threads = True
    log: ClassVar[logging.Logger] = logging.getLogger("sandbox_kit")
    """Where the server and its handlers log (each fake names its own)."""

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        """Remember the connection so `close_connections` can end it."""
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        """Forget the connection, then close it."""
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """End every keep-alive connection still open (after `shutdown`, so a stopped fake is gone)."""
        with self._open_lock:
            for connection in self._open:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up, or a connection the fake dropped on purpose, is expected here;
        anything else is printed as usual."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            self.log.debug("client %s went away", client_address)
            return
        super().handle_error(request, client_address)


class FakeHandler(BaseHTTPRequestHandler):
    """One connection, kept alive (HTTP/1.1) like a real front end; the fakes' common answers."""

    protocol_version = "HTTP/1.1"
    timeout = 30  # an idle keep-alive connection is closed after this many seconds

    def log_message(self, format: str, *args: Any) -> None:
        log = self.server.log if isinstance(self.server, FakeServer) else FakeServer.log
        log.debug("%s " + format, self.address_string(), *args)

    def read_body(self) -> bytes:
        """The request's body (as long as its Content-Length says)."""
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def send(self, status: int, body: bytes, content_type: str) -> None:
        """One whole answer."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def drop(self) -> None:
        """Close the connection without an answer (a fault)."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)
