"""Entry point of `forms-to-ogust`: one click group, commands from one module per concern.

Exit codes, and the one way every command fails, are in `cli.exits`.
"""

from __future__ import annotations

import os

import click

from cli import (
    backfill_command,
    delivery_command,
    doctor_command,
    init_command,
    logs_command,
    mapping_command,
    sandbox_command,
    send_command,
    settings_file,
    status_command,
)
from cli.exits import GuardedGroup


@click.group(
    cls=GuardedGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}
)
@click.version_option(package_name="forms-to-ogust")
def main() -> None:
    """Google Forms submissions into Ogust customers: check, preview and operate the sync.

    The settings `make deploy` wrote (.forms-to-ogust.env here, or $FORMS_TO_OGUST_SETTINGS) are read
    first; a variable set in the environment wins.
    """
    added = settings_file.load_settings()
    # One command per process in real use; a test runs many in one: the file's values go with it.
    click.get_current_context().call_on_close(lambda: [os.environ.pop(name, None) for name in added])


main.add_command(init_command.init_command)
main.add_command(mapping_command.validate_command)
main.add_command(mapping_command.preview_command)
main.add_command(sandbox_command.sandbox)
main.add_command(send_command.send_command)
main.add_command(backfill_command.backfill)
main.add_command(delivery_command.dead_letters)
main.add_command(doctor_command.doctor_command)
main.add_command(status_command.status)
main.add_command(logs_command.logs)
