"""Entry point of `forms-to-ogust`: one click group, commands from one module per concern.

Exit codes scripts can rely on: 0 success, 1 the checked thing has problems (invalid mapping,
failed submissions), 2 wrong usage (click's own), 3 the tool could not run (settings, network).
"""

from __future__ import annotations

import click

from cli import sandbox_command

EXIT_PROBLEMS = 1
EXIT_CANNOT_RUN = 3


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="forms-to-ogust")
def main() -> None:
    """Google Forms submissions into Ogust customers: check, preview and operate the sync."""


main.add_command(sandbox_command.sandbox)
