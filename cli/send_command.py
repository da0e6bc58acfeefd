"""`send`: sign one submission as the Apps Script does (Standard Webhooks) and post it to a receiver —
the local one of `make run ARGS=--keep`, or a deployed one — to see what it answers."""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path

import click
import httpx

from cli.exits import EXIT_CANNOT_RUN, EXIT_PROBLEMS, fail
from shared.webhook import signed_headers

TIMEOUT = 60.0
"""Seconds to wait for the receiver: in sync mode it calls Ogust before answering."""


@click.command("send")
@click.argument("submission", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--url", envvar="WEBHOOK_URL", required=True, help="The receiver's URL (default: $WEBHOOK_URL)."
)
@click.option(
    "--secret",
    envvar="WEBHOOK_SECRET",
    prompt="Webhook secret (whsec_…)",
    hide_input=True,
    help="The webhook secret (default: $WEBHOOK_SECRET; asked without echo when neither is given).",
)
def send_command(submission: Path, url: str, secret: str) -> None:
    """Sign SUBMISSION (a schema v1 JSON, as in examples/submissions/) and post it to the receiver.

    Prints the HTTP status and the receiver's answer; exit 0 when it accepted the submission, 1 when it
    refused it (4xx: the answer says why), 3 when it could not be reached or failed (5xx).
    """
    body = submission.read_bytes()
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        fail(f"{submission} is not JSON: {exc}", EXIT_PROBLEMS)
    response_id = data.get("responseId") if isinstance(data, dict) else None
    message_id = (
        f"msg_{response_id}" if isinstance(response_id, str) and response_id else f"msg_{uuid.uuid4().hex}"
    )
    headers = {**signed_headers(secret, message_id, body), "Content-Type": "application/json"}
    try:
        answer = httpx.post(url, content=body, headers=headers, timeout=TIMEOUT)
    except httpx.HTTPError as exc:
        fail(f"the receiver at {url} did not answer: {type(exc).__name__}: {exc}")
    click.echo(f"HTTP {answer.status_code}  {answer.text.strip()}")
    if answer.status_code >= 500:
        sys.exit(EXIT_CANNOT_RUN)
    if answer.status_code >= 400:
        sys.exit(EXIT_PROBLEMS)
