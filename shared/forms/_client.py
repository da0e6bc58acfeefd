"""The Forms API client: forms.get, forms.responses.list (filter, pages) and .get, forms.watches.

REST over httpx (docs/reconciliation.md says why not google-api-python-client). Errors are ours:
  429, 5xx, timeouts, dropped connections  → DeliveryUnavailableError (the next run retries)
  403, 404 (form not shared, wrong id)     → ConfigError naming the form and who to share it with
  401, other 4xx                           → ConfigError with the API's own message
Reads (GET) are retried twice with a short backoff; writes (watches) are not: a second create
would hit the one-watch-per-form limit.

Reference: https://developers.google.com/workspace/forms/api/reference/rest (v1), and
docs/google-cloud.md §9 and §10.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from shared.errors import ConfigError, DeliveryUnavailableError, FormsToOgustError
from shared.forms._model import DEFAULT_PAGE_SIZE, NOTIFICATIONS_ACCOUNT, SCOPES, Watch, rfc3339
from shared.google import GoogleApiClient, GoogleCall, google_error, json_object
from shared.mapping import FormDescription

DEFAULT_ENDPOINT = "https://forms.googleapis.com"
DEFAULT_TIMEOUT = 30.0
"""Seconds per Forms API call: a page of 1000 responses is a few hundred kilobytes."""
RETRY_PAUSES = (0.5, 2.0)
"""Pauses before the second and third attempt of a read."""


class FormsClient(GoogleApiClient):
    """One Forms API client per process: its connections and token are shared by every call."""

    API = "Forms"
    SCOPES = SCOPES
    DEFAULT_ENDPOINT = DEFAULT_ENDPOINT
    DEFAULT_TIMEOUT = DEFAULT_TIMEOUT

    def __init__(
        self,
        endpoint: str | None = None,
        *,
        credentials: Any = None,
        timeout: float = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(endpoint, credentials=credentials, timeout=timeout, transport=transport)
        self._sleep = sleep
        self.server_time: datetime | None = None
        """The Forms API's clock (its last `Date` header): watch expiry is decided by it."""

    # ── forms and responses ─────────────────────────────────────────────────────────────────────

    def get_form(self, form_id: str) -> FormDescription:
        """The form's items (`forms.get`): titles, Apps Script ids and question ids."""
        data = self._call("GET", f"/v1/forms/{form_id}", form_id, "forms.get")
        description = FormDescription.from_json(data)
        return FormDescription(form_id, description.title, description.items)

    def linked_sheet_id(self, form_id: str) -> str | None:
        """The id of the spreadsheet the form's responses go to (`linkedSheetId`), None without one."""
        data = self._call("GET", f"/v1/forms/{form_id}", form_id, "forms.get")
        return str(data.get("linkedSheetId") or "") or None

    def response_pages(
        self, form_id: str, *, since: datetime | None = None, page_size: int = DEFAULT_PAGE_SIZE
    ) -> Iterator[list[dict[str, Any]]]:
        """Every response submitted at or after `since` (all when None), one page at a time."""
        params: dict[str, str] = {"pageSize": str(page_size)}
        if since is not None:
            params["filter"] = f"timestamp >= {rfc3339(since)}"
        token: str | None = None
        while True:
            page = self._call(
                "GET",
                f"/v1/forms/{form_id}/responses",
                form_id,
                "forms.responses.list",
                params={**params, **({"pageToken": token} if token else {})},
            )
            responses = page.get("responses") or []
            yield [r for r in responses if isinstance(r, dict)]
            token = page.get("nextPageToken") or None
            if not token:
                return

    def get_response(self, form_id: str, response_id: str) -> dict[str, Any] | None:
        """One response (`forms.responses.get`), or None when the form has no such response."""
        try:
            return self._call(
                "GET", f"/v1/forms/{form_id}/responses/{response_id}", form_id, "forms.responses.get"
            )
        except _NotFound:
            return None

    # ── watches ─────────────────────────────────────────────────────────────────────────────────

    def watches(self, form_id: str) -> list[Watch]:
        """The watches this project owns on the form (at most one per event type)."""
        data = self._call("GET", f"/v1/forms/{form_id}/watches", form_id, "forms.watches.list")
        return [Watch.from_json(w) for w in data.get("watches") or [] if isinstance(w, dict)]

    def create_watch(self, form_id: str, topic: str, event_type: str = "RESPONSES") -> Watch:
        """Publish `event_type` notifications of the form to `topic` (for seven days)."""
        body = {"watch": {"target": {"topic": {"topicName": topic}}, "eventType": event_type}}
        data = self._call("POST", f"/v1/forms/{form_id}/watches", form_id, "forms.watches.create", json=body)
        return Watch.from_json(data)

    def renew_watch(self, form_id: str, watch_id: str) -> Watch:
        """Seven more days from now (and a suspended watch active again, if its error is gone)."""
        path = f"/v1/forms/{form_id}/watches/{watch_id}:renew"
        return Watch.from_json(self._call("POST", path, form_id, "forms.watches.renew"))

    def delete_watch(self, form_id: str, watch_id: str) -> None:
        self._call("DELETE", f"/v1/forms/{form_id}/watches/{watch_id}", form_id, "forms.watches.delete")

    # ── HTTP ────────────────────────────────────────────────────────────────────────────────────

    def _call(
        self,
        method: str,
        path: str,
        form_id: str,
        what: str,
        *,
        params: dict[str, str] | None = None,
        json: Any = None,
    ) -> dict[str, Any]:
        attempts = 1 + (len(RETRY_PAUSES) if method == "GET" else 0)
        for attempt in range(attempts):
            try:
                return self._once(method, path, form_id, what, params, json)
            except DeliveryUnavailableError:
                if attempt == attempts - 1:
                    raise
                self._sleep(RETRY_PAUSES[attempt])
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(
        self, method: str, path: str, form_id: str, what: str, params: dict[str, str] | None, body: Any
    ) -> dict[str, Any]:
        call = GoogleCall("Forms", what, f"form '{form_id}'", "; the next run tries again")
        answer = self._send(method, path, call, params=params, json=body)
        self._note_time(answer)
        if answer.is_success:
            return json_object(answer, call)
        raise self._error(answer, form_id, what)

    def _error(self, answer: httpx.Response, form_id: str, what: str) -> FormsToOgustError:
        code, said = google_error(answer)
        if code == 429 or code >= 500:
            return DeliveryUnavailableError(
                f"the Forms API is unavailable for {what} of form '{form_id}' ({said}); the next run "
                "tries again"
            )
        if code == 404 and what == "forms.responses.get":
            return _NotFound(said)
        if code in (403, 404):
            if what == "forms.watches.create":
                return ConfigError(
                    f"the Forms API refused to create a watch on form '{form_id}' ({said}): the topic "
                    f"must belong to this project and grant roles/pubsub.publisher to "
                    f"{NOTIFICATIONS_ACCOUNT}; the form must be shared with {self.principal}"
                )
            return ConfigError(
                f"the Forms API refused {what} for form '{form_id}' ({said}): share the form with "
                f"{self.principal} (Forms > Share > Add collaborators: only editors see the responses; "
                "its token can only read), or check the form_id in the mapping"
            )
        if code == 401:
            return ConfigError(f"the Forms API refused the credentials of {self.principal} ({said})")
        return ConfigError(f"the Forms API refused {what} for form '{form_id}' ({said})")

    def _note_time(self, answer: httpx.Response) -> None:
        date = answer.headers.get("Date")
        if date:
            with contextlib.suppress(TypeError, ValueError):
                self.server_time = parsedate_to_datetime(date).astimezone(UTC)


class _NotFound(ConfigError):
    """A response that is not in the form (forms.responses.get): not an error for the caller."""
