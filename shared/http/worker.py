"""The worker: one Pub/Sub push delivery in, one ack (2xx) or nack (503) out.

    push → parse → apply_once: ledger verdict ─ stale / duplicate (no Ogust call) ─→ ack
                                              └ process → record in the ledger ────→ ack
    transient error (Ogust, Secret Manager, ledger down; misconfiguration) ────────→ nack (retry later)
      on the last delivery attempt (deliveryAttempt ≥ MAX_DELIVERY_ATTEMPTS): given up
        → recorded refused (DeliveryAttemptsExhausted), then parked like a permanent error
    permanent error (mapping, several matches, Ogust KO, unreadable message)
        → publish to the dead-letter topic with the reason ───────────────────────→ ack
          (and if that publish fails ──────────────────────────────────────────────→ nack: never lost)
          (this version parked already, e.g. queued by two reconciler runs ───────→ ack, not again)

It is an HTTP function rather than a CloudEvent one so that it answers the status itself: with
`@cloud_event` a nack can only be an exception, which the framework logs as a crash.
"""

from __future__ import annotations

import json

import flask

from shared.delivery import PushMessage, park
from shared.errors import DeliveryAttemptsExhausted, FormsToOgustError, PayloadError
from shared.exactly_once import Ledger, apply_once
from shared.http.answers import log_failure, log_outcome
from shared.http.entry import Entry
from shared.http.runtime import Runtime
from shared.lifecycle import AttemptOutcome, Reported
from shared.logs import log, log_context
from shared.webhook import Submission, parse_submission, read_json

PUSH_ACK_STATUS = 204
"""Pub/Sub push counts 102, 200, 201, 202 and 204 as an acknowledgement."""

PUSH_NACK_STATUS = 503
"""Any other status is a NACK: Pub/Sub redelivers with the subscription's backoff, and moves the
message to the dead-letter topic by itself after the maximum number of delivery attempts."""

PUSH_MAX_BODY_BYTES = 1024 * 1024
"""A push carries one of our own messages: a submission (at most 256 KiB), base64-encoded, its
attributes and the envelope; anything larger is not one."""

WORKER = Entry(
    max_body_bytes=PUSH_MAX_BODY_BYTES,
    crash_message="submission not applied, Pub/Sub will retry",
    crash_status=PUSH_NACK_STATUS,  # a bug: nack, so it is retried and finally dead-lettered by Pub/Sub
)


def handle_push(request: flask.Request, runtime: Runtime) -> flask.Response:
    """Apply one pushed submission to Ogust and tell Pub/Sub whether to deliver it again."""
    return WORKER.serve(_handle, request, runtime)


def _handle(request: flask.Request, body: bytes, runtime: Runtime) -> flask.Response:
    try:
        read_json(body)  # every way of breaking JSON is a 400 (nesting, huge numbers), never a crash
        message = PushMessage.parse(body)
    except PayloadError as exc:
        # Not a Pub/Sub push at all: nack, so Pub/Sub dead-letters it after the last attempt.
        log_failure(exc, "push delivery not understood", status=AttemptOutcome.FAILED)
        return _answer(400, str(exc))
    with log_context(
        messageId=message.message_id or None,
        responseId=message.attributes.get("responseId"),
        formId=message.attributes.get("formId"),
        deliveryAttempt=message.delivery_attempt,
    ):
        return _deliver(message, runtime)


def _deliver(message: PushMessage, runtime: Runtime) -> flask.Response:
    submission: Submission | None = None
    try:
        submission = parse_submission(message.data)
        with log_context(responseId=submission.response_id, formId=submission.form_id):
            source = message.origin
            received = message.received_at
            log_outcome(
                apply_once(
                    submission,
                    runtime.mapping,
                    runtime.ogust(),
                    runtime.guard(),
                    source=source,
                    received_at=received,
                )
            )
            return _answer(PUSH_ACK_STATUS)
    except FormsToOgustError as exc:
        if exc.retryable and not _last_attempt(message, runtime):
            log_failure(exc, "submission not applied, Pub/Sub will retry", status=AttemptOutcome.FAILED)
            return _answer(PUSH_NACK_STATUS, "retry later")
        if exc.retryable:
            exc = _give_up(message, submission, exc, runtime)
        return _park(message, submission, exc, runtime)


def _last_attempt(message: PushMessage, runtime: Runtime) -> bool:
    """Whether Pub/Sub delivers this message for the last time (its `deliveryAttempt` reached
    MAX_DELIVERY_ATTEMPTS). Unknown (no setting, or a push without the count: the emulator, a
    subscription without a dead-letter policy) is no: nack, and Pub/Sub dead-letters it itself."""
    maximum = runtime.settings.max_delivery_attempts
    attempt = message.delivery_attempt
    return maximum is not None and attempt is not None and attempt >= maximum


def _give_up(
    message: PushMessage, submission: Submission | None, exc: FormsToOgustError, runtime: Runtime
) -> DeliveryAttemptsExhausted:
    """The refusal of a submission still failing on its last delivery attempt, recorded as such in
    the ledger (best effort), so that the agency's tab says « refusé » and why, and the agency is
    told once, as of any refusal. Parking it follows; if that fails, the nack leaves it to Pub/Sub,
    which dead-letters it after this attempt: nothing is lost."""
    given_up = DeliveryAttemptsExhausted.after(exc, message.delivery_attempt or 0)
    log_failure(exc, "submission not applied on its last delivery attempt", status=AttemptOutcome.FAILED)
    if submission is not None:
        try:
            guard = runtime.guard()
        except FormsToOgustError:
            return given_up  # no ledger: the letter still carries the reason
        guard.record_failure(submission, given_up, source=message.origin, received_at=message.received_at)
    return given_up


def _park(
    message: PushMessage, submission: Submission | None, exc: FormsToOgustError, runtime: Runtime
) -> flask.Response:
    """Publish to the dead-letter topic with the reason, then ack; nack if parking failed."""
    try:
        ledger: Ledger | None = runtime.guard().ledger
    except FormsToOgustError:
        ledger = None  # parking matters more than the note that avoids parking twice
    settings = runtime.settings
    try:
        parked = park(
            message,
            submission,
            exc,
            ledger=ledger,
            publisher=runtime.publisher(),
            project=settings.project,
            topic=settings.dead_letter_topic,
        )
    except FormsToOgustError as park_error:
        log_failure(
            park_error,
            f"submission refused ({exc}) but could not be dead-lettered; Pub/Sub will retry",
            status=AttemptOutcome.FAILED,
        )
        return _answer(PUSH_NACK_STATUS, "retry later")
    if not parked:
        log("INFO", f"submission refused again, already parked: {exc}", status=AttemptOutcome.DUPLICATE)
        return _answer(PUSH_ACK_STATUS)
    log_failure(exc, "submission dead-lettered", status=Reported.DEAD_LETTERED, reason=str(exc))
    return _answer(PUSH_ACK_STATUS)


def _answer(status: int, message: str | None = None) -> flask.Response:
    if status == PUSH_ACK_STATUS:
        return flask.Response(status=status)
    body = json.dumps({"error": message or "not acknowledged"})
    return flask.Response(body, status=status, mimetype="application/json")
