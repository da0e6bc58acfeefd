"""`forms-to-ogust doctor`: check a real Ogust account for the mapping, before its first real answer."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, NoReturn

import click
import httpx

from cli.exits import LOGIN_HINT, fail
from shared.config import Secrets, Settings
from shared.doctor import TERRAFORM_VARIABLES, diagnose
from shared.errors import EXIT_CANNOT_RUN, FormsToOgustError, policy
from shared.mapping import MappingFile, load_mapping

CLOUD_TIMEOUT = 300.0
"""Seconds to wait for the deployed probes (a slow Ogust, a cold start): the function's own limit."""


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
    help="Also create ONE test customer named 'TEST FORMS-TO-OGUST <date>', read it back, look it up, "
    "and write it again to see how text, map outputs and custom fields are stored (remove it in Ogust "
    "afterwards). Without it nothing is written.",
)
@click.option(
    "--cloud",
    metavar="URL",
    help="Run the read-only probes inside the deployed function's environment instead (its network, its "
    "keys, its settings, its mapping): the URL is `terraform output -raw doctor_url`.",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def doctor_command(
    mapping: Path | None, form_id: str | None, write_test: bool, cloud: str | None, as_json: bool
) -> None:
    """Probe the Ogust account of OGUST_API_URL with the function's own settings (OGUST_PUBLIC_KEY and
    OGUST_PRIVATE_KEY, or OGUST_KEYS_SECRET and GOOGLE_CLOUD_PROJECT; the OGUST_* options).

    One verdict per check (ok, warning, failed, unknown), what to set when one fails, and the settings
    that work on this account, ready to paste. Exit 0 when the mapping can run on this account, 1 when
    problems were found, 3 when the doctor could not run. docs/first-run.md explains every line.
    """
    if cloud:
        if write_test or mapping:
            fail("--cloud runs the deployed mapping, read-only: drop --mapping and --write-test", 2)
        _cloud(cloud, form_id, as_json)
    env = dict(os.environ)
    try:
        settings = Settings.from_env(env, role="tool")
        secrets = Secrets(settings, env)
        path = mapping or (Path(env["MAPPING_FILE"]) if env.get("MAPPING_FILE", "").strip() else None)
        the_mapping: MappingFile | None = load_mapping(path) if path is not None else None
    except FormsToOgustError as exc:
        _cannot_run(str(exc), policy(exc).exit_code, as_json)
    report = diagnose(
        settings,
        secrets,
        settings.ogust_options,
        the_mapping,
        form_id=form_id,
        write_test=write_test,
        terraform_variables=terraform_variables(),
    )
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        for line in report.lines():
            click.echo(line)
    sys.exit(report.exit_code)


def _cloud(url: str, form_id: str | None, as_json: bool) -> NoReturn:
    """POST to the deployed probe_ogust with the caller's identity token; print what it found."""
    token = identity_token(url)
    try:
        response = httpx.post(
            url,
            json={"formId": form_id} if form_id else {},
            headers={"Authorization": f"Bearer {token}"},
            timeout=CLOUD_TIMEOUT,
        )
    except httpx.HTTPError as exc:
        _cannot_run(
            f"the deployed doctor did not answer ({type(exc).__name__} calling {url})",
            EXIT_CANNOT_RUN,
            as_json,
        )
    if response.status_code in (401, 403):
        _cannot_run(
            f"the deployed doctor refused your identity (HTTP {response.status_code}): your account needs "
            "roles/run.invoker on it (Terraform variable doctor_invokers)",
            EXIT_CANNOT_RUN,
            as_json,
        )
    try:
        body: Any = response.json()
    except ValueError:
        body = None
    if response.status_code != 200 or not isinstance(body, dict) or not isinstance(body.get("report"), dict):
        _cannot_run(
            f"the deployed doctor answered HTTP {response.status_code} without a report "
            f"({response.text[:200]!r})",
            EXIT_CANNOT_RUN,
            as_json,
        )
    report: dict[str, Any] = body["report"]
    where = body.get("where") or {}
    if as_json:
        click.echo(json.dumps({**report, "where": where}, ensure_ascii=False, indent=2))
    else:
        place = where.get("service") or url
        click.echo(
            f"Probed from the function's environment: {place} (revision {where.get('revision') or '?'})"
        )
        for line in body.get("lines") or []:
            click.echo(line)
    code = report.get("exitCode")
    sys.exit(code if isinstance(code, int) else EXIT_CANNOT_RUN)


def identity_token(audience: str) -> str:
    """A Google identity token for `audience`: $DOCTOR_ID_TOKEN, the application default credentials
    (a service account), or `gcloud auth print-identity-token` (a person's login)."""
    given = os.environ.get("DOCTOR_ID_TOKEN", "").strip()
    if given:
        return given
    try:
        import google.auth.transport.requests
        import google.oauth2.id_token

        request = google.auth.transport.requests.Request()
        token = google.oauth2.id_token.fetch_id_token(request, audience)  # type: ignore[no-untyped-call]
        if token:
            return str(token)
    except Exception:  # noqa: S110 (a person's credentials cannot mint one: gcloud can)
        pass
    gcloud = shutil.which("gcloud")
    if gcloud:
        done = subprocess.run(  # noqa: S603 (a fixed command)
            [gcloud, "auth", "print-identity-token"], capture_output=True, text=True, check=False, timeout=60
        )
        if done.returncode == 0 and done.stdout.strip():
            return done.stdout.strip()
    fail(f"no Google identity token to call the deployed doctor: {LOGIN_HINT}, or `gcloud auth login`")


def terraform_variables() -> list[str]:
    """The proposed Terraform variables infra/terraform/variables.tf declares, if it can be found."""
    here = Path(__file__).resolve().parents[1]
    for root in (Path.cwd(), here):
        path = root / "infra" / "terraform" / "variables.tf"
        if path.is_file():
            declared = set(
                re.findall(r'^variable\s+"([^"]+)"', path.read_text(encoding="utf-8"), re.MULTILINE)
            )
            return [name for name in TERRAFORM_VARIABLES.values() if name in declared]
    return []


def _cannot_run(message: str, code: int, as_json: bool) -> NoReturn:
    if as_json:
        click.echo(json.dumps({"ok": False, "exitCode": code, "couldNotRun": message}, ensure_ascii=False))
        sys.exit(code)
    fail(message, code)
