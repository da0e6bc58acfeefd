"""`receive_submission`: (method, size, time: `Entry`) → signature → schema → mapping → Ogust (sync
mode) or Pub/Sub (queue mode), one status per outcome."""

from __future__ import annotations

import flask

from shared.delivery import apply_once, enqueue, topic_path
from shared.errors import FormsToOgustError
from shared.http.answers import failure_response, json_response, log_outcome, outcome_body
from shared.http.entry import Entry
from shared.http.runtime import Runtime
from shared.lifecycle import AttemptOutcome, Reported
from shared.logs import log, log_context
from shared.ogust import ogust_wait
from shared.webhook import MAX_BODY_BYTES, Submission, parse_submission, verify_signature

RECEIVER = Entry(max_body_bytes=MAX_BODY_BYTES, crash_message="submission not handled")


def receive(request: flask.Request, runtime: Runtime) -> flask.Response:
    """Handle one signed submission: apply it now (sync) or queue it (queue), and say which.

    The answer's `Server-Timing` header says how long was spent waiting for Ogust.
    """
    with ogust_wait() as waited:
        response = RECEIVER.serve(_receive, request, runtime)
    if waited[0]:
        response.headers["Server-Timing"] = f"ogust;dur={waited[0] * 1000:.2f}"
    return response


def _receive(request: flask.Request, body: bytes, runtime: Runtime) -> flask.Response:
    webhook_id = request.headers.get("webhook-id", "")[:64] or None
    with log_context(webhookId=webhook_id):
        try:
            verify_signature(dict(request.headers.items()), body, runtime.secrets.webhook_secrets())
            submission = parse_submission(body)
            with log_context(responseId=submission.response_id, formId=submission.form_id):
                if runtime.settings.delivery_mode == "queue":
                    return _queue(submission, body, runtime, webhook_id)
                outcome = apply_once(submission, runtime.mapping, runtime.ogust(), runtime.guard())
                log_outcome(outcome)
        except FormsToOgustError as exc:
            return failure_response(exc)
        return json_response(
            outcome_body(outcome, submission.response_id),
            201 if outcome.status == AttemptOutcome.CREATED else 200,
        )


def _queue(submission: Submission, body: bytes, runtime: Runtime, webhook_id: str | None) -> flask.Response:
    """Queue mode: 202 only once Pub/Sub confirmed the publish; any failure raises (→ 4xx / 503)."""
    topic = topic_path(runtime.settings.project, runtime.settings.submissions_topic or "")
    message_id = enqueue(
        submission, runtime.mapping, runtime.publisher(), topic, data=body, webhookId=webhook_id
    )
    log("INFO", "submission queued", status=Reported.QUEUED, messageId=message_id)
    return json_response({"status": Reported.QUEUED, "submissionId": submission.response_id}, 202)
