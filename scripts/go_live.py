"""`make deploy`: from an empty Google Cloud project to a live form, in one re-runnable command.

    python -m scripts.go_live --project PROJECT --mapping MAPPING [--billing-account ID] [--write-test]
                              [--region R] [--terraform-dir DIR] [--set-ogust-keys] [-- TERRAFORM_APPLY_ARGS…]

1. checks the tools (gcloud, terraform) and the two Google logins (gcloud's own and the Application
   Default Credentials Terraform uses);
2. uses the project, or creates it (and links the billing account given: functions need billing);
3. enables the Google APIs the deployment uses (infra/terraform/apis.tf), those not enabled yet;
4. runs the doctor against the Ogust account with the keys (OGUST_PUBLIC_KEY / OGUST_PRIVATE_KEY, or
   asked without echo) and stops with its fixes when the account refuses or would refuse a create;
   its recommended Ogust settings become Terraform variables;
5. `make deploy`'s own steps (scripts/deploy.py): terraform apply, the keys stored in Secret Manager
   through gcloud's standard input, the receiver's access;
6. runs the reconciler once (its Cloud Scheduler job), so the form's existing answers are read now;
7. writes `.forms-to-ogust.env`, the settings status, dead-letters, logs and backfill read;
8. prints the one step left to a person: share the form and its response spreadsheet with the
   reconciler's address. The Apps Script (answers within seconds) is optional: its two properties
   are printed too.

A rerun changes nothing that is already right: no project, API, key version or test customer is
created twice, and the settings file is rewritten only when a value changed.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from cli.settings_file import SETTINGS_FILE, read_settings, write_settings
from scripts import deploy as deploy_step
from scripts.deploy import DEFAULT_TF_DIR, KEY_VARIABLES, DeployError, _run, run_in_terminal

TOOLS = {
    "gcloud": "the Google Cloud CLI: https://cloud.google.com/sdk/docs/install",
    "terraform": "Terraform ≥ 1.11: https://developer.hashicorp.com/terraform/install",
}
AGENCY_EMAIL = "agency_email"
"""The Terraform variable of the agency's address (declared by infra/terraform when notices exist)."""
DEFAULT_OGUST_URL = "https://api.ogust.com/api/v2/apiogust.php"

Ask = Callable[[str], str]


@dataclass(frozen=True)
class Options:
    project: str
    mapping: Path
    region: str = "europe-west9"
    billing_account: str | None = None
    write_test: bool = False
    set_keys: bool = False
    tf_dir: Path = DEFAULT_TF_DIR
    settings: Path = Path(SETTINGS_FILE)
    apply_args: tuple[str, ...] = ()
    prepare_only: bool = False
    """Only the project (steps 1–3) and gcloud's default project: before the mapping exists."""
    wait_for_share: bool = False
    """Wait for the person to share the form, run the reconciler again and show `status`."""
    settle_seconds: float = 60.0


def check_tools(err: TextIO, *, terraform_login: bool = True) -> None:
    """Every missing tool at once, each with where to get it."""
    missing = [f"{name} ({where})" for name, where in TOOLS.items() if shutil.which(name) is None]
    if missing:
        raise DeployError("install first: " + "; ".join(missing))
    account = _run(["gcloud", "auth", "list", "--filter=status:ACTIVE", "--format=value(account)"]).strip()
    if not account:
        raise DeployError("gcloud is not logged in: run `gcloud auth login`")
    try:
        if terraform_login:
            _run(["gcloud", "auth", "application-default", "print-access-token"])
    except DeployError:
        raise DeployError(
            "Terraform needs your Application Default Credentials: run "
            "`gcloud auth application-default login`"
        ) from None
    print(f"tools and login: ok ({account.splitlines()[0]})", file=err)


