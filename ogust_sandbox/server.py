"""HTTP front of the sandbox: the Ogust endpoint plus the `/_sandbox/` control API."""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ogust_sandbox.bodies import parse_body
from ogust_sandbox.faults import Fault, fault_from_json
from ogust_sandbox.service import Service, canonical

API_PATH = "/api/v2/apiogust.php"
CONTROL_PREFIX = "/_sandbox/"

logger = logging.getLogger("ogust_sandbox")


class SandboxServer(ThreadingHTTPServer):
    """A threading HTTP server that knows its `Service`."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], service: Service) -> None:
        super().__init__(address, Handler)
        self.service = service
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
        """End every keep-alive connection still open (after `shutdown`, so a stopped sandbox is gone)."""
        with self._open_lock:
            for connection in self._open:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (timeout) is expected here; anything else is printed as usual."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            logger.debug("client %s went away", client_address)
            return
        super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    """One connection; HTTP/1.1 keep-alive like a real web server."""

    protocol_version = "HTTP/1.1"
    wbufsize = 64 * 1024
    """Buffered writes: headers and body leave in one send when the handler returns (one TCP segment,
    one wake-up of the client) instead of two."""
    timeout = 30  # an idle keep-alive connection is closed after this many seconds

    def setup(self) -> None:
        """Disable Nagle: headers and body go out in separate writes (else ~40 ms per answer)."""
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    @property
    def service(self) -> Service:
        """The service of the server this handler belongs to."""
        server = self.server
        assert isinstance(server, SandboxServer)
        return server.service

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s " + format, self.address_string(), *args)

    def do_GET(self) -> None:
        """Only the control API's state is readable with GET."""
        path = urlsplit(self.path).path
        self._read_body()
        if path == CONTROL_PREFIX + "state":
            self._send_json(200, self._state())
        elif path == CONTROL_PREFIX + "calls":
            with self.service.lock:  # the counters alone: cheap, however many customers are stored
                self._send_json(200, {"calls": dict(self.service.calls)})
        elif path == CONTROL_PREFIX + "modes":
            self._send_json(200, {"modes": self.service.modes.as_json()})
        elif path == CONTROL_PREFIX + "arrivals":
            with self.service.lock:
                self._send_json(200, {"arrivals": list(self.service.arrivals)})
        elif path == API_PATH:
            self._send_json(405, {"error": "Ogust only accepts POST"})
        else:
            self._send_json(404, {"error": f"no such path {path}"})

    def do_POST(self) -> None:
        """The Ogust endpoint or a control action."""
        url = urlsplit(self.path)
        raw = self._read_body()
        if url.path == API_PATH:
            self._ogust(parse_qs(url.query).get("method", [""])[0], raw)
        elif url.path.startswith(CONTROL_PREFIX):
            self._control(url.path.removeprefix(CONTROL_PREFIX), raw)
        else:
            self._send_json(404, {"error": f"no such path {url.path}"})

    def _ogust(self, method: str, raw: bytes) -> None:
        service = self.service
        service.count(method)
        if service.faults.latency_ms:
            time.sleep(service.faults.latency_ms / 1000)
        fault = service.faults.take(canonical(method))
        if fault is not None and fault.kind == "slow" and not fault.apply:
            time.sleep(fault.ms / 1000)
            fault = None
        elif fault is not None and not fault.apply:
            self._misbehave(fault)
            return
        content_type = self.headers.get("Content-Type", "")
        try:
            params = parse_body(raw, content_type)
        except ValueError as exc:
            self._send_json(
                service.modes.ko_status, {"status": "KO", "message": f"Requête illisible : {exc}"}
            )
            return
        if service.modes.body == "form" and "json" in content_type.lower():
            params = {}  # PHP's $_POST holds nothing for a JSON body: every parameter is missing
        answer = service.dispatch(method, params)
        if fault is not None:
            self._misbehave(fault, answer)
            return
        self._send_json(service.modes.ko_status if answer["status"] == "KO" else 200, answer)

    def _misbehave(self, fault: Fault, answer: dict[str, Any] | None = None) -> None:
        if fault.kind == "slow":
            time.sleep(fault.ms / 1000)
            with contextlib.suppress(OSError):  # the client may have given up meanwhile
                self._send_json(200, answer or {"status": "KO", "message": "(slow fault)"})
        elif fault.kind == "drop":
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
        elif fault.kind == "ko":
            self._send_json(fault.status, {"status": "KO", "message": fault.message})
        elif fault.kind == "raw":
            self._send(fault.status, fault.body.encode(), "text/html; charset=utf-8")
        else:
            self._send(fault.status, f"<html><body>Error {fault.status}</body></html>".encode(), "text/html")

    def _control(self, action: str, raw: bytes) -> None:
        service = self.service
        try:
            body: Any = json.loads(raw.decode("utf-8") or "{}")
            if action == "reset":
                service.reset()
                self._send_json(200, {"status": "OK"})
            elif action == "faults":
                for spec in body if isinstance(body, list) else [body]:
                    apply_fault_spec(service, spec)
                self._send_json(200, {"status": "OK", "faults": service.faults.snapshot()})
            elif action == "modes":
                if not isinstance(body, dict):
                    raise ValueError("modes: send an object of mode → value")
                service.modes = service.modes.changed(body)
                self._send_json(200, {"status": "OK", "modes": service.modes.as_json()})
            elif action == "customers":
                with service.lock:
                    id_customer = service.store.create_customer(body, validate=False)
                self._send_json(200, {"status": "OK", "id_customer": id_customer})
            elif action == "lists":
                with service.lock:
                    service.store.lists[str(body["key"])] = {
                        str(k): str(v) for k, v in body["values"].items()
                    }
                self._send_json(200, {"status": "OK"})
            else:
                self._send_json(404, {"error": f"no such control action {action!r}"})
        except Exception as exc:  # any bad control request is the test author's, answer it plainly
            self._send_json(400, {"error": f"{type(exc).__name__}: {exc}"})

    def _state(self) -> dict[str, Any]:
        service = self.service
        with service.lock:
            return {
                "customers": list(service.store.customers.values()),
                "calls": dict(service.calls),
                "writes": list(service.writes),
                "faults": service.faults.snapshot(),
                "modes": service.modes.as_json(),
            }

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _send_json(self, status: int, data: dict[str, Any]) -> None:
        self._send(status, json.dumps(data).encode(), "application/json; charset=utf-8")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def apply_fault_spec(service: Service, spec: dict[str, Any]) -> None:
    """One control-API fault: latency, expire_tokens, clear, or a queued fault."""
    kind = spec.get("fault")
    if kind == "latency":
        service.faults.latency_ms = int(spec.get("ms", 0))
    elif kind == "expire_tokens":
        with service.lock:
            service.tokens.expire_all()
    elif kind == "clear":
        service.faults.clear()
    else:
        service.faults.add(fault_from_json(spec))
