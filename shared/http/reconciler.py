"""`reconcile_forms`: one reconciliation run per POST.

Cloud Scheduler (POST, OIDC token, any body or {"formId": …})  → every form marked reconcile,
                                                                  and their watches kept
a Forms API watch notification (Pub/Sub push of {formId, eventType, watchId}, no data)
                                                                → that form only
every form reconciled → 200 (the push is acknowledged) and one line status="reconciled"
any form failed       → 503 (Scheduler reports it, Pub/Sub redelivers) and ONE line
                        status="failed", "reconciliation failed: …" (the alert matches it);
                        the failed form's watermark has not moved
"""

from __future__ import annotations

from typing import Any

import flask

from shared.delivery import FormRun, PushMessage
from shared.errors import PayloadError, policy
from shared.http.answers import RETRY_AFTER_SECONDS, json_response
from shared.http.entry import Entry
from shared.http.runtime import Runtime
from shared.lifecycle import AttemptOutcome, Reported
from shared.logs import log
from shared.webhook import read_json

FAILED_PREFIX = "reconciliation failed"
"""The start of the failure line's message: the alert policy matches it (with status="failed")."""


RECONCILER_MAX_BODY_BYTES = 64 * 1024
"""Cloud Scheduler's body and a watch notification are a few hundred bytes."""

RECONCILER = Entry(max_body_bytes=RECONCILER_MAX_BODY_BYTES, crash_message=FAILED_PREFIX)
"""A crash is still the one failure line the alert matches ("reconciliation failed: …")."""


def reconcile(request: flask.Request, runtime: Runtime) -> flask.Response:
    """Run the reconciliation the request asks for and answer how it went."""
    return RECONCILER.serve(_reconcile, request, runtime)


def _reconcile(request: flask.Request, body: bytes, runtime: Runtime) -> flask.Response:
    try:
        data = _json_of(body)
        reconciler = runtime.reconciler()
        trigger, form_ids, keep_watches = _what(data, body, reconciler.form_ids())
    except PayloadError as exc:
        log("WARNING", f"reconciliation request not understood: {exc}", status=AttemptOutcome.REJECTED)
        return json_response({"status": AttemptOutcome.REJECTED, "error": str(exc)}, 400)
    if not form_ids:
        log("WARNING", f"nothing to reconcile ({trigger})", status=AttemptOutcome.SKIPPED, trigger=trigger)
        return json_response({"status": AttemptOutcome.SKIPPED, "trigger": trigger, "forms": []}, 200)
    return _answer(trigger, reconciler.run(form_ids, keep_watches=keep_watches))


def _json_of(body: bytes) -> Any:
    """The body's JSON; None for free text (Cloud Scheduler's body can be anything: a scheduled run).

    A body that starts like JSON must be JSON: broken, too deep or too long to read, it is a 400
    naming the problem, never taken for a scheduled run and never a crash.
    """
    if body.lstrip()[:1] not in (b"{", b"["):
        return None
    return read_json(body)


def _what(data: Any, body: bytes, marked: list[str]) -> tuple[str, list[str], bool]:
    """(trigger, forms to reconcile, whether to keep their watches) from the request body."""
    if isinstance(data, dict) and isinstance(data.get("message"), dict):
        message = PushMessage.parse(body)
        form_id = message.attributes.get("formId", "")
        event_type = message.attributes.get("eventType", "")
        if event_type != "RESPONSES":
            return f"notification {event_type or 'without eventType'}", [], False
        if form_id not in marked:
            return f"notification for form '{form_id}', which is not marked reconcile", [], False
        return "notification", [form_id], False
    if isinstance(data, dict) and data.get("formId"):
        form_id = str(data["formId"])
        if form_id not in marked:
            raise PayloadError(f"form '{form_id}' is not marked `reconcile: true` in the mapping")
        return "scheduled", [form_id], True
    return "scheduled", marked, True


def _answer(trigger: str, runs: list[FormRun]) -> flask.Response:
    body: dict[str, Any] = {"trigger": trigger, "forms": [r.summary() for r in runs]}
    for run in runs:
        for parked in run.parked:  # once per response version: later runs pass it by
            log(
                "WARNING",
                f"unreadable response parked: {parked}",
                status=AttemptOutcome.PARKED,
                formId=run.form_id,
            )
    failed = [r for r in runs if not r.ok]
    listed, queued = sum(r.listed for r in runs), sum(r.queued for r in runs)
    if not failed:
        log(
            "INFO",
            f"reconciliation done ({trigger})",
            status=Reported.RECONCILED,
            trigger=trigger,
            listed=listed,
            queued=queued,
        )
        return json_response({"status": Reported.RECONCILED, **body}, 200)
    errors = [e for r in failed for e in r.errors]
    severity = "ERROR" if any(policy(e).severity == "ERROR" for e in errors) else "WARNING"
    message = "; ".join(f"form '{r.form_id}': " + "; ".join(map(str, r.errors)) for r in failed)
    log(
        severity,
        f"{FAILED_PREFIX}: {message}",
        status=AttemptOutcome.FAILED,
        trigger=trigger,
        formId=failed[0].form_id if len(failed) == 1 else None,
        error=type(errors[0]).__name__,
        listed=listed,
        queued=queued,
    )
    return json_response(
        {"status": AttemptOutcome.FAILED, **body}, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}
    )
