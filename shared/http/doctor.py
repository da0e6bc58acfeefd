"""`probe_ogust`: the doctor's read-only probes, run where the function runs.

Started by `forms-to-ogust doctor --cloud` (a POST with the caller's Google identity token; Cloud
Run lets only the invokers Terraform names through), it probes Ogust from the function's own
network, with the keys the worker reads from Secret Manager and the settings the worker is given,
and answers the report: `{"report": {…}, "lines": […], "where": {…}}`. It never writes to Ogust
(no write test from here), and the report carries no key, no token and no customer's data.

    POST {}                       every form of the deployed mapping
    POST {"formId": "…"}          that form only
"""

from __future__ import annotations

import json
import os
from typing import Any

import flask

from shared.http.answers import json_response
from shared.http.entry import Entry
from shared.http.runtime import Runtime
from shared.lifecycle import AttemptOutcome
from shared.logs import log

PROBE_MAX_BODY_BYTES = 4 * 1024
"""`{}` or `{"formId": "…"}`: anything larger is no request of the doctor's."""


PROBE = Entry(max_body_bytes=PROBE_MAX_BODY_BYTES, crash_message="doctor probe failed")
"""The probe's requests: POST only, a small body, one crash line (entry.py)."""


def probe(request: flask.Request, runtime: Runtime) -> flask.Response:
    """Run the doctor's account and mapping checks and answer its report."""
    return PROBE.serve(_probe, request, runtime)


def _probe(request: flask.Request, body: bytes, runtime: Runtime) -> flask.Response:
    form_id = _form_id(body)
    if isinstance(form_id, flask.Response):
        return form_id
    # Imported here: the other entry points share this module's package and never pay for it.
    from shared.doctor import TERRAFORM_VARIABLES, diagnose

    settings = runtime.settings
    # The deployment's Terraform declares every proposed variable: the report prints tfvars lines.
    report = diagnose(
        settings,
        runtime.secrets,
        settings.ogust_options,
        runtime.mapping,
        form_id=form_id,
        terraform_variables=list(TERRAFORM_VARIABLES.values()),
    )
    where = {"service": os.environ.get("K_SERVICE"), "revision": os.environ.get("K_REVISION")}
    log(
        "INFO",
        f"doctor probe: {'ok' if report.ok else 'problems found'}",
        status="probed",
        exitCode=report.exit_code,
        unverified=report.unverified,
    )
    return json_response({"report": report.as_json(), "lines": report.lines(), "where": where}, 200)


def _form_id(body: bytes) -> str | flask.Response | None:
    """The form asked for, None for all, or the 400 answer to a body that is not understood."""
    if not body.strip():
        return None
    try:
        data: Any = json.loads(body)
    except ValueError:
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("formId", ""), str):
        return json_response(
            {"status": AttemptOutcome.REJECTED, "error": 'the body must be {} or {"formId": "…"}'}, 400
        )
    return data.get("formId") or None
