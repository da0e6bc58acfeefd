"""How the commands print findings (one line each, the level first, coloured only on a terminal)
and times (in Paris time, the agency's)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

import click

from shared.mapping import Finding

_LEVELS = {"error": ("error   ", "red"), "warning": ("warning ", "yellow")}


def echo_findings(findings: Iterable[Finding], *, err: bool = False) -> None:
    """`error   file:line: message` / `warning file:line: message`."""
    for finding in findings:
        label, colour = _LEVELS[finding.level]
        click.echo(click.style(label, fg=colour, bold=finding.level == "error") + str(finding), err=err)


PARIS = ZoneInfo("Europe/Paris")
"""The agency's clock: every time a person reads is shown in it (JSON output stays UTC)."""


def paris_time(stamp: str) -> str:
    """'2026-11-28T09:15:02.123Z' → '2026-11-28 10:15:02' (Paris); what cannot be read, as it is."""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        return stamp
    return moment.astimezone(PARIS).strftime("%Y-%m-%d %H:%M:%S")
