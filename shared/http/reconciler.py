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

import json
from typing import Any

import flask

from shared.delivery import FormRun, parse_push
from shared.errors import PayloadError, policy
from shared.http.answers import RETRY_AFTER_SECONDS, json_response
from shared.http.runtime import Runtime
from shared.logs import log, log_context, trace_fields

FAILED_PREFIX = "reconciliation failed"
"""The start of the failure line's message: the alert policy matches it (with status="failed")."""


def reconcile(request: flask.Request, runtime: Runtime) -> flask.Response:
    """Run the reconciliation the request asks for and answer how it went."""
    trace = trace_fields(request.headers.get("X-Cloud-Trace-Context"), runtime.settings.project)
    with log_context(**trace):
        if request.method != "POST":
            return json_response(
                {"status": "rejected", "error": "only POST is accepted"}, 405, {"Allow": "POST"}
            )
        reconciler = runtime.reconciler()
        marked = reconciler.form_ids()
        try:
            trigger, form_ids, keep_watches = _what(request.get_data(), marked)
        except PayloadError as exc:
            log("WARNING", f"reconciliation request not understood: {exc}", status="rejected")
            return json_response({"status": "rejected", "error": str(exc)}, 400)
        if not form_ids:
            log("WARNING", f"nothing to reconcile ({trigger})", status="skipped", trigger=trigger)
            return json_response({"status": "skipped", "trigger": trigger, "forms": []}, 200)
        try:
            runs = reconciler.run(form_ids, keep_watches=keep_watches)
        except Exception as exc:  # a bug: still the one failure line the alert matches
            log("ERROR", f"{FAILED_PREFIX}: unexpected {type(exc).__name__}", status="failed", error=str(exc))
            return json_response({"status": "failed", "error": "internal error; the logs say more"}, 500)
        return _answer(trigger, runs)


def _what(body: bytes, marked: list[str]) -> tuple[str, list[str], bool]:
    """(trigger, forms to reconcile, whether to keep their watches) from the request body."""
    data: Any = None
    if body.strip():
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            data = None  # Cloud Scheduler's body is free text: a scheduled run
    if isinstance(data, dict) and isinstance(data.get("message"), dict):
        message = parse_push(body)
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
    failed = [r for r in runs if not r.ok]
    listed, queued = sum(r.listed for r in runs), sum(r.queued for r in runs)
    if not failed:
        log(
            "INFO",
            f"reconciliation done ({trigger})",
            status="reconciled",
            trigger=trigger,
            listed=listed,
            queued=queued,
        )
        return json_response({"status": "reconciled", **body}, 200)
    errors = [e for r in failed for e in r.errors]
    severity = "ERROR" if any(policy(e).severity == "ERROR" for e in errors) else "WARNING"
    message = "; ".join(f"form '{r.form_id}': " + "; ".join(map(str, r.errors)) for r in failed)
    log(
        severity,
        f"{FAILED_PREFIX}: {message}",
        status="failed",
        trigger=trigger,
        formId=failed[0].form_id if len(failed) == 1 else None,
        error=type(errors[0]).__name__,
        listed=listed,
        queued=queued,
    )
    return json_response({"status": "failed", **body}, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)})
