"""`logs`: what the deployed functions said, one line per event, read with `gcloud logging read`.

The functions write one JSON line per delivery (`shared.logs`: severity, message, status,
responseId); Cloud Functions gen2 runs them as Cloud Run services named `<name>-receiver`,
`<name>-worker` and `<name>-reconciler` (Terraform's `var.name`, default forms-to-ogust). Times are
shown in Paris time, as the agency reads them.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from typing import Any

import click

from cli.delivery_command import project_setting
from cli.exits import fail
from cli.output import paris_time
from shared.logs import mask

DEFAULT_NAME = "forms-to-ogust"
"""Terraform's default `name` (infra/terraform/variables.tf): the prefix of both services."""
ROLES = ("receiver", "worker", "reconciler")
GCLOUD_TIMEOUT = 120.0
"""Seconds `gcloud logging read` may take; a week of logs of a small agency comes back in a few."""

_DURATION = re.compile(r"^\d+[smhdw]$")
_NOT_LOGGED_IN = (
    "gcloud auth login",
    "active account",
    "reauthentication",
    "refreshing",
    "application-default",
)


def _duration(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not _DURATION.match(value):
        raise click.BadParameter("a duration such as 30m, 1h, 2d or 1w")
    return value


def log_filter(name: str, response_id: str | None) -> str:
    """The Cloud Logging query: our three services' entries, or one response's."""
    services = " OR ".join(f'"{name}-{role}"' for role in ROLES)
    parts = ['resource.type="cloud_run_revision"', f"resource.labels.service_name=({services})"]
    if response_id:
        parts.append(f'jsonPayload.responseId="{response_id}"')
    return " AND ".join(parts)


@click.command("logs")
@click.option(
    "--since",
    default="1h",
    show_default=True,
    callback=_duration,
    help="How far back to read: 30m, 1h, 2d, 1w.",
)
@click.option("--response", "response_id", help="Only the events of this response id.")
@click.option("--project", help="Google Cloud project (default: $GOOGLE_CLOUD_PROJECT, else gcloud's own).")
@click.option(
    "--limit",
    type=click.IntRange(min=1, max=10_000),
    default=200,
    show_default=True,
    help="At most this many events (the latest ones).",
)
@click.option(
    "--name",
    default=DEFAULT_NAME,
    envvar="FUNCTIONS_NAME",
    show_default=True,
    help="Prefix of the deployed functions (Terraform's `name`; default: $FUNCTIONS_NAME, which "
    "`make deploy` writes to .forms-to-ogust.env).",
)
@click.option("--json", "as_json", is_flag=True, help="gcloud's JSON entries, unchanged.")
def logs(
    since: str, response_id: str | None, project: str | None, limit: int, name: str, as_json: bool
) -> None:
    """Show what the receiver, the worker and the reconciler logged: time (Paris), severity, status,
    response id, message."""
    gcloud = shutil.which("gcloud")
    if gcloud is None:
        fail(
            "gcloud is not installed (or not on PATH): install the Google Cloud CLI, then `gcloud auth login`"
        )
    command = [gcloud, "logging", "read", log_filter(name, response_id)]
    command += ["--freshness", since, "--limit", str(limit), "--order", "desc", "--format", "json"]
    chosen = project_setting(project)
    if chosen:
        command += ["--project", chosen]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=GCLOUD_TIMEOUT, check=False)  # noqa: S603
    except subprocess.TimeoutExpired:
        fail(f"gcloud logging read did not answer within {GCLOUD_TIMEOUT:.0f} s: try a shorter --since")
    if done.returncode != 0:
        fail(_gcloud_failure(done.stderr, chosen))
    if as_json:
        click.echo(done.stdout.rstrip("\n"))
        return
    try:
        entries = json.loads(done.stdout or "[]")
    except json.JSONDecodeError:
        fail("gcloud logging read did not answer JSON")
    if not isinstance(entries, list):
        fail("gcloud logging read did not answer a list of entries")
    if not entries:
        click.echo(f"no events in the last {since}" + (f" for response {response_id}" if response_id else ""))
        return
    for entry in reversed(entries):  # gcloud gives the latest first; read them in time order
        if isinstance(entry, dict):
            click.echo(event_line(entry, name))


def _gcloud_failure(stderr: str, project: str | None = None) -> str:
    lines = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
    last = lines[-1] if lines else "no message"
    if project is None and re.search(r"project\]? is not (currently )?set|no project", stderr, re.IGNORECASE):
        return (
            "no Google Cloud project is set: pass --project, set GOOGLE_CLOUD_PROJECT, or run `make deploy` "
            "(it writes .forms-to-ogust.env, which forms-to-ogust reads)"
        )
    if any(hint in stderr.lower() for hint in _NOT_LOGGED_IN):
        return f"gcloud is not logged in: run `gcloud auth login` ({last.removeprefix('ERROR: ')})"
    return f"gcloud logging read failed: {last.removeprefix('ERROR: ')}"


_COLOURS = {"ERROR": "red", "CRITICAL": "red", "ALERT": "red", "EMERGENCY": "red", "WARNING": "yellow"}


def event_line(entry: dict[str, Any], name: str = DEFAULT_NAME) -> str:
    """`time  SEVERITY  role  status  responseId  message` for one log entry."""
    payload = entry.get("jsonPayload") if isinstance(entry.get("jsonPayload"), dict) else {}
    assert isinstance(payload, dict)
    time = paris_time(str(entry.get("timestamp") or payload.get("time") or ""))
    severity = str(entry.get("severity") or payload.get("severity") or "DEFAULT")
    labels = entry.get("resource", {}).get("labels", {}) if isinstance(entry.get("resource"), dict) else {}
    service = str(labels.get("service_name", "")).removeprefix(f"{name}-")
    status = str(payload.get("status", "-"))
    response = str(payload.get("responseId", "-"))
    message = str(payload.get("message") or entry.get("textPayload") or "").replace("\n", " ")
    message = mask(message)  # lines written before masking knew a spelling, and the servers' own
    return "  ".join(
        (
            time,
            click.style(f"{severity:<8}", fg=_COLOURS.get(severity)),
            f"{service:<8}",
            f"{status:<13}",
            response,
            message,
        )
    )