def ensure_project(options: Options, err: TextIO) -> None:
    """Use the project, or create it; either way it must have billing (functions need it)."""
    try:
        _run(["gcloud", "projects", "describe", options.project, "--format=value(projectId)"])
        print(f"project {options.project}: exists", file=err)
    except DeployError:
        if not options.billing_account:
            raise DeployError(
                f"project {options.project} does not exist (or you cannot see it): to create it, add "
                "--billing-account=XXXXXX-XXXXXX-XXXXXX (`gcloud billing accounts list` shows yours)"
            ) from None
        _run(["gcloud", "projects", "create", options.project, "--name=forms-to-ogust"])
        print(f"project {options.project}: created", file=err)
    billing = _run(
        ["gcloud", "billing", "projects", "describe", options.project, "--format=value(billingEnabled)"]
    ).strip()
    if billing.lower() != "true":
        if not options.billing_account:
            raise DeployError(
                f"project {options.project} has no billing account: add "
                "--billing-account=XXXXXX-XXXXXX-XXXXXX (`gcloud billing accounts list` shows yours)"
            )
        _run(
            [
                "gcloud", "billing", "projects", "link", options.project,
                f"--billing-account={options.billing_account}",
            ]
        )  # fmt: skip
        print(f"project {options.project}: billing linked", file=err)


def needed_apis(tf_dir: Path) -> list[str]:
    """The APIs infra/terraform enables (apis.tf), so that Terraform finds them already on."""
    text = (tf_dir / "apis.tf").read_text(encoding="utf-8")
    return sorted(set(re.findall(r'"([a-z0-9]+\.googleapis\.com)"', text)))


def enable_apis(options: Options, err: TextIO) -> None:
    enabled = set(
        _run(
            [
                "gcloud",
                "services",
                "list",
                "--enabled",
                f"--project={options.project}",
                "--format=value(config.name)",
            ]
        ).split()
    )
    missing = [api for api in needed_apis(options.tf_dir) if api not in enabled]
    if missing:
        _run(["gcloud", "services", "enable", *missing, f"--project={options.project}"])
        print(f"APIs enabled: {', '.join(missing)}", file=err)
    else:
        print("APIs: all enabled", file=err)


def ogust_env(env: Mapping[str, str], ask: Ask | None) -> dict[str, str]:
    """The environment the doctor and the key step read: the Ogust URL and keys (asked when missing)."""
    found = {name: env.get(name, "").strip() for name in KEY_VARIABLES}
    if not all(found.values()):
        if ask is None:
            raise DeployError("set OGUST_PUBLIC_KEY and OGUST_PRIVATE_KEY, or run in a terminal to be asked")
        print(
            "The Ogust keys (Ogust: Administration > Société > onglet Définition); nothing is shown.",
            file=sys.stderr,
        )
        for name, label in zip(
            KEY_VARIABLES, ("public key (clé web)", "private key (clé de cryptage)"), strict=True
        ):
            found[name] = found[name] or ask(f"  Ogust {label}: ").strip()
    url = env.get("OGUST_API_URL", "").strip() or DEFAULT_OGUST_URL
    return {**found, "OGUST_API_URL": url, "OGUST_KEYS_SECRET": ""}


def run_doctor(options: Options, env: Mapping[str, str], err: TextIO) -> dict[str, str]:
    """The doctor's verdicts; DeployError with its fixes when the mapping cannot run on the account.

    Returns the Ogust settings it recommends that differ from the defaults (as Terraform variables).
    """
    from cli.doctor_access import TERRAFORM_VARIABLES, diagnose, refusals
    from shared.config import Secrets, Settings
    from shared.errors import FormsToOgustError
    from shared.mapping import load_mapping

    try:
        settings = Settings.from_env(dict(env), role="tool")
        mapping = load_mapping(options.mapping)
    except FormsToOgustError as exc:
        raise DeployError(f"the doctor could not start: {exc}") from None
    report = diagnose(
        settings, Secrets(settings, dict(env)), settings.ogust_options, mapping, write_test=options.write_test
    )
    refused = refusals(report)
    if report.could_not_run or refused:
        for line in report.lines():
            print(line, file=err)
        why = report.could_not_run or "; ".join(c.summary for c in refused)
        raise DeployError(
            f"the doctor stops the deployment: {why}. Nothing was deployed: apply its fixes, rerun"
        )
    print("doctor: the mapping can run on this Ogust account", file=err)
    changed = set(report.changed_settings())
    return {TERRAFORM_VARIABLES[n]: v for n, v in report.settings().items() if n in changed}


