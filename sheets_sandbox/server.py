"""HTTP front of the fake Sheets API: the v4 REST paths the tracking tab uses, the per-minute
quotas (429 RESOURCE_EXHAUSTED once spent, as Google answers) and injected faults."""

from __future__ import annotations

import json
import logging
import re
import threading
from typing import Any

from sandbox_kit import FakeServer, PendingFaults
from sandbox_kit.google import FAULT_KINDS, ApiError, GoogleFault, GoogleHandler, Route
from sheets_sandbox.store import Store, column_index

METHODS = (
    "spreadsheets.get",
    "spreadsheets.values.get",
    "spreadsheets.values.batchUpdate",
    "spreadsheets.values.append",
    "spreadsheets.batchUpdate",
)
READS = frozenset({"spreadsheets.get", "spreadsheets.values.get"})
"""Google counts these against the read quota, the others against the write quota."""
_ROUTES: list[Route] = [
    ("GET", re.compile(r"^/v4/spreadsheets/([^/:]+)$"), "spreadsheets.get"),
    ("GET", re.compile(r"^/v4/spreadsheets/([^/:]+)/values/([^:]+)$"), "spreadsheets.values.get"),
    (
        "POST",
        re.compile(r"^/v4/spreadsheets/([^/:]+)/values:batchUpdate$"),
        "spreadsheets.values.batchUpdate",
    ),
    ("POST", re.compile(r"^/v4/spreadsheets/([^/:]+)/values/([^:]+):append$"), "spreadsheets.values.append"),
    ("POST", re.compile(r"^/v4/spreadsheets/([^/:]+):batchUpdate$"), "spreadsheets.batchUpdate"),
]


Fault = GoogleFault
"""A Sheets API fault: `status` (and `message`) of a status fault, `ms` of a latency one."""


class Faults(PendingFaults[GoogleFault]):
    """The pending faults of the fake Sheets API."""

    kinds = FAULT_KINDS
    methods = METHODS


class Quota:
    """Requests left this minute, reads and writes apart (None: no limit); a test moves the minute."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.limits: dict[str, int | None] = {"read": None, "write": None}
        self.used = {"read": 0, "write": 0}

    def spend(self, method: str) -> bool:
        kind = "read" if method in READS else "write"
        with self.lock:
            limit = self.limits[kind]
            if limit is not None and self.used[kind] >= limit:
                return False
            self.used[kind] += 1
            return True

    def next_minute(self) -> None:
        with self.lock:
            self.used = {"read": 0, "write": 0}


class SheetsServer(FakeServer):
    log = logging.getLogger("sheets_sandbox")

    def __init__(self, address: tuple[str, int], store: Store, faults: Faults, quota: Quota) -> None:
        super().__init__(address, Handler)
        self.store = store
        self.faults = faults
        self.quota = quota


class Handler(GoogleHandler):
    routes = _ROUTES

    @property
    def _server(self) -> SheetsServer:
        server = self.server
        assert isinstance(server, SheetsServer)
        return server

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def _api(self, method: str, args: list[str], query: dict[str, str], raw: bytes) -> None:
        server = self._server
        with server.store.lock:
            server.store.calls[method] += 1
        if self._play_fault(server.faults.take(method), _FAULT_MESSAGES):
            return
        if not server.quota.spend(method):
            self._send_json(429, ApiError(429, "RESOURCE_EXHAUSTED", _QUOTA).body())
            return
        try:
            server.store.check_caller(args[0], _caller(self.headers.get("Authorization")))
            body: Any = json.loads(raw.decode("utf-8")) if raw else {}
            self._send_json(200, _call(server.store, method, args, query, body))
        except ApiError as exc:
            self._send_json(exc.code, exc.body())
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            self._send_json(400, ApiError(400, "INVALID_ARGUMENT", f"Invalid request: {exc}").body())

    def _control(self, verb: str, action: str, raw: bytes) -> None:
        """What a test or a person at `make run ARGS=--keep` does: add a spreadsheet, share it or
        not, type in a cell or tick a box, set the quota, inject faults, look at everything."""
        server = self._server
        store = server.store
        try:
            body: Any = json.loads(raw.decode("utf-8") or "{}") if raw else {}
            if verb == "GET" and action == "state":
                self._send_json(200, control_state(server))
            elif action == "reset":
                store.reset()
                server.faults.clear()
                self._send_json(200, {"status": "OK"})
            elif action == "spreadsheets":
                store.add_spreadsheet(str(body["spreadsheetId"]))
                with store.lock:
                    store.spreadsheets[str(body["spreadsheetId"])].shared = bool(body.get("shared", True))
                self._send_json(200, {"status": "OK"})
            elif action == "cell":
                with store.lock:
                    tab = store.spreadsheets[str(body["spreadsheetId"])].tabs[str(body["tab"])]
                    cell = str(body["cell"])
                    letters = cell.rstrip("0123456789")
                    tab.put(int(cell[len(letters) :]) - 1, column_index(letters), body.get("value"))
                self._send_json(200, {"status": "OK"})
            elif action == "quota":
                server.quota.limits = {"read": body.get("reads"), "write": body.get("writes")}
                server.quota.next_minute()
                self._send_json(200, {"status": "OK"})
            elif action == "faults":
                self._add_faults(server.faults, body)
            else:
                self._send_json(404, {"error": f"no such control action {verb} {action!r}"})
        except Exception as exc:  # a bad control request is the caller's: answer it plainly
            self._send_json(400, {"error": f"{type(exc).__name__}: {exc}"})


_QUOTA = (
    "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per user' "
    "of service 'sheets.googleapis.com'."
)
_FAULT_MESSAGES = {403: "The caller does not have permission", 429: _QUOTA}
"""What the Sheets API says with these statuses, for a status fault that gives no message."""


def control_state(server: SheetsServer) -> dict[str, Any]:
    """What `/_sandbox/state` shows: each spreadsheet, its tabs and their rows, calls, faults."""
    store = server.store
    with store.lock:
        return {
            "spreadsheets": {
                sid: {
                    "shared": sheet.shared,
                    "tabs": {
                        title: {
                            "sheetId": tab.sheet_id,
                            "rows": tab.rows,
                            "checkboxColumns": sorted(tab.checkbox_columns),
                        }
                        for title, tab in sheet.tabs.items()
                    },
                }
                for sid, sheet in store.spreadsheets.items()
            },
            "calls": dict(store.calls),
            "faults": server.faults.pending(),
        }


def _caller(authorization: str | None) -> str | None:
    """Who calls: the bearer token, taken as the caller's address (the fake has no token service)."""
    if authorization and authorization.startswith("Bearer "):
        return authorization[len("Bearer ") :].strip() or None
    return None


def _call(store: Store, method: str, args: list[str], query: dict[str, str], body: Any) -> dict[str, Any]:
    if method == "spreadsheets.get":
        return store.get(args[0])
    if method == "spreadsheets.values.get":
        return store.get_values(args[0], args[1])
    if method == "spreadsheets.values.batchUpdate":
        return store.update_values(args[0], body)
    if method == "spreadsheets.values.append":
        return store.append_values(args[0], args[1], body)
    return store.batch_update(args[0], body)
