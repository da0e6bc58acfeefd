"""HTTP front of the sandbox: the Ogust endpoint plus the `/_sandbox/` control API."""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ogust_sandbox.bodies import parse_body
from ogust_sandbox.faults import Fault, fault_from_json
from ogust_sandbox.service import Service, canonical
from sandbox_kit import FakeHandler, FakeServer

API_PATH = "/api/v2/apiogust.php"
CONTROL_PREFIX = "/_sandbox/"


class SandboxServer(FakeServer):
    """A threading HTTP server that knows its `Service`."""

    log = logging.getLogger("ogust_sandbox")

    def __init__(self, address: tuple[str, int], service: Service) -> None:
        super().__init__(address, Handler)
        self.service = service


class Handler(FakeHandler):
    """One connection; HTTP/1.1 keep-alive like a real web server."""

    wbufsize = 64 * 1024
    """Buffered writes: headers and body leave in one send when the handler returns (one TCP segment,
    one wake-up of the client) instead of two."""

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

    def do_GET(self) -> None:
        """Only the control API's state is readable with GET."""
        path = urlsplit(self.path).path
        self.read_body()
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
        raw = self.read_body()
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
            if not service.faults.wait(fault):
                self.drop()  # a held call cancelled by a reset: never applied
                return
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
            if not self.service.faults.wait(fault):
                self.drop()
                return
            with contextlib.suppress(OSError):  # the client may have given up meanwhile
                self._send_json(200, answer or {"status": "KO", "message": "(slow fault)"})
        elif fault.kind == "drop":
            self.drop()
        elif fault.kind == "ko":
            self._send_json(fault.status, {"status": "KO", "message": fault.message})
        elif fault.kind == "raw":
            self.send(fault.status, fault.body.encode(), "text/html; charset=utf-8")
        else:
            self.send(fault.status, f"<html><body>Error {fault.status}</body></html>".encode(), "text/html")

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
                "employees": list(service.store.employees.values()),
                "calls": dict(service.calls),
                "writes": list(service.writes),
                "faults": service.faults.snapshot(),
                "modes": service.modes.as_json(),
            }

    def _send_json(self, status: int, data: dict[str, Any]) -> None:
        self.send(status, json.dumps(data).encode(), "application/json; charset=utf-8")


def apply_fault_spec(service: Service, spec: dict[str, Any]) -> None:
    """One control-API fault: latency, expire_tokens, clear, release (the held calls), or a queued fault."""
    kind = spec.get("fault")
    if kind == "latency":
        service.faults.latency_ms = int(spec.get("ms", 0))
    elif kind == "expire_tokens":
        with service.lock:
            service.tokens.expire_all()
    elif kind == "clear":
        service.faults.clear()
    elif kind == "release":
        service.faults.release_held()
    else:
        service.faults.add(fault_from_json(spec))