def declares(tf_dir: Path, variable: str) -> bool:
    text = "".join(p.read_text(encoding="utf-8") for p in tf_dir.glob("*.tf"))
    return re.search(rf'^variable\s+"{re.escape(variable)}"', text, re.MULTILINE) is not None


def agency_email(
    options: Options, env: Mapping[str, str], saved: Mapping[str, str], ask: Ask | None
) -> str | None:
    """The agency's address for its notices, when Terraform declares the variable: saved, given or asked."""
    if not declares(options.tf_dir, AGENCY_EMAIL):
        return None
    given = env.get(f"TF_VAR_{AGENCY_EMAIL}", "").strip() or saved.get("AGENCY_EMAIL", "").strip()
    tfvars = options.tf_dir / "terraform.tfvars"
    if (
        not given
        and tfvars.is_file()
        and re.search(rf"^\s*{AGENCY_EMAIL}\s*=", tfvars.read_text(), re.MULTILINE)
    ):
        return None  # terraform.tfvars has it: Terraform reads it there
    if not given and ask is not None:
        given = ask("The agency's e-mail address (one e-mail per answer Ogust refused): ").strip()
    if not re.fullmatch(r"[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+", given or ""):
        raise DeployError(f"{AGENCY_EMAIL}: one e-mail address is expected, such as accueil@mon-agence.fr")
    return given


def force_reconciliation(project: str, cli: Mapping[str, str], err: TextIO) -> None:
    job, region = cli.get("RECONCILE_JOB"), cli.get("RECONCILE_JOB_REGION")
    if not job or not region:
        print("reconciler: its job is not in Terraform's outputs; it runs on its schedule", file=err)
        return
    _run(["gcloud", "scheduler", "jobs", "run", job, f"--location={region}", f"--project={project}"])
    print("reconciler: started once now (then every 5 minutes)", file=err)


def go_live(
    options: Options,
    *,
    env: Mapping[str, str],
    ask: Ask | None,
    ask_text: Ask | None,
    out: TextIO,
    err: TextIO,
) -> None:
    check_tools(err, terraform_login=not options.prepare_only)
    ensure_project(options, err)
    enable_apis(options, err)
    if options.prepare_only:
        # gcloud's project is the quota project the next `gcloud auth application-default login` records:
        # `forms-to-ogust init` reads the form through the Forms API with those credentials.
        _run(["gcloud", "config", "set", "project", options.project])
        print(f"project {options.project} ready; gcloud's default project is now {options.project}", file=out)
        return
    keys_env = ogust_env(env, ask)
    saved = read_settings(options.settings) if options.settings.is_file() else {}
    variables = run_doctor(options, keys_env, err)
    email = agency_email(options, env, saved, ask_text)
    extra = [f"-var=project_id={options.project}", f"-var=region={options.region}"]
    extra += [f"-var={name}={value}" for name, value in sorted(variables.items())]
    if email:
        extra.append(f"-var={AGENCY_EMAIL}={email}")
    script = io.StringIO()
    deploy_step.deploy(
        options.tf_dir,
        [*extra, *options.apply_args],
        env={**env, **keys_env},
        ask=ask,
        set_keys=options.set_keys,
        show_secret=False,
        out=script,
        err=err,
    )
    outputs = json.loads(_run(["terraform", f"-chdir={options.tf_dir}", "output", "-json"]))
    deployment = deploy_step.Deployment.from_outputs(outputs)
    cli = {k: str(v) for k, v in ((outputs.get("cli_settings") or {}).get("value") or {}).items()}
    force_reconciliation(options.project, cli, err)
    values = {**cli, "MAPPING_FILE": str(options.mapping.resolve())}
    values.update({k: v for k, v in keys_env.items() if k.startswith("OGUST_") and k not in KEY_VARIABLES})
    values["OGUST_KEYS_SECRET"] = cli.get("OGUST_KEYS_SECRET", deployment.ogust_keys_secret)
    if email:
        values["AGENCY_EMAIL"] = email
    changed = write_settings(
        options.settings,
        values,
        "Written by `make deploy`: what forms-to-ogust status, dead-letters, logs and backfill read.\n"
        "Names only, never a secret value. Rerun `make deploy` rather than editing it.",
    )
    print(f"settings: {options.settings} {'written' if changed else 'unchanged'}", file=err)
    print(
        "\n".join(
            [
                "",
                "Live. One step is left to you (the Forms API reads only what is shared with it):",
                "  share the form, and its response spreadsheet, with",
                f"  {deployment.reconciler_service_account} as an editor",
                "  (Google Forms: ⋮ > Add collaborators; Google Sheets: Share).",
                "Then, within 5 minutes, the first answers' state: .venv/bin/forms-to-ogust status",
                "",
                "Optional, for answers within seconds rather than minutes: the Apps Script",
                "(docs/apps-script.md).",
                *[f"  {line}" for line in script.getvalue().strip().splitlines() if line.strip()],
            ]
        ),
        file=out,
    )
    if options.wait_for_share and ask_text is not None:
        ask_text("\nPress Enter once the form and its spreadsheet are shared (Ctrl-C: stop here) ")
        force_reconciliation(options.project, cli, err)
        time.sleep(options.settle_seconds)  # the reconciler reads, queues; the worker writes to Ogust
        print("The first answers' state:", file=out)
        print(first_state(options.settings), file=out)


