"""Exit codes scripts can rely on, and the one way every command fails.

0 success; 1 the checked thing has problems (invalid mapping, rejected or failed submissions);
2 wrong usage (click's own); 3 the tool could not run (settings, files, network, credentials).

Every error reaches the person the same way: one line on stderr, `error: …`, and the exit code
`shared.errors.policy` gives its class. Commands raise; `GuardedGroup` reports. Colours follow
no-color.org: none when NO_COLOR is set, none when the output is not a terminal (click's own rule).
"""

from __future__ import annotations

import os
import sys
from typing import Any, NoReturn

import click

from shared.errors import EXIT_CANNOT_RUN, EXIT_PROBLEMS, EXIT_USAGE, FormsToOgustError, policy

__all__ = ["EXIT_CANNOT_RUN", "EXIT_PROBLEMS", "EXIT_USAGE", "GuardedGroup", "fail", "report"]

LOGIN_HINT = "run `gcloud auth application-default login` (or set GOOGLE_APPLICATION_CREDENTIALS)"


def fail(message: str, code: int = EXIT_CANNOT_RUN) -> NoReturn:
    """Print the error on stderr and exit with `code`."""
    click.echo(click.style("error: ", fg="red", bold=True) + message, err=True)
    sys.exit(code)


def report(exc: BaseException) -> tuple[str, int] | None:
    """(one-line message, exit code) for an error a person can act on; None for a bug."""
    google = _google_problem(exc)
    if google is not None:
        return google, EXIT_CANNOT_RUN
    if isinstance(exc, FormsToOgustError):
        return str(exc), policy(exc).exit_code
    if isinstance(exc, OSError) and exc.strerror:
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror}", EXIT_CANNOT_RUN
    return None


def _google_problem(exc: BaseException) -> str | None:
    """Missing or expired Google credentials, found even behind our own error (its context)."""
    try:
        from google.auth import exceptions as auth
    except ImportError:  # pragma: no cover - google-auth comes with the Google Cloud clients
        return None
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            break
        if isinstance(seen, auth.DefaultCredentialsError):
            return f"no Google Cloud credentials on this machine: {LOGIN_HINT}"
        if isinstance(seen, auth.RefreshError):
            return f"your Google Cloud credentials were refused or have expired: {LOGIN_HINT}"
        seen = seen.__cause__ or seen.__context__
    return None


class GuardedGroup(click.Group):
    """The command group: honours NO_COLOR, and turns every known error into one line and its code."""

    def invoke(self, ctx: click.Context) -> Any:
        if os.environ.get("NO_COLOR"):  # no-color.org: set and not empty
            ctx.color = False
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except Exception as exc:
            found = report(exc)
            if found is None:
                raise
            message, code = found
            fail(message, code)
