"""Exit codes scripts can rely on, and the one way the commands fail.

0 success; 1 the checked thing has problems (invalid mapping, rejected or failed submissions);
2 wrong usage (click's own); 3 the tool could not run (settings, files, network).
"""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from shared.errors import EXIT_CANNOT_RUN, EXIT_PROBLEMS

__all__ = ["EXIT_CANNOT_RUN", "EXIT_PROBLEMS", "fail"]


def fail(message: str, code: int = EXIT_CANNOT_RUN) -> NoReturn:
    """Print the error on stderr and exit with `code`."""
    click.echo(click.style("error: ", fg="red", bold=True) + message, err=True)
    sys.exit(code)