def first_state(settings: Path) -> str:
    """`forms-to-ogust status` with the settings just written, as the consultant would run it."""
    command = [sys.executable, "-c", "from cli.main import main; main()", "status"]
    env = {**os.environ, "FORMS_TO_OGUST_SETTINGS": str(settings.resolve())}
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180, check=False)  # noqa: S603
    except subprocess.TimeoutExpired:
        return "  (status did not answer within 3 minutes: run .venv/bin/forms-to-ogust status)"
    return (done.stdout + done.stderr).rstrip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--project", required=True, help="Google Cloud project id (created if it does not exist)"
    )
    parser.add_argument("--mapping", type=Path, help="the mapping to deploy (not with --prepare-only)")
    parser.add_argument(
        "--prepare-only",
        action="store_true",
        help="only create or check the project, its billing and APIs, and make it gcloud's default",
    )
    parser.add_argument("--region", default="europe-west9", help="region (default: europe-west9, Paris)")
    parser.add_argument("--billing-account", help="billing account to link to a new or unbilled project")
    parser.add_argument(
        "--write-test",
        action="store_true",
        help="let the doctor create ONE test customer to see what Ogust refuses",
    )
    parser.add_argument("--set-ogust-keys", action="store_true", help="store a new Ogust key pair")
    parser.add_argument(
        "--no-wait", action="store_true", help="end after the deploy, without waiting for the form's sharing"
    )
    parser.add_argument("--terraform-dir", type=Path, default=DEFAULT_TF_DIR)
    parser.add_argument(
        "--settings", type=Path, default=Path(SETTINGS_FILE), help="the settings file to write"
    )
    parser.add_argument("apply_args", nargs="*", help="passed to `terraform apply` (after --)")
    args = parser.parse_args(argv)
    if args.mapping is None and not args.prepare_only:
        parser.error("--mapping is required (the mapping to deploy)")
    options = Options(
        project=args.project,
        mapping=args.mapping or Path(),
        prepare_only=args.prepare_only,
        region=args.region,
        billing_account=args.billing_account,
        write_test=args.write_test,
        set_keys=args.set_ogust_keys,
        tf_dir=args.terraform_dir,
        settings=args.settings,
        apply_args=tuple(args.apply_args),
        wait_for_share=sys.stdin.isatty() and not args.no_wait,
    )
    return run_in_terminal(go_live, options)


if __name__ == "__main__":
    raise SystemExit(main())
