"""What the fakes of Google's REST APIs (forms_sandbox, sheets_sandbox) share: Google's error
body, the faults they can play (an HTTP error, a dropped connection, latency), and a handler that
routes `/_sandbox/` to the control API and the REST paths to the API."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from typing import Any, ClassVar, Literal
from urllib.parse import parse_qs, unquote, urlsplit

from sandbox_kit.faults import Fault, PendingFaults, fault_from_json
from sandbox_kit.server import FakeHandler

CONTROL_PREFIX = "/_sandbox/"

STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ALREADY_EXISTS",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    502: "UNAVAILABLE",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}
"""google.rpc.Code names by HTTP status, as Google's error bodies spell them."""

FaultKind = Literal["status", "drop", "latency"]
FAULT_KINDS: tuple[FaultKind, ...] = ("status", "drop", "latency")


@dataclass
class GoogleFault(Fault):
    """A fault of a Google API fake: `status` and `message` of a status fault (the fake picks
    Google's usual message when none is given), `ms` of a latency one."""

    kind: FaultKind
    status: int = 503
    message: str = ""
    ms: int = 0


class ApiError(Exception):
    """An error the fake answers with Google's body `{"error": {"code", "message", "status"}}`."""

    def __init__(self, code: int, status: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.status = status
        self.message = message

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "status": self.status}}


Route = tuple[str, re.Pattern[str], str]
"""(HTTP verb, path pattern whose groups are the call's arguments, the method's name)."""


class GoogleHandler(FakeHandler):
    """Routes a request: `/_sandbox/<action>` to `_control`, a REST path of `routes` to `_api`
    (its arguments URL-decoded, its query one value per name), anything else to Google's 404."""

    routes: ClassVar[list[Route]]

    def _dispatch(self, verb: str) -> None:
        url = urlsplit(self.path)
        raw = self.read_body()
        if url.path.startswith(CONTROL_PREFIX):
            self._control(verb, url.path.removeprefix(CONTROL_PREFIX), raw)
            return
        for route_verb, pattern, method in self.routes:
            match = pattern.match(url.path)
            if match and route_verb == verb:
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                self._api(method, [unquote(g) for g in match.groups()], query, raw)
                return
        self._send_json(404, ApiError(404, "NOT_FOUND", f"No such method: {verb} {url.path}").body())

    def _api(self, method: str, args: list[str], query: dict[str, str], raw: bytes) -> None:
        raise NotImplementedError

    def _control(self, verb: str, action: str, raw: bytes) -> None:
        raise NotImplementedError

    def _play_fault(self, fault: GoogleFault | None, messages: dict[int, str]) -> bool:
        """Play this call's fault, if any: True when it took the API's place (an error answered, the
        connection dropped), False when the call goes on (none, or after its latency). `messages`
        are the API's usual words by status, for a status fault that gives none."""
        if fault is None:
            return False
        if fault.kind == "latency":
            time.sleep(fault.ms / 1000)
            return False
        if fault.kind == "drop":
            self.drop()
            return True
        message = fault.message or messages.get(fault.status, "The service is currently unavailable.")
        status = STATUS_NAMES.get(fault.status, "UNKNOWN")
        self._send_json(fault.status, ApiError(fault.status, status, message).body())
        return True

    def _add_faults(self, faults: PendingFaults[GoogleFault], body: Any) -> None:
        """The control API's `faults` action: one spec or a list, `{"fault": "clear"}` clears."""
        for spec in body if isinstance(body, list) else [body]:
            if spec.get("fault") == "clear":
                faults.clear()
            else:
                faults.add(fault_from_json(GoogleFault, FAULT_KINDS, spec))
        self._send_json(200, {"status": "OK", "faults": faults.pending()})

    def _send_json(self, status: int, data: dict[str, Any]) -> None:
        self.send(status, json.dumps(data, ensure_ascii=False).encode(), "application/json; charset=UTF-8")
