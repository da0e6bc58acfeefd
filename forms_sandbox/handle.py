"""`FormsSandbox`: run the fake Forms API in a background thread and drive it from Python."""

from __future__ import annotations

import copy
import zlib
from collections import Counter
from datetime import datetime
from typing import Any, Unpack

from forms_sandbox.faults import Fault, Faults
from forms_sandbox.server import FormsServer
from forms_sandbox.store import MAX_PAGE_SIZE, Clock, NewResponse, Notify, Response, Store, Submitted
from sandbox_kit import Background


class FormsSandbox(Background):
    """A fake Forms API on `host:port` (port 0 = a free one); use `with FormsSandbox() as fs:`."""

    name = "Forms sandbox"

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        start: datetime | None = None,
        page_cap: int = MAX_PAGE_SIZE,
        notify: Notify | None = None,
    ) -> None:
        self.clock = Clock(start)
        self.store = Store(self.clock, page_cap=page_cap)
        self.store.notify = notify
        self.faults = Faults()
        super().__init__(host, port)

    def new_server(self, address: tuple[str, int]) -> FormsServer:
        return FormsServer(address, self.store, self.faults)

    @property
    def url(self) -> str:
        """`http://host:port`: what FORMS_API_ENDPOINT is set to."""
        return self.base_url

    def reset(self) -> None:
        """No forms, responses, watches, faults or counters; the page cap back to the API's."""
        self.store.reset()
        self.store.page_cap = MAX_PAGE_SIZE
        self.faults.clear()

    # ── content ─────────────────────────────────────────────────────────────────────────────────

    def add_form(self, body: dict[str, Any], *, shared: bool = True) -> str:
        """Store a form (its forms.get JSON); `shared=False`: the caller may not read it (403)."""
        return self.store.add_form(body, shared=shared)

    def share(self, form_id: str, shared: bool = True) -> None:
        with self.store.lock:
            self.store.forms[form_id].shared = shared

    def add_response(
        self, form_id: str, answers: dict[str, Any], **given: Unpack[NewResponse]
    ) -> dict[str, Any]:
        """A respondent submits: `answers` by question id (text, list of texts or an Answer), and
        maybe its `response_id`, `submitted_at` and `respondent_email`."""
        return _json(self.store.add_response(form_id, answers, **given), form_id)

    def edit_response(
        self,
        form_id: str,
        response_id: str,
        answers: dict[str, Any] | None = None,
        **given: Unpack[Submitted],
    ) -> dict[str, Any]:
        """The respondent edits the response: a new `lastSubmittedTime` (`submitted_at` or now)."""
        return _json(self.store.edit_response(form_id, response_id, answers, **given), form_id)

    def responses(self, form_id: str) -> list[dict[str, Any]]:
        with self.store.lock:
            return [copy.deepcopy(r.to_json(form_id)) for r in self.store.forms[form_id].responses.values()]

    def watches(self, form_id: str) -> list[dict[str, Any]]:
        """This project's watches on the form (expired ones are dropped first)."""
        return list(self.store.list_watches(form_id).get("watches", []))

    def suspend_watch(self, form_id: str, watch_id: str) -> None:
        self.store.suspend_watch(form_id, watch_id)

    def notifications(self) -> list[tuple[str, dict[str, str]]]:
        with self.store.lock:
            return list(self.store.notifications)

    def calls(self) -> Counter[str]:
        with self.store.lock:
            return Counter(self.store.calls)

    def requests(self, method: str | None = None) -> list[dict[str, Any]]:
        """The calls received (method, path arguments, query, whether a token was sent)."""
        with self.store.lock:
            return [copy.deepcopy(r) for r in self.store.requests if method in (None, r["method"])]

    # ── time and faults ─────────────────────────────────────────────────────────────────────────

    def advance(self, seconds: float) -> datetime:
        """Move the fake's clock (watch expiry, new responses' times, the `Date` header)."""
        return self.clock.advance(seconds)

    def set_page_cap(self, responses: int) -> None:
        """The most responses one page holds, whatever pageSize asks ("may return fewer")."""
        self.store.page_cap = responses

    def inject_status(self, status: int, count: int = 1, method: str | None = None, *, skip: int = 0) -> None:
        """The next `count` calls (of `method`, after `skip` of them) answer `status` with Google's body."""
        self.faults.add(Fault("status", count, method, skip, status=status))

    def inject_drop(self, count: int = 1, method: str | None = None, *, skip: int = 0) -> None:
        """The next `count` calls get their connection closed without an answer."""
        self.faults.add(Fault("drop", count, method, skip))

    def inject_latency(self, ms: int, count: int = 1, method: str | None = None, *, skip: int = 0) -> None:
        self.faults.add(Fault("latency", count, method, skip, ms=ms))

    def clear_faults(self) -> None:
        self.faults.clear()


