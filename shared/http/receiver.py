"""`receive_submission`: (method, size, time: `Entry`) → signature → schema → mapping → Ogust (sync
mode) or Pub/Sub (queue mode), one status per outcome."""

from __future__ import annotations

import flask

from shared.delivery import enqueue, topic_path
from shared.errors import FormsToOgustError, policy
from shared.exactly_once import apply_once
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
    submission: Submission | None = None
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
            return failure_response(exc, agency_notified=_agency_notified(submission, exc, runtime))
        return json_response(
            outcome_body(outcome, submission.response_id),
            201 if outcome.status == AttemptOutcome.CREATED else 200,
        )


def _agency_notified(submission: Submission | None, exc: FormsToOgustError, runtime: Runtime) -> bool:
    """Whether this refusal reaches the agency without the sender: its form has the tab "Suivi Ogust".

    A refused answer (422) of such a form reaches the ledger either now (sync mode records it) or
    at the next reconciliation (the form is reconciled: the answer is read again from the Forms API
    and parked with its reason), and from the ledger the tab's row and the one `agency.refused`
    e-mail. The Apps Script then leaves it out of its digest: one refusal, one channel. What never
    reached a verdict on the answers (a signature, a body too large or unreadable, an outage) is
    not covered: only the sender can report it.
    """
    if submission is None or exc.retryable or policy(exc).http_status != 422:
        return False
    return any(f.form_id == submission.form_id and f.tracking_tab for f in runtime.mapping.forms)


def _queue(submission: Submission, body: bytes, runtime: Runtime, webhook_id: str | None) -> flask.Response:
    """Queue mode: 202 only once Pub/Sub confirmed the publish; any failure raises (→ 4xx / 503)."""
    topic = topic_path(runtime.settings.project, runtime.settings.submissions_topic or "")
    message_id = enqueue(
        submission, runtime.mapping, runtime.publisher(), topic, data=body, webhookId=webhook_id
    )
    log("INFO", "submission queued", status=Reported.QUEUED, messageId=message_id)
    return json_response({"status": Reported.QUEUED, "submissionId": submission.response_id}, 202)
