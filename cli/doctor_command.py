"""`forms-to-ogust doctor`: check a real Ogust account for the mapping, before its first real answer."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import NoReturn

import click

from cli.doctor.run import diagnose
from cli.exits import fail
from shared.config import Secrets, Settings
from shared.errors import FormsToOgustError, policy
from shared.mapping import MappingFile, load_mapping


@click.command("doctor")
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The mapping to check the account for (default: $MAPPING_FILE, if set).",
)
@click.option("--form-id", help="Check this form of the mapping only (the write test uses the first form).")
@click.option(
    "--write-test",
    is_flag=True,
    help="Also create ONE test customer named 'TEST FORMS-TO-OGUST <date>', read it back and look it "
    "up (remove it in Ogust afterwards). Without it nothing is written.",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def doctor_command(mapping: Path | None, form_id: str | None, write_test: bool, as_json: bool) -> None:
    """Probe the Ogust account of OGUST_API_URL with the function's own settings (OGUST_PUBLIC_KEY and
    OGUST_PRIVATE_KEY, or OGUST_KEYS_SECRET and GOOGLE_CLOUD_PROJECT; the OGUST_* options).

    One verdict per check (ok, warning, failed), what to set when one fails, and the settings that
    work on this account, ready to paste. Exit 0 when the mapping can run on this account, 1 when
    problems were found, 3 when the doctor could not run. docs/first-run.md explains every line.
    """
    env = dict(os.environ)
    try:
        settings = Settings.from_env(env, role="tool")
        secrets = Secrets(settings, env)
        path = mapping or (Path(env["MAPPING_FILE"]) if env.get("MAPPING_FILE", "").strip() else None)
        the_mapping: MappingFile | None = load_mapping(path) if path is not None else None
    except FormsToOgustError as exc:
        _cannot_run(str(exc), policy(exc).exit_code, as_json)
    report = diagnose(
        settings, secrets, settings.ogust_options, the_mapping, form_id=form_id, write_test=write_test
    )
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        for line in report.lines():
            click.echo(line)
    sys.exit(report.exit_code)


def _cannot_run(message: str, code: int, as_json: bool) -> NoReturn:
    if as_json:
        click.echo(json.dumps({"ok": False, "exitCode": code, "couldNotRun": message}, ensure_ascii=False))
        sys.exit(code)
    fail(message, code)
