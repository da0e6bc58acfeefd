"""The worker: one Pub/Sub push delivery in, one ack (2xx) or nack (503) out.

    push → parse → apply_once: ledger verdict ─ stale / duplicate (no Ogust call) ─→ ack
                                              └ process → record in the ledger ────→ ack
    transient error (Ogust, Secret Manager, ledger down; misconfiguration) ────────→ nack (retry later)
    permanent error (mapping, several matches, Ogust KO, unreadable message)
        → publish to the dead-letter topic with the reason ───────────────────────→ ack
          (and if that publish fails ──────────────────────────────────────────────→ nack: never lost)

It is an HTTP function rather than a CloudEvent one so that it answers the status itself: with
`@cloud_event` a nack can only be an exception, which the framework logs as a crash.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import flask

from shared.delivery._ledger import apply_once
from shared.delivery._messages import PushMessage, dead_letter_attributes, parse_push
from shared.delivery._pubsub import topic_path
from shared.errors import ConfigError, FormsToOgustError, OgustError, PayloadError, SubmissionRejected
from shared.logs import log, log_context
from shared.outcome import PUSH_ACK_STATUS, PUSH_NACK_STATUS, push_decision
from shared.webhook import Submission, parse_submission

if TYPE_CHECKING:
    from shared.runtime import Runtime


def handle_push(request: flask.Request, runtime: Runtime) -> flask.Response:
    """Apply one pushed submission to Ogust and tell Pub/Sub whether to deliver it again."""
    if request.method != "POST":
        return _answer(405, "only POST is accepted")
    try:
        message = parse_push(request.get_data())
    except PayloadError as exc:
        # Not a Pub/Sub push at all: nack, so Pub/Sub dead-letters it after the last attempt.
        log("ERROR", f"push delivery not understood: {exc}", status="failed", error="PayloadError")
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
            return _apply(submission, runtime)
    except FormsToOgustError as exc:
        if push_decision(exc) == "retry":
            severity = "ERROR" if isinstance(exc, ConfigError) else "WARNING"
            log(
                severity,
                f"submission not applied, Pub/Sub will retry: {exc}",
                status="failed",
                error=_kind(exc),
            )
            return _answer(PUSH_NACK_STATUS, "retry later")
        return _park(message, submission, exc, runtime)
    except Exception as exc:  # a bug: nack, so it is retried and finally dead-lettered by Pub/Sub
        log(
            "ERROR",
            f"unexpected {type(exc).__name__} while applying a submission",
            status="failed",
            error=str(exc),
        )
        return _answer(PUSH_NACK_STATUS, "internal error")


def _apply(submission: Submission, runtime: Runtime) -> flask.Response:
    outcome = apply_once(submission, runtime.mapping, runtime.ogust(), runtime.ledger())
    log(
        "INFO",
        f"submission {outcome.status}" + (f": {outcome.reason}" if outcome.reason else ""),
        status=outcome.status,
        customerId=outcome.customer_id,
        changed=outcome.changed,
        reason=outcome.reason,
    )
    return _answer(PUSH_ACK_STATUS)


def _park(
    message: PushMessage, submission: Submission | None, exc: FormsToOgustError, runtime: Runtime
) -> flask.Response:
    """Publish to the dead-letter topic with the reason, then ack; nack if parking failed."""
    try:
        if not runtime.settings.dead_letter_topic:
            raise ConfigError("DEAD_LETTER_TOPIC is not set: a refused submission cannot be parked")
        topic = topic_path(runtime.settings.project, runtime.settings.dead_letter_topic)
        attributes = dead_letter_attributes(submission or message.attributes, exc)
        runtime.publisher().publish(topic, message.data, attributes)
    except FormsToOgustError as park_error:
        log(
            "ERROR",
            f"submission refused ({exc}) but could not be dead-lettered ({park_error}); Pub/Sub will retry",
            status="failed",
            error=_kind(park_error),
        )
        return _answer(PUSH_NACK_STATUS, "retry later")
    fields: dict[str, Any] = {"error": _kind(exc)}
    if isinstance(exc, SubmissionRejected):
        fields.update(field=exc.field, question=exc.question)
    if isinstance(exc, OgustError):
        fields.update(ogustMethod=exc.method)
    log("WARNING", f"submission dead-lettered: {exc}", status="dead-lettered", reason=str(exc), **fields)
    return _answer(PUSH_ACK_STATUS)


def _kind(exc: BaseException) -> str:
    return type(exc).__name__


def _answer(status: int, message: str | None = None) -> flask.Response:
    if status == PUSH_ACK_STATUS:
        return flask.Response(status=status)
    body = json.dumps({"error": message or "not acknowledged"})
    return flask.Response(body, status=status, mimetype="application/json")
