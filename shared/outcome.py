"""The one place where an error class becomes an HTTP status, or a Pub/Sub ack / nack decision."""

from __future__ import annotations

from typing import Any, Literal

from shared.errors import (
    AmbiguousMatchError,
    ConfigError,
    FormsToOgustError,
    OgustRejectedError,
    PayloadError,
    PayloadTooLargeError,
    SignatureError,
    SubmissionRejected,
)

RETRY_AFTER_SECONDS = 60


def http_status(exc: FormsToOgustError) -> int:
    """4xx: the sender must not retry as is; 503: keep the submission and retry later."""
    if isinstance(exc, SignatureError):
        return 401
    if isinstance(exc, PayloadTooLargeError):
        return 413
    if isinstance(exc, PayloadError):
        return 400
    if isinstance(exc, SubmissionRejected | OgustRejectedError):
        return 422
    # Transient failures and misconfiguration alike: the submission is fine, keep it and retry.
    return 503


def is_retryable(exc: FormsToOgustError) -> bool:
    """Whether the same submission may succeed later without anyone changing it."""
    return exc.transient or isinstance(exc, ConfigError)


PUSH_ACK_STATUS = 204
"""Pub/Sub push counts 102, 200, 201, 202 and 204 as an acknowledgement."""

PUSH_NACK_STATUS = 503
"""Any other status is a NACK: Pub/Sub redelivers with the subscription's backoff, and moves the
message to the dead-letter topic by itself after the maximum number of delivery attempts."""

PushDecision = Literal["retry", "dead-letter"]


def push_decision(exc: FormsToOgustError) -> PushDecision:
    """What the worker does with a submission that failed with `exc`.

    retry: answer PUSH_NACK_STATUS so Pub/Sub redelivers it later (Ogust or Secret Manager down,
    misconfiguration). dead-letter: retrying the same data cannot help (mapping refusal, several
    matches, Ogust KO on the data): park it with the reason at once, then acknowledge it.
    """
    return "retry" if is_retryable(exc) else "dead-letter"


def error_body(exc: FormsToOgustError) -> dict[str, Any]:
    """The JSON a sender gets: what is wrong, and where, without internals or secrets."""
    status = http_status(exc)
    body: dict[str, Any] = {
        "status": "rejected" if status < 500 else "retry-later",
        "error": _public_message(exc),
    }
    if isinstance(exc, SubmissionRejected):
        body["field"] = exc.field
        body["question"] = exc.question
        if exc.value is not None:
            body["value"] = exc.value
    if isinstance(exc, AmbiguousMatchError):
        body["customerIds"] = exc.customer_ids
    if isinstance(exc, OgustRejectedError):
        body["ogustMethod"] = exc.method
        body["ogustMessage"] = exc.ogust_message
    return body


def _public_message(exc: FormsToOgustError) -> str:
    if isinstance(exc, ConfigError):
        # The details (which secret, which setting) go to the function's logs, not to the internet.
        return "the service is not configured correctly; its logs say why"
    return str(exc)
