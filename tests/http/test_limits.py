"""What a sender cannot do to the receiver: an oversize body is refused unread, a slow body cannot
hold a worker thread, and neither costs an Ogust call."""

from __future__ import annotations

import contextlib
import socket
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import httpx

from ogust_sandbox import Sandbox
from shared.webhook import MAX_BODY_BYTES
from tests.function.conftest import example
from tests.functions import FunctionProcess
from tests.http.conftest import rss_kib, send, signed

TWENTY_MB = 20 * 1024 * 1024


def announce(url: str, body: bytes, headers: dict[str, str], *, length: int) -> socket.socket:
    """Open a connection, send the headers announcing `length` bytes, and only `body` of them."""
    target = urllib.parse.urlsplit(url)
    conn = socket.create_connection((target.hostname, target.port), timeout=30)
    lines = ["POST / HTTP/1.1", f"Host: {target.netloc}", f"Content-Length: {length}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    return conn


def answer_of(conn: socket.socket) -> tuple[int, bytes]:
    """The status code and the whole answer on `conn` (the server closes the connection after it)."""
    data = b""
    while chunk := conn.recv(65536):
        data += chunk
    return int(data.split(b" ", 2)[1]), data


def status_of(conn: socket.socket) -> int:
    return answer_of(conn)[0]


def test_a_20_mb_body_is_refused_from_its_length_without_being_read(
    receiver: FunctionProcess, sandbox: Sandbox
) -> None:
    before = rss_kib(receiver.pid)
    body, headers = signed(example("01-new-customer"))
    # Only the first kilobytes are sent: a server that read the whole body would wait for the rest
    # and answer 408 after its body timeout; one that reads nothing answers 413 at once.
    conn = announce(receiver.url, body, headers, length=TWENTY_MB)
    try:
        status, answer = answer_of(conn)
        assert status == 413
        assert str(MAX_BODY_BYTES).encode() in answer
    finally:
        conn.close()
    # All 20 MB this time: the server stops the connection instead of taking them in.
    conn = announce(receiver.url, b"", headers, length=TWENTY_MB)
    try:
        with contextlib.suppress(OSError):  # reset by the server once it has answered
            for _ in range(TWENTY_MB // 65536):
                conn.sendall(b"x" * 65536)
    finally:
        conn.close()
    assert rss_kib(receiver.pid) - before < 8 * 1024, "the 20 MB never reached the function's memory"
    assert sandbox.calls() == {}


def test_senders_that_never_send_their_body_do_not_hold_the_worker_threads(
    receiver: FunctionProcess, sandbox: Sandbox
) -> None:
    body, headers = signed(example("01-new-customer"))
    silent = [announce(receiver.url, b"", headers, length=len(body)) for _ in range(12)]  # 8 threads
    try:
        with httpx.Client(timeout=60) as http:
            answered = send(http, receiver.url, example("01-new-customer"))
        assert answered.status_code == 201
        with ThreadPoolExecutor(max_workers=12) as pool:
            statuses = list(pool.map(status_of, silent))
    finally:
        for conn in silent:
            conn.close()
    assert statuses == [408] * 12
    assert len(sandbox.customers()) == 1
