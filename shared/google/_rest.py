"""What every Google REST client here does the same way: send one call with its token, turn the
answer into a JSON object, and read Google's error body.

The clients (Forms, Sheets) keep what differs: which errors mean "share it with us", which calls
are retried, what their messages advise. Errors raised here are ours:
  timeouts, dropped connections, a success that is not JSON  → DeliveryUnavailableError
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from shared.errors import DeliveryUnavailableError


@dataclass(frozen=True)
class GoogleCall:
    """One call, named for messages: `the {api} API did not answer {what} for {target}{then}`."""

    api: str
    """The API's name: "Forms", "Sheets"."""
    what: str
    """The method's name in Google's reference: "forms.get", "spreadsheets.values.get"."""
    target: str
    """What it is about: "form 'abc'", "spreadsheet 'xyz'"."""
    then: str = ""
    """Added after the message when no answer came (what happens next): "; the next run tries again"."""


def send(
    http: httpx.Client,
    authorization: str | None,
    method: str,
    url: str,
    call: GoogleCall,
    *,
    params: dict[str, str] | None = None,
    json: Any = None,
) -> httpx.Response:
    """The answer to one call, whatever its status; DeliveryUnavailableError when none came."""
    headers = {"Accept": "application/json"}
    if authorization:
        headers["Authorization"] = authorization
    try:
        return http.request(method, url, params=params, json=json, headers=headers)
    except httpx.HTTPError as exc:
        raise DeliveryUnavailableError(
            f"the {call.api} API did not answer {call.what} for {call.target} ({type(exc).__name__})"
            f"{call.then}"
        ) from None


def json_object(answer: httpx.Response, call: GoogleCall) -> dict[str, Any]:
    """The body of a successful answer ({} when empty or not an object)."""
    if not answer.content:
        return {}
    try:
        data = answer.json()
    except ValueError:
        raise DeliveryUnavailableError(
            f"the {call.api} API answered {call.what} for {call.target} with something other than JSON"
        ) from None
    return data if isinstance(data, dict) else {}


def google_error(answer: httpx.Response) -> tuple[int, str]:
    """(code, "code STATUS: message") of Google's error body `{"error": {"code", "message", "status"}}`."""
    try:
        error = answer.json().get("error") or {}
    except (ValueError, AttributeError):
        error = {}
    message = str(error.get("message") or answer.reason_phrase or "no message")[:300]
    status = str(error.get("status") or "")
    code = answer.status_code
    return code, f"{code} {status}: {message}" if status else f"{code}: {message}"
