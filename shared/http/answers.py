"""What the HTTP functions answer and log: one JSON shape per outcome, one per error."""

from __future__ import annotations

import contextlib
import json
import socket
from typing import Any

import flask

from shared.engine import Outcome
from shared.errors import FormsToOgustError, policy
from shared.lifecycle import AttemptOutcome, Reported
from shared.logs import log

RETRY_AFTER_SECONDS = 60
"""What a 503 asks the sender to wait before trying again."""


def json_response(
    body: dict[str, Any], status: int, headers: dict[str, str] | None = None, *, unread_body: bool = False
) -> flask.Response:
    """A JSON answer (UTF-8, accents kept).

    `unread_body`: the request body is left unread on purpose (too large, or never coming). The
    answer is then streamed, because functions-framework reads the whole request before any answer
    that is not (its `read_request` hook); the reading half of the connection is shut at once and
    the whole connection once the answer is sent, because a server reads what is left of a body
    before it closes (werkzeug drains it) or as it waits for the next request.
    """
    text = json.dumps(body, ensure_ascii=False)
    content: Any = iter([text.encode()]) if unread_body else text
    response = flask.Response(content, status=status, mimetype="application/json")
    if unread_body:
        response.headers["Connection"] = "close"
        sock = request_socket()  # now: the request is gone when the server closes the response
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RD)
            response.call_on_close(lambda: _hang_up(sock))
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def request_socket() -> socket.socket | None:
    """The connection's socket: gunicorn's in the cloud, werkzeug's locally; none in a test client."""
    if not flask.has_request_context():
        return None
    environ = flask.request.environ
    found: socket.socket | None = environ.get("gunicorn.socket") or environ.get("werkzeug.socket")
    return found


def _hang_up(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def error_body(exc: FormsToOgustError) -> dict[str, Any]:
    """The JSON a sender gets: what is wrong, and where, without internals or secrets."""
    return {
        "status": Reported.RETRY_LATER if exc.retryable else AttemptOutcome.REJECTED,
        "error": exc.public_message,
        **exc.details(),
    }


def failure_response(
    exc: FormsToOgustError, *, unread_body: bool = False, agency_notified: bool = False
) -> flask.Response:
    """Log the error once and answer its status (503 with Retry-After when it may succeed later).

    `agency_notified`: the refusal reaches the agency through its tab and e-mail, and the answer
    says so (`"agencyNotified": true`) so that the sender does not report it a second time.
    """
    status = policy(exc).http_status
    log_failure(
        exc,
        "submission not applied",
        status=AttemptOutcome.FAILED if exc.retryable else AttemptOutcome.REJECTED,
    )
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if exc.retryable else {}
    body = error_body(exc)
    if agency_notified:
        body["agencyNotified"] = True
    return json_response(body, status, headers, unread_body=unread_body)


def log_failure(exc: FormsToOgustError, what: str, **fields: Any) -> None:
    """One line for an error: its message, its kind and its details (masked like every line)."""
    severity = policy(exc).severity
    details = {k: v for k, v in exc.details().items() if k != "value"}  # the answer itself stays out
    log(severity, f"{what}: {exc}", error=type(exc).__name__, **details, **fields)


def log_outcome(outcome: Outcome) -> None:
    """One line for a submission that was applied (or skipped, or already applied)."""
    log(
        "INFO",
        f"submission {outcome.status}" + (f": {outcome.reason}" if outcome.reason else ""),
        status=outcome.status,
        customerId=outcome.customer_id,
        changed=outcome.changed,
        reason=outcome.reason,
    )


def outcome_body(outcome: Outcome, response_id: str) -> dict[str, Any]:
    """The JSON of an applied submission."""
    body = {
        "status": outcome.status,
        "customerId": outcome.customer_id,
        "responseId": response_id,
        "changed": outcome.changed,
    }
    return {**body, "reason": outcome.reason} if outcome.reason else body
