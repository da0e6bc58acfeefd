"""What a sender cannot do to the functions, over real sockets, functions-framework (gunicorn
threads) as the cloud runs it: any method but POST is refused unread, an oversize body is refused
unread, a slow or trickling body cannot hold a worker thread, a broken one is a 400, and none of it
costs an Ogust call or writes an ERROR line (the failure alert counts those)."""

from __future__ import annotations

import contextlib
import select
import socket
import time
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from ogust_sandbox import Sandbox
from shared.webhook import MAX_BODY_BYTES
from tests.support.function import SETTINGS_TO_CLEAR, example, sync_env
from tests.support.functions import FunctionProcess, served_in_process
from tests.support.receivers import rss_kib, send, signed

TWENTY_MB = 20 * 1024 * 1024
OTHER_METHODS = ["GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]
NESTED = b"[" * 20_000 + b"]" * 20_000  # 40 KB: under every limit, far deeper than Python recurses


def connect(url: str) -> socket.socket:
    target = urllib.parse.urlsplit(url)
    return socket.create_connection((target.hostname, target.port), timeout=30)


def announce(
    url: str, body: bytes, headers: dict[str, str], *, length: int | None, method: str = "POST"
) -> socket.socket:
    """Send a request's headers announcing `length` bytes (chunked when None) and `body` after them."""
    conn = connect(url)
    lines = [f"{method} / HTTP/1.1", f"Host: {urllib.parse.urlsplit(url).netloc}"]
    lines += ["Transfer-Encoding: chunked"] if length is None else [f"Content-Length: {length}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    return conn


def answer_of(conn: socket.socket) -> tuple[int, bytes]:
    """The status code and the whole answer on `conn` (the server closes the connection after it)."""
    data = b""
    with contextlib.suppress(ConnectionResetError):  # a reset after the answer: what it had unread
        while chunk := conn.recv(65536):
            data += chunk
    return int(data.split(b" ", 2)[1]), data


def status_of(conn: socket.socket) -> int:
    return answer_of(conn)[0]


def chunked(body: bytes, size: int) -> bytes:
    parts = [body[i : i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"


def server_errors(process: FunctionProcess) -> list[str]:
    """Lines the cloud would count as errors: a server traceback, or one of ours at ERROR."""
    text = process.log.read_text(errors="replace")
    return [
        line
        for line in text.splitlines()
        if "[ERROR]" in line or "Traceback" in line or '"severity": "ERROR"' in line
    ]


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
    assert server_errors(receiver) == []


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
    assert server_errors(receiver) == []


@pytest.mark.parametrize("method", OTHER_METHODS)
def test_any_other_method_announcing_20_mb_is_405_at_once_and_unread(
    receiver: FunctionProcess, sandbox: Sandbox, method: str
) -> None:
    # Nothing of the 20 MB is sent: a server reading the body before answering would wait for it
    # (and the body timeout would make it a 408).
    conn = announce(receiver.url, b"", {}, length=TWENTY_MB, method=method)
    try:
        status, answer = answer_of(conn)
    finally:
        conn.close()
    assert status == 405
    assert b"\r\nAllow: POST\r\n" in answer
    assert sandbox.calls() == {}
    assert server_errors(receiver) == []


@pytest.mark.parametrize("path", ["favicon.ico", "robots.txt"])
def test_the_frameworks_own_404s_do_not_read_a_body_either(receiver: FunctionProcess, path: str) -> None:
    conn = connect(receiver.url)
    try:
        conn.sendall(f"GET /{path} HTTP/1.1\r\nHost: x\r\nContent-Length: {TWENTY_MB}\r\n\r\n".encode())
        status, _ = answer_of(conn)
    finally:
        conn.close()
    assert status == 404
    assert server_errors(receiver) == []


def test_a_20_mb_put_is_not_taken_in(receiver: FunctionProcess, sandbox: Sandbox) -> None:
    before = rss_kib(receiver.pid)
    conn = announce(receiver.url, b"", {}, length=TWENTY_MB, method="PUT")
    sent = 0
    try:
        with contextlib.suppress(OSError):  # reset by the server once it has answered
            for _ in range(TWENTY_MB // 65536):
                conn.sendall(b"x" * 65536)
                sent += 65536
    finally:
        conn.close()
    assert sent < TWENTY_MB, "the server closed the connection instead of reading 20 MB"
    assert rss_kib(receiver.pid) - before < 8 * 1024
    assert sandbox.calls() == {}


def trickle(url: str, body: bytes, headers: dict[str, str], every: float) -> int:
    """Send `body` a byte at a time, one every `every` seconds, until the server answers."""
    conn = announce(url, b"", headers, length=len(body))
    try:
        for byte in body:
            if select.select([conn], [], [], every)[0]:
                break  # the server answered (or closed): stop sending
            with contextlib.suppress(OSError):
                conn.sendall(bytes([byte]))
        return status_of(conn)
    finally:
        conn.close()


def test_eight_tricklers_are_cut_off_and_a_valid_submission_is_served(
    fresh_receiver: FunctionProcess, sandbox: Sandbox
) -> None:
    """Each trickler sends a byte every 0.2 s, well within any per-read timeout; the body budget
    (1 s here) is a total, so each is answered 408 and its thread freed for the real sender."""
    body, headers = signed(example("03-another-person"))
    with ThreadPoolExecutor(max_workers=8) as pool:
        tricklers = [pool.submit(trickle, fresh_receiver.url, body, headers, 0.2) for _ in range(8)]
        time.sleep(0.5)  # they hold the 8 threads now
        with httpx.Client(timeout=60) as http:
            answered = send(http, fresh_receiver.url, example("01-new-customer"))
        statuses = [t.result(timeout=60) for t in tricklers]
    assert answered.status_code == 201
    assert statuses == [408] * 8
    assert len(sandbox.customers()) == 1
    assert server_errors(fresh_receiver) == []


def test_a_chunked_submission_is_read_and_applied(receiver: FunctionProcess, sandbox: Sandbox) -> None:
    body, headers = signed(example("01-new-customer", responseId="2_ABaOnudChunked0001"))
    conn = announce(receiver.url, chunked(body, 100), headers, length=None)
    try:
        assert status_of(conn) == 201
    finally:
        conn.close()
    assert len(sandbox.customers()) == 1


def test_a_chunked_body_over_the_limit_is_413(receiver: FunctionProcess, sandbox: Sandbox) -> None:
    body, headers = signed(example("01-new-customer", answers={"Commentaires": "é" * 150_000}))
    assert len(body) > MAX_BODY_BYTES
    conn = announce(receiver.url, chunked(body, 16 * 1024), headers, length=None)
    try:
        assert status_of(conn) == 413
    finally:
        conn.close()
    assert sandbox.calls() == {}
    assert server_errors(receiver) == []


def test_a_malformed_chunked_body_is_400_not_a_crash(receiver: FunctionProcess, sandbox: Sandbox) -> None:
    _, headers = signed(example("01-new-customer"))
    conn = announce(receiver.url, b"zz\r\n{}\r\n0\r\n\r\n", headers, length=None)
    try:
        status, answer = answer_of(conn)
    finally:
        conn.close()
    assert status == 400
    assert b"malformed chunked" in answer
    assert sandbox.calls() == {}
    assert server_errors(receiver) == []


@pytest.mark.parametrize("function", ["worker", "reconciler"])
def test_internal_endpoints_refuse_deeply_nested_json_with_400(
    function: str, request: pytest.FixtureRequest, sandbox: Sandbox
) -> None:
    process: FunctionProcess = request.getfixturevalue(function)
    json_headers = {"Content-Type": "application/json"}
    with httpx.Client(timeout=60) as http:
        answered = http.post(process.url, content=NESTED, headers=json_headers)
        broken = http.post(process.url, content=b'{"message": {', headers=json_headers)
    assert answered.status_code == 400
    assert "nests" in answered.json()["error"]
    assert broken.status_code == 400
    assert sandbox.calls() == {}
    assert server_errors(process) == []


@pytest.mark.parametrize("function", ["worker", "reconciler"])
def test_internal_endpoints_have_the_same_limits(
    function: str, request: pytest.FixtureRequest, sandbox: Sandbox
) -> None:
    process: FunctionProcess = request.getfixturevalue(function)
    statuses = []
    for method in ("PUT", "POST"):
        conn = announce(process.url, b"", {}, length=TWENTY_MB, method=method)
        try:
            status, answer = answer_of(conn)
        finally:
            conn.close()
        statuses.append(status)
        if method == "PUT":
            assert b"\r\nAllow: POST\r\n" in answer
    silent = announce(process.url, b"", {}, length=100)
    try:
        statuses.append(status_of(silent))
    finally:
        silent.close()
    assert statuses == [405, 413, 408]
    assert server_errors(process) == []


@pytest.fixture
def debug_server(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The receiver under werkzeug's server, as `functions-framework --debug` (a local run) has it."""
    for name in SETTINGS_TO_CLEAR:
        monkeypatch.delenv(name, raising=False)
    for key, value in sync_env(sandbox, BODY_TIMEOUT_SECONDS="1").items():
        monkeypatch.setenv(key, value)
    with served_in_process("receive_submission") as url:
        yield url


def test_the_local_debug_server_has_the_same_limits(debug_server: str, sandbox: Sandbox) -> None:
    """werkzeug reads what is left of a body before it closes a connection: the
    reading half is shut as soon as the answer is decided, so each answer comes at once."""
    too_big, headers = signed(example("01-new-customer", answers={"Commentaires": "é" * 150_000}))
    body, _ = signed(example("01-new-customer"))
    conns = {
        405: announce(debug_server, b"", {}, length=TWENTY_MB, method="PUT"),
        413: announce(debug_server, chunked(too_big, 64 * 1024), headers, length=None),
        400: announce(debug_server, b"zz\r\n{}\r\n0\r\n\r\n", headers, length=None),
    }
    try:
        statuses = {expected: status_of(conn) for expected, conn in conns.items()}
    finally:
        for conn in conns.values():
            conn.close()
    assert statuses == {405: 405, 413: 413, 400: 400}
    assert trickle(debug_server, body, headers, 0.2) == 408
    assert sandbox.calls() == {}