def _json(response: Response, form_id: str) -> dict[str, Any]:
    return copy.deepcopy(response.to_json(form_id))


def question_id_for(item_id: int) -> str:
    """A question id for an item, as the Forms API would give one: 8 hex digits, below 0x80000000,
    and NOT the item id (a question's id is its own; see shared/mapping/form.py)."""
    return format(zlib.crc32(f"question-{item_id}".encode()) & 0x7FFFFFFF, "08x")


def form_from_apps_script_export(export: dict[str, Any]) -> dict[str, Any]:
    """The `forms.get` JSON of the form an Apps Script `exportFormDescription()` describes: each
    `itemId` the Apps Script id in hexadecimal, each question with its own `questionId`."""
    items = []
    for raw in export["items"]:
        item_id, kind = int(raw["itemId"]), str(raw.get("type") or "TEXT")
        item: dict[str, Any] = {"itemId": format(item_id, "x"), "title": raw["title"]}
        choices = [{"value": c} for c in raw.get("choices") or []]
        layout = {"PAGE_BREAK": "pageBreakItem", "SECTION_HEADER": "textItem", "IMAGE": "imageItem"}
        if kind in layout or kind == "VIDEO":
            item[layout.get(kind, "videoItem")] = {}
        elif kind in ("GRID", "CHECKBOX_GRID"):
            rows = raw.get("rows") or ["Ligne 1"]
            item["questionGroupItem"] = {
                "questions": [
                    {"questionId": question_id_for(item_id * 100 + n), "rowQuestion": {"title": row}}
                    for n, row in enumerate(rows)
                ],
                "grid": {
                    "columns": {
                        "type": "CHECKBOX" if kind == "CHECKBOX_GRID" else "RADIO",
                        "options": choices,
                    }
                },
            }
        else:
            item["questionItem"] = {
                "question": {"questionId": question_id_for(item_id), **_question(kind, choices)}
            }
        items.append(item)
    return {
        "formId": export["formId"],
        "info": {"title": export.get("formTitle", ""), "documentTitle": export.get("formTitle", "")},
        "items": items,
    }


def _question(kind: str, choices: list[dict[str, str]]) -> dict[str, Any]:
    choice = {"MULTIPLE_CHOICE": "RADIO", "CHECKBOX": "CHECKBOX", "LIST": "DROP_DOWN"}
    if kind in choice:
        return {"choiceQuestion": {"type": choice[kind], "options": choices}}
    if kind in ("TEXT", "PARAGRAPH_TEXT"):
        return {"textQuestion": {"paragraph": kind == "PARAGRAPH_TEXT"}}
    if kind in ("DATE", "DATETIME"):
        return {"dateQuestion": {"includeTime": kind == "DATETIME", "includeYear": True}}
    if kind in ("TIME", "DURATION"):
        return {"timeQuestion": {"duration": kind == "DURATION"}}
    if kind == "SCALE":
        return {"scaleQuestion": {"low": 1, "high": 5}}
    if kind == "FILE_UPLOAD":
        return {"fileUploadQuestion": {"folderId": "0B-dossier", "maxFiles": 1}}
    return {"textQuestion": {}}
