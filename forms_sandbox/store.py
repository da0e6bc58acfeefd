"""What the fake Forms API holds and how it answers: forms, responses, watches, on a clock the tests
move. Behaviour follows the REST reference (https://developers.google.com/workspace/forms/api/
reference/rest/v1, summarised in docs/google-cloud.md §9):

- responses.list: `filter` is `timestamp > T` or `timestamp >= T` (RFC 3339 UTC "Zulu", up to nine
  fractional digits), anything else is 400 INVALID_ARGUMENT; `pageSize` 0 or unset means at most
  5000, and the service may return fewer (`page_cap`); a `pageToken` only goes with the filter it
  was issued for; listed responses carry no `formId` ("not returned … for list requests").
  [guess] the timestamp compared is `lastSubmittedTime` (an edit is a new submission); the order is
  not documented, so the fake answers newest first: callers must not depend on it.
- watches: one per event type per form for this project ("the per form limit is one watch per
  EventType"), seven days from creation or from the last renew, gone when expired (renew answers
  NOT_FOUND then). [guess] the limit's error: 400 FAILED_PRECONDITION (the reference names none).
- errors are Google's JSON body `{"error": {"code", "message", "status"}}`: 404 NOT_FOUND for an
  unknown form, 403 PERMISSION_DENIED for a form not shared with the caller.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypedDict, Unpack

from sandbox_kit.google import ApiError

MAX_PAGE_SIZE = 5000
WATCH_LIFETIME = timedelta(days=7)
EVENT_TYPES = ("SCHEMA", "RESPONSES")
_FILTER = re.compile(r"^\s*timestamp\s*(>=|>)\s*(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z\s*$")
_TOPIC = re.compile(r"^projects/[^/]+/topics/[^/]+$")

Notify = Callable[[str, dict[str, str]], None]
"""Publishes one watch notification: (topic, attributes); the data is empty, as the real one's."""


class Submitted(TypedDict, total=False):
    """What a test may set of a submission or an edit; the fake makes up the rest (the clock's time)."""

    submitted_at: datetime | None


class NewResponse(Submitted, total=False):
    """What a test may set of a new response, besides its time (the fake makes up an id)."""

    response_id: str | None
    respondent_email: str | None


def not_found() -> ApiError:
    return ApiError(404, "NOT_FOUND", "Requested entity was not found.")


class Clock:
    """The fake's time: the real one plus whatever the test advanced it by."""

    def __init__(self, start: datetime | None = None) -> None:
        self._offset = timedelta(0) if start is None else start - datetime.now(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return datetime.now(UTC) + self._offset

    def advance(self, seconds: float) -> datetime:
        with self._lock:
            self._offset += timedelta(seconds=seconds)
        return self.now()

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._offset = moment - datetime.now(UTC)


def timestamp(moment: datetime) -> str:
    """RFC 3339 "Zulu" with 0, 3 or 6 fractional digits, as Google writes them."""
    utc = moment.astimezone(UTC)
    spec = (
        "seconds" if not utc.microsecond else "milliseconds" if not utc.microsecond % 1000 else "microseconds"
    )
    return utc.isoformat(timespec=spec).replace("+00:00", "Z")


def parse_timestamp(text: str) -> datetime:
    """An RFC 3339 "Zulu" time with up to nine fractional digits (nanoseconds are cut to micro)."""
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})", text)
    if not match:
        raise ValueError(f"not an RFC 3339 time: {text!r}")
    whole, fraction, zone = match.groups()
    micro = (fraction or "").ljust(6, "0")[:6]
    return datetime.fromisoformat(f"{whole}.{micro}{'+00:00' if zone == 'Z' else zone}").astimezone(UTC)


@dataclass
class Response:
    """One form response."""

    response_id: str
    create_time: datetime
    last_submitted_time: datetime
    answers: dict[str, Any] = field(default_factory=dict)
    respondent_email: str | None = None

    def to_json(self, form_id: str | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "responseId": self.response_id,
            "createTime": timestamp(self.create_time),
            "lastSubmittedTime": timestamp(self.last_submitted_time),
            "answers": self.answers,
        }
        if form_id:
            data = {"formId": form_id, **data}
        if self.respondent_email:
            data["respondentEmail"] = self.respondent_email
        return data


@dataclass
class Form:
    """A form: its forms.get body, who may read it, its responses and this project's watches."""

    body: dict[str, Any]
    shared: bool = True
    responses: dict[str, Response] = field(default_factory=dict)
    watches: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class _Page:
    form_id: str
    filter: str
    ids: list[str]
    offset: int


