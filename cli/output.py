"""How the commands print findings: one line each, the level first, coloured only on a terminal."""

from __future__ import annotations

from collections.abc import Iterable

import click

from shared.mapping import Finding

_LEVELS = {"error": ("error   ", "red"), "warning": ("warning ", "yellow")}


def echo_findings(findings: Iterable[Finding], *, err: bool = False) -> None:
    """`error   file:line: message` / `warning file:line: message`."""
    for finding in findings:
        label, colour = _LEVELS[finding.level]
        click.echo(click.style(label, fg=colour, bold=finding.level == "error") + str(finding), err=err)
