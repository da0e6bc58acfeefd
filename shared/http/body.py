"""Reading a request body without letting the sender hold a thread: a size limit and a total time.

The body is read here and nowhere else, for every request of every function, with a
`Content-Length` or chunked:

    announced over the limit     → 413 before a byte is read
    more than the limit arrives  → 413 as soon as it does (a chunked body has no length to check)
    not all there within `budget` seconds from the first read, however it trickles → 408
    broken on the wire (a malformed chunk, a connection cut short)                  → 400

The budget is a total, not a time per read: a sender sending a byte every few seconds would pass
any per-read timeout for ever. When it runs out, a timer shuts the reading half of the connection:
the server's own reader (gunicorn's in the cloud, werkzeug's locally), blocked in `recv`, sees the
end of the stream and the read fails at once.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time

import flask

from shared.errors import PayloadError, PayloadTimeoutError, PayloadTooLargeError
from shared.http.answers import request_socket

_CHUNK = 64 * 1024


def read_body(request: flask.Request, *, limit: int, budget: float) -> bytes:
    """The whole body, at most `limit` bytes of it, all there within `budget` seconds."""
    if request.content_length is not None and request.content_length > limit:
        raise PayloadTooLargeError(f"body is {request.content_length} bytes; the limit is {limit}")
    if request.content_length == 0:
        return b""  # nothing to wait for: no timer
    sock = request_socket()
    if sock is None:  # a test client: the body is already in memory
        try:
            return _read(request, limit)
        except EOFError as exc:
            raise PayloadError(str(exc)) from None
    expired = threading.Event()
    timer = threading.Timer(budget, _stop_reading, (sock, expired))
    timer.daemon = True
    previous = sock.gettimeout()
    deadline = time.monotonic() + budget
    try:
        sock.settimeout(budget)  # in case the shutdown cannot wake the read (it always should)
        timer.start()
        return _read(request, limit)
    except PayloadError:
        raise
    except Exception as exc:  # what the server's reader raises: OSError, its parse errors, ClientDisconnected
        if expired.is_set() or time.monotonic() >= deadline:
            raise PayloadTimeoutError(f"the body did not arrive within {budget:g} s") from None
        raise PayloadError(f"the body could not be read: {_why(exc)}") from None
    finally:
        timer.cancel()
        if not expired.is_set():
            with contextlib.suppress(OSError):
                sock.settimeout(previous)


def _read(request: flask.Request, limit: int) -> bytes:
    parts: list[bytes] = []
    size = 0
    while chunk := request.stream.read(min(_CHUNK, limit + 1 - size)):
        parts.append(chunk)
        size += len(chunk)
        if size > limit:
            raise PayloadTooLargeError(f"body is over the limit of {limit} bytes")
    if request.content_length is not None and size < request.content_length:
        # A timer's shutdown looks the same: `read_body` tells them apart.
        raise EOFError(f"the body ended after {size} of the {request.content_length} bytes announced")
    return b"".join(parts)


def _stop_reading(sock: socket.socket, expired: threading.Event) -> None:
    expired.set()
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RD)


def _why(exc: Exception) -> str:
    """A short reason for a body that broke on the wire (a malformed chunk, mostly)."""
    name = type(exc).__name__
    if isinstance(exc, EOFError):
        return str(exc)
    if "Chunk" in name or "chunk" in str(exc):
        return "malformed chunked encoding"
    return "the connection was cut short" if isinstance(exc, OSError) else name