class Store:
    """Every form of the fake; one lock makes each call atomic."""

    def __init__(self, clock: Clock | None = None, *, page_cap: int = MAX_PAGE_SIZE) -> None:
        self.lock = threading.RLock()
        self.clock = clock or Clock()
        self.page_cap = page_cap
        """The most responses one page holds ("the service may return fewer than this value")."""
        self.forms: dict[str, Form] = {}
        self.calls: Counter[str] = Counter()
        self.requests: list[dict[str, Any]] = []
        """Each call: method, form, query (filter, pageSize, pageToken) and whether it had a token."""
        self.notify: Notify | None = None
        self.notifications: list[tuple[str, dict[str, str]]] = []
        self._pages: dict[str, _Page] = {}

    def reset(self) -> None:
        with self.lock:
            self.forms.clear()
            self.calls.clear()
            self.requests.clear()
            self.notifications.clear()
            self._pages.clear()

    # ── control ─────────────────────────────────────────────────────────────────────────────────

    def add_form(self, body: dict[str, Any], *, shared: bool = True) -> str:
        form_id = str(body.get("formId") or "")
        if not form_id:
            raise ValueError("a form needs a formId")
        with self.lock:
            self.forms[form_id] = Form(dict(body), shared)
        return form_id

    def add_response(self, form_id: str, answers: dict[str, Any], **given: Unpack[NewResponse]) -> Response:
        with self.lock:
            form = self._form(form_id, check_shared=False)
            moment = given.get("submitted_at") or self.clock.now()
            rid = given.get("response_id") or _new_response_id()
            if rid in form.responses:
                raise ValueError(f"response {rid} already exists: edit it instead")
            response = Response(rid, moment, moment, answers_json(answers), given.get("respondent_email"))
            form.responses[rid] = response
            sent = self._notifications(form_id, form)
        self._publish(sent)
        return response

    def edit_response(
        self,
        form_id: str,
        response_id: str,
        answers: dict[str, Any] | None = None,
        **given: Unpack[Submitted],
    ) -> Response:
        """The respondent edits: new answers (merged) and a new `lastSubmittedTime`."""
        with self.lock:
            form = self._form(form_id, check_shared=False)
            response = form.responses.get(response_id)
            if response is None:
                raise ValueError(f"no response {response_id} in form {form_id}")
            if answers:
                response.answers = {**response.answers, **answers_json(answers)}
            response.last_submitted_time = given.get("submitted_at") or self.clock.now()
            sent = self._notifications(form_id, form)
        self._publish(sent)
        return response

    # ── the API ─────────────────────────────────────────────────────────────────────────────────

    def get_form(self, form_id: str) -> dict[str, Any]:
        with self.lock:
            return self._form(form_id).body

    def list_responses(self, form_id: str, query: dict[str, str]) -> dict[str, Any]:
        with self.lock:
            form = self._form(form_id)
            wanted = _filter(query.get("filter", ""))
            size = _page_size(query.get("pageSize", ""))
            token = query.get("pageToken", "")
            if token:
                page = self._pages.pop(token, None)
                if page is None or page.form_id != form_id:
                    raise ApiError(400, "INVALID_ARGUMENT", "Invalid page token.")
                if page.filter != query.get("filter", ""):
                    raise ApiError(400, "INVALID_ARGUMENT", "The filter must not change between pages.")
            else:
                chosen = [r for r in form.responses.values() if wanted(r.last_submitted_time)]
                chosen.sort(key=lambda r: r.last_submitted_time, reverse=True)
                page = _Page(form_id, query.get("filter", ""), [r.response_id for r in chosen], 0)
            count = min(size, self.page_cap)
            ids = page.ids[page.offset : page.offset + count]
            answer: dict[str, Any] = {
                "responses": [form.responses[i].to_json() for i in ids if i in form.responses]
            }
            if page.offset + count < len(page.ids):
                next_token = secrets.token_urlsafe(12)
                self._pages[next_token] = _Page(form_id, page.filter, page.ids, page.offset + count)
                answer["nextPageToken"] = next_token
            if not answer["responses"]:
                del answer["responses"]  # an empty list is left out of Google's JSON
            return answer

    def get_response(self, form_id: str, response_id: str) -> dict[str, Any]:
        with self.lock:
            response = self._form(form_id).responses.get(response_id)
            if response is None:
                raise not_found()
            return response.to_json(form_id)

    def create_watch(self, form_id: str, body: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            form = self._form(form_id)
            self._expire(form)
            watch = body.get("watch") if isinstance(body, dict) else None
            if not isinstance(watch, dict):
                raise ApiError(400, "INVALID_ARGUMENT", "Request contains an invalid argument: watch.")
            topic = str(((watch.get("target") or {}).get("topic") or {}).get("topicName") or "")
            if not _TOPIC.match(topic):
                raise ApiError(
                    400, "INVALID_ARGUMENT", "watch.target.topic.topicName must be projects/*/topics/*."
                )
            event_type = watch.get("eventType")
            if event_type not in EVENT_TYPES:
                raise ApiError(400, "INVALID_ARGUMENT", "watch.eventType must be SCHEMA or RESPONSES.")
            if any(w["eventType"] == event_type for w in form.watches.values()):
                raise ApiError(
                    400,
                    "FAILED_PRECONDITION",
                    f"A watch for {event_type} already exists on this form for this project.",
                )
            watch_id = str(body.get("watchId") or secrets.token_hex(16))
            if watch_id in form.watches:
                raise ApiError(409, "ALREADY_EXISTS", f"Watch {watch_id} already exists.")
            now = self.clock.now()
            created = {
                "id": watch_id,
                "target": {"topic": {"topicName": topic}},
                "eventType": event_type,
                "createTime": timestamp(now),
                "expireTime": timestamp(now + WATCH_LIFETIME),
                "state": "ACTIVE",
            }
            form.watches[watch_id] = created
            return dict(created)

    def list_watches(self, form_id: str) -> dict[str, Any]:
        with self.lock:
            form = self._form(form_id)
            self._expire(form)
            watches = [dict(w) for w in form.watches.values()]
            return {"watches": watches} if watches else {}

    def renew_watch(self, form_id: str, watch_id: str) -> dict[str, Any]:
        with self.lock:
            form = self._form(form_id)
            self._expire(form)
            watch = form.watches.get(watch_id)
            if watch is None:
                raise not_found()
            watch["expireTime"] = timestamp(self.clock.now() + WATCH_LIFETIME)
            watch["state"] = "ACTIVE"
            watch.pop("errorType", None)
            return dict(watch)

    def delete_watch(self, form_id: str, watch_id: str) -> dict[str, Any]:
        with self.lock:
            form = self._form(form_id)
            self._expire(form)
            if form.watches.pop(watch_id, None) is None:
                raise not_found()
            return {}

    def suspend_watch(self, form_id: str, watch_id: str, error_type: str = "PROJECT_NOT_AUTHORIZED") -> None:
        """What Google does when it cannot publish to the topic: the watch stops until renewed."""
        with self.lock:
            watch = self._form(form_id, check_shared=False).watches[watch_id]
            watch.update(state="SUSPENDED", errorType=error_type)

    # ── helpers ─────────────────────────────────────────────────────────────────────────────────

    def _form(self, form_id: str, *, check_shared: bool = True) -> Form:
        form = self.forms.get(form_id)
        if form is None:
            raise not_found()
        if check_shared and not form.shared:
            raise ApiError(403, "PERMISSION_DENIED", "The caller does not have permission")
        return form

    def _expire(self, form: Form) -> None:
        now = self.clock.now()
        for watch_id, watch in list(form.watches.items()):
            if parse_timestamp(watch["expireTime"]) <= now:
                del form.watches[watch_id]

    def _notifications(self, form_id: str, form: Form) -> list[tuple[str, dict[str, str]]]:
        """What each active RESPONSES watch publishes: `{formId, watchId, eventType}`, no data."""
        self._expire(form)
        sent = []
        for watch in form.watches.values():
            if watch["eventType"] == "RESPONSES" and watch.get("state") == "ACTIVE":
                attributes = {"eventType": "RESPONSES", "formId": form_id, "watchId": watch["id"]}
                sent.append((watch["target"]["topic"]["topicName"], attributes))
        self.notifications.extend(sent)
        return sent

    def _publish(self, sent: list[tuple[str, dict[str, str]]]) -> None:
        """Outside the lock: a publish may be slow, and its push may call the fake back."""
        if self.notify is not None:
            for topic, attributes in sent:
                self.notify(topic, attributes)


def answers_json(answers: dict[str, Any]) -> dict[str, Any]:
    """`{questionId: "text" | ["a", "b"] | Answer}` as the API's `answers` map of `Answer` objects."""
    found: dict[str, Any] = {}
    for qid, value in answers.items():
        if isinstance(value, dict):
            found[qid] = {"questionId": qid, **value}
            continue
        values = value if isinstance(value, list) else [value]
        found[qid] = {"questionId": qid, "textAnswers": {"answers": [{"value": str(v)} for v in values]}}
    return found


def _new_response_id() -> str:
    """An id shaped like Google's (letters, digits and the `2_ABaOnud` prefix)."""
    return "2_ABaOnud" + secrets.token_urlsafe(18).replace("-", "x").replace("_", "y")


def _filter(text: str) -> Callable[[datetime], bool]:
    if not text.strip():
        return lambda _: True
    match = _FILTER.match(text)
    if not match:
        raise ApiError(
            400,
            "INVALID_ARGUMENT",
            f"Invalid filter '{text}': only 'timestamp > N' and 'timestamp >= N' (RFC 3339 UTC) "
            "are supported.",
        )
    operator, whole, fraction = match.groups()
    bound = parse_timestamp(f"{whole}.{fraction or '0'}Z")
    if operator == ">=":
        return lambda t: t >= bound
    return lambda t: t > bound


def _page_size(text: str) -> int:
    if not text.strip():
        return MAX_PAGE_SIZE
    try:
        size = int(text)
    except ValueError:
        raise ApiError(400, "INVALID_ARGUMENT", f"Invalid value for pageSize: '{text}'.") from None
    if size < 0:
        raise ApiError(400, "INVALID_ARGUMENT", "pageSize must not be negative.")
    return min(size or MAX_PAGE_SIZE, MAX_PAGE_SIZE)
