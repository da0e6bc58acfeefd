"""HTTP front of the fake Forms API: the v1 REST paths plus the `/_sandbox/` control API.

The `Date` header of every answer is the fake's clock: the reconciler decides watch renewals by
the API's own time, so a test moves one clock only.
"""

from __future__ import annotations

import json
import logging
import re
from email.utils import format_datetime
from typing import Any

from forms_sandbox.faults import Faults
from forms_sandbox.store import Store, parse_timestamp
from sandbox_kit import FakeServer
from sandbox_kit.google import ApiError, GoogleHandler, Route

_ROUTES: list[Route] = [
    ("GET", re.compile(r"^/v1/forms/([^/:]+)$"), "forms.get"),
    ("GET", re.compile(r"^/v1/forms/([^/:]+)/responses$"), "forms.responses.list"),
    ("GET", re.compile(r"^/v1/forms/([^/:]+)/responses/([^/:]+)$"), "forms.responses.get"),
    ("GET", re.compile(r"^/v1/forms/([^/:]+)/watches$"), "forms.watches.list"),
    ("POST", re.compile(r"^/v1/forms/([^/:]+)/watches$"), "forms.watches.create"),
    ("POST", re.compile(r"^/v1/forms/([^/:]+)/watches/([^/:]+):renew$"), "forms.watches.renew"),
    ("DELETE", re.compile(r"^/v1/forms/([^/:]+)/watches/([^/:]+)$"), "forms.watches.delete"),
]


class FormsServer(FakeServer):
    """The fake's HTTP server: it knows its store and faults."""

    log = logging.getLogger("forms_sandbox")

    def __init__(self, address: tuple[str, int], store: Store, faults: Faults) -> None:
        super().__init__(address, Handler)
        self.store = store
        self.faults = faults


class Handler(GoogleHandler):
    """One connection; HTTP/1.1 keep-alive like Google's front ends."""

    routes = _ROUTES

    @property
    def _server(self) -> FormsServer:
        server = self.server
        assert isinstance(server, FormsServer)
        return server

    def date_time_string(self, timestamp: float | None = None) -> str:
        """The `Date` header from the fake's clock."""
        return format_datetime(self._server.store.clock.now(), usegmt=True)

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def _api(self, method: str, args: list[str], query: dict[str, str], raw: bytes) -> None:
        store, faults = self._server.store, self._server.faults
        with store.lock:
            store.calls[method] += 1
            store.requests.append(
                {"method": method, "args": args, "query": query, "token": "Authorization" in self.headers}
            )
        if self._play_fault(faults.take(method), _FAULT_MESSAGES):
            return
        try:
            body = json.loads(raw.decode("utf-8") or "{}") if raw else {}
            answer = self._call(store, method, args, query, body)
        except ApiError as exc:
            self._send_json(exc.code, exc.body())
            return
        except (ValueError, UnicodeDecodeError) as exc:
            self._send_json(400, ApiError(400, "INVALID_ARGUMENT", f"Invalid JSON payload: {exc}").body())
            return
        self._send_json(200, answer)

    @staticmethod
    def _call(store: Store, method: str, args: list[str], query: dict[str, str], body: Any) -> dict[str, Any]:
        if method == "forms.get":
            return store.get_form(args[0])
        if method == "forms.responses.list":
            return store.list_responses(args[0], query)
        if method == "forms.responses.get":
            return store.get_response(args[0], args[1])
        if method == "forms.watches.list":
            return store.list_watches(args[0])
        if method == "forms.watches.create":
            return store.create_watch(args[0], body)
        if method == "forms.watches.renew":
            return store.renew_watch(args[0], args[1])
        return store.delete_watch(args[0], args[1])

    def _control(self, verb: str, action: str, raw: bytes) -> None:
        store, faults = self._server.store, self._server.faults
        try:
            body: Any = json.loads(raw.decode("utf-8") or "{}")
            if verb == "GET" and action == "state":
                self._send_json(200, control_state(store, faults))
            elif verb == "GET" and action == "calls":
                with store.lock:
                    self._send_json(200, {"calls": dict(store.calls)})
            elif action == "reset":
                store.reset()
                faults.clear()
                self._send_json(200, {"status": "OK"})
            elif action == "forms":
                form_id = store.add_form(body.get("form", body), shared=bool(body.get("shared", True)))
                self._send_json(200, {"status": "OK", "formId": form_id})
            elif action == "share":
                with store.lock:
                    store.forms[str(body["formId"])].shared = bool(body.get("shared", True))
                self._send_json(200, {"status": "OK"})
            elif action == "responses":
                response = store.add_response(
                    str(body["formId"]),
                    dict(body.get("answers") or {}),
                    response_id=body.get("responseId"),
                    submitted_at=_time(body.get("submittedAt")),
                    respondent_email=body.get("respondentEmail"),
                )
                self._send_json(200, response.to_json(str(body["formId"])))
            elif action == "responses/edit":
                response = store.edit_response(
                    str(body["formId"]),
                    str(body["responseId"]),
                    body.get("answers"),
                    submitted_at=_time(body.get("submittedAt")),
                )
                self._send_json(200, response.to_json(str(body["formId"])))
            elif action == "faults":
                self._add_faults(faults, body)
            elif action == "clock":
                if "set" in body:
                    store.clock.set(parse_timestamp(str(body["set"])))
                else:
                    store.clock.advance(float(body.get("advance", 0)))
                self._send_json(200, {"status": "OK", "now": store.clock.now().isoformat()})
            elif action == "page_cap":
                store.page_cap = int(body["max"])
                self._send_json(200, {"status": "OK"})
            else:
                self._send_json(404, {"error": f"no such control action {verb} {action!r}"})
        except Exception as exc:  # a bad control request is the test author's: answer it plainly
            self._send_json(400, {"error": f"{type(exc).__name__}: {exc}"})


_FAULT_MESSAGES = {
    403: "The caller does not have permission",
    404: "Requested entity was not found.",
    429: "Quota exceeded for quota metric 'Read requests' of service 'forms.googleapis.com'.",
}
"""What the Forms API says with these statuses, for a status fault that gives no message."""


def control_state(store: Store, faults: Faults) -> dict[str, Any]:
    """What `/_sandbox/state` shows: forms, response counts, watches, calls, faults, the clock."""
    with store.lock:
        return {
            "now": store.clock.now().isoformat(),
            "forms": {
                form_id: {
                    "shared": form.shared,
                    "responses": len(form.responses),
                    "watches": list(form.watches.values()),
                }
                for form_id, form in store.forms.items()
            },
            "calls": dict(store.calls),
            "faults": faults.pending(),
            "notifications": len(store.notifications),
        }


def _time(raw: Any) -> Any:
    return parse_timestamp(str(raw)) if raw else None
