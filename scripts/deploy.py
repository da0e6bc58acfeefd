"""`make deploy`: one `terraform apply`, then the secret steps, then what to paste in the form.

    python -m scripts.deploy [--terraform-dir DIR] [--set-ogust-keys] [-- TERRAFORM_APPLY_ARGS…]

1. when neither terraform.tfvars (nor a *.auto.tfvars, a -var / -var-file argument or
   TF_VAR_agency_email) gives `agency_email`, the agency's address for its notices is asked for
   and saved to terraform.tfvars, so the next deploy does not ask again;
   then `terraform init` and `terraform apply`, which shows the plan and asks before changing anything;
2. when the Ogust key secret has no enabled version (or with --set-ogust-keys), the key pair is taken
   from OGUST_PUBLIC_KEY and OGUST_PRIVATE_KEY, or asked for without echo, and added to Secret
   Manager through gcloud's standard input: never in a command line, the Terraform state, or the
   output;
3. with receiver_public_access = "no-invoker-iam-check", Cloud Run's invoker check is turned off on
   the receiver (the way to a public receiver where an organisation policy forbids allUsers);
4. it prints the three Script properties of the form's Apps Script (WEBHOOK_URL, WEBHOOK_SECRET,
   ALERT_EMAIL: the agency's address), the address to share reconciled forms and their response
   spreadsheets with, and how to read the logs. The webhook secret, generated
   by Terraform, is printed only to a terminal; elsewhere, the command that reads it.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TF_DIR = ROOT / "infra" / "terraform"
KEY_VARIABLES = ("OGUST_PUBLIC_KEY", "OGUST_PRIVATE_KEY")
AGENCY_EMAIL = "agency_email"
AGENCY_EMAIL_PATTERN = r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$"
"""The same pattern as the variable's validation in variables.tf (a test keeps them equal)."""
_NOT_IN_TFVARS = set('"\\${}')
"""Characters that would need escaping (or start an interpolation) in a terraform.tfvars string."""
ASKS_FOR_EMAIL = 3

Ask = Callable[[str], str]
"""Reads one value without echoing it (getpass.getpass)."""


class DeployError(Exception):
    """The deployment cannot go on; the message says why and what to do (never a secret value)."""


@dataclass(frozen=True)
class Deployment:
    """Terraform's `deployment` output: names only."""

    project: str
    region: str
    webhook_url: str
    webhook_secret: str
    ogust_keys_secret: str
    receiver_service: str
    receiver_public_access: str
    reconciler_service_account: str
    agency_email: str = ""
    """Empty in the output of a state applied before the variable existed."""
    worker_service_account: str = ""

    @classmethod
    def from_outputs(cls, outputs: Mapping[str, object]) -> Deployment:
        entry = outputs.get("deployment")
        value = entry.get("value") if isinstance(entry, dict) else None
        if not isinstance(value, dict):
            raise DeployError("terraform output has no `deployment`: is infra/terraform up to date?")
        fields = {name: str(value[name]) for name in cls.__dataclass_fields__ if name in value}
        try:
            return cls(**fields)
        except TypeError:
            optional = {"agency_email", "worker_service_account"}
            missing = sorted(set(cls.__dataclass_fields__) - set(value) - optional)
            raise DeployError(f"terraform output `deployment` lacks {', '.join(missing)}") from None


def _run(command: Sequence[str], *, input_text: str | None = None, capture: bool = True) -> str:
    """Run a command; DeployError with its own error output (gcloud never echoes stdin) on failure."""
    try:
        done = subprocess.run(  # noqa: S603 (terraform and gcloud, with our own arguments)
            list(command),
            input=input_text,
            capture_output=capture,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        raise DeployError(f"{command[0]} is not installed (or not on PATH)") from None
    if done.returncode != 0:
        detail = (done.stderr or "").strip() if capture else ""
        what = f"`{' '.join(command[:4])} …` failed (exit {done.returncode})"
        raise DeployError(f"{what}: {detail}" if detail else what)
    return done.stdout or ""


def apply(tf_dir: Path, apply_args: Sequence[str]) -> Deployment:
    """`terraform init` and `terraform apply` on the terminal, then the `deployment` output."""
    _run(["terraform", f"-chdir={tf_dir}", "init"], capture=False)
    _run(["terraform", f"-chdir={tf_dir}", "apply", *apply_args], capture=False)
    return Deployment.from_outputs(json.loads(_run(["terraform", f"-chdir={tf_dir}", "output", "-json"])))


def _var_files(tf_dir: Path, apply_args: Sequence[str]) -> list[Path]:
    """The variable files Terraform reads for this apply, in its own order."""
    files = [tf_dir / "terraform.tfvars", tf_dir / "terraform.tfvars.json"]
    files += sorted(tf_dir.glob("*.auto.tfvars")) + sorted(tf_dir.glob("*.auto.tfvars.json"))
    for i, arg in enumerate(apply_args):
        if arg.startswith("-var-file="):
            files.append(tf_dir / arg.split("=", 1)[1])
        elif arg == "-var-file" and i + 1 < len(apply_args):
            files.append(tf_dir / apply_args[i + 1])
    return files


def sets_variable(name: str, tf_dir: Path, apply_args: Sequence[str], env: Mapping[str, str]) -> bool:
    """Whether Terraform gets `name` from the environment, a -var argument or a variable file."""
    if env.get(f"TF_VAR_{name}", "").strip():
        return True
    if any(arg.removeprefix("-var=").startswith(f"{name}=") for arg in apply_args if "=" in arg):
        return True
    assignment = re.compile(rf'^\s*("?){re.escape(name)}\1\s*[=:]', re.MULTILINE)
    return any(
        p.is_file() and assignment.search(p.read_text(encoding="utf-8"))
        for p in _var_files(tf_dir, apply_args)
    )


def agency_email_problem(address: str) -> str | None:
    """Why `address` cannot be the agency's address, or None."""
    if not re.fullmatch(AGENCY_EMAIL_PATTERN, address):
        return "one e-mail address is expected, such as accueil@mon-agence.fr (not a list)"
    if _NOT_IN_TFVARS & set(address):
        return 'an address with " \\ $ { or } cannot be written to terraform.tfvars: set it there by hand'
    return None


def ensure_agency_email(
    tf_dir: Path, apply_args: Sequence[str], env: Mapping[str, str], ask: Ask | None, err: TextIO
) -> None:
    """Asks for the agency's address when Terraform would not get it, and saves it to terraform.tfvars."""
    if sets_variable(AGENCY_EMAIL, tf_dir, apply_args, env):
        return
    tfvars = tf_dir / "terraform.tfvars"
    if ask is None:
        raise DeployError(
            f'{AGENCY_EMAIL} is not set: add `{AGENCY_EMAIL} = "accueil@…"` (the agency\'s address, which'
            f" gets one e-mail per answer Ogust refused) to {tfvars}, or run `make deploy` in a terminal"
            " to be asked for it"
        )
    print(
        "The agency's e-mail address: it gets one e-mail in French for each form answer Ogust did not"
        ' record, with the link to its row in the "Suivi Ogust" tab (docs/suivi-ogust.md).',
        file=err,
    )
    for _ in range(ASKS_FOR_EMAIL):
        address = ask("  Agency e-mail address: ").strip()
        problem = agency_email_problem(address)
        if problem is None:
            break
        print(f"  {problem}", file=err)
    else:
        raise DeployError(f"no valid {AGENCY_EMAIL} was given; nothing was applied")
    existing = tfvars.read_text(encoding="utf-8") if tfvars.is_file() else ""
    separator = "" if not existing or existing.endswith("\n") else "\n"
    line = f'{AGENCY_EMAIL} = "{address}" # the agency: one e-mail per answer Ogust refused (make deploy)\n'
    tfvars.write_text(existing + separator + line, encoding="utf-8")
    print(f"Saved {AGENCY_EMAIL} to {tfvars}.", file=err)


def has_enabled_version(secret: str, project: str) -> bool:
    listed = _run(
        [
            "gcloud",
            "secrets",
            "versions",
            "list",
            secret,
            f"--project={project}",
            "--filter=state:ENABLED",
            "--limit=1",
            "--format=value(name)",
        ]
    )
    return bool(listed.strip())


def ogust_keys(env: Mapping[str, str], ask: Ask | None, warn: TextIO) -> str:
    """The key pair as the secret's JSON, from the environment or asked for; never echoed."""
    public, private = (env.get(name, "").strip() for name in KEY_VARIABLES)
    if not (public and private):
        if ask is None:
            raise DeployError(
                "the Ogust key secret has no version: set OGUST_PUBLIC_KEY and OGUST_PRIVATE_KEY, "
                "or run `make deploy` in a terminal to be asked for them"
            )
        print(
            "The Ogust keys (Ogust: Administration > Société > onglet Définition); nothing is shown.",
            file=warn,
        )
        public = public or ask("  Ogust public key (clé web): ").strip()
        private = private or ask("  Ogust private key (clé de cryptage): ").strip()
    for label, value in (("public key", public), ("private key", private)):
        if not value or re.search(r"\s", value):
            raise DeployError(f"the Ogust {label} is empty or contains spaces; nothing was stored")
    if not re.fullmatch(r"\d{20}", public):
        print("warning: the public key is usually 20 digits; stored as typed", file=warn)
    if len(private) != 16:
        print("warning: the private key is usually 16 characters; stored as typed", file=warn)
    return json.dumps({"public_key": public, "private_key": private})


def store_ogust_keys(deployment: Deployment, payload: str) -> None:
    _run(
        [
            "gcloud",
            "secrets",
            "versions",
            "add",
            deployment.ogust_keys_secret,
            f"--project={deployment.project}",
            "--data-file=-",
        ],
        input_text=payload,
    )


def webhook_secret(deployment: Deployment) -> str | None:
    """The latest webhook secret version (generated by Terraform), or None if there is none yet."""
    try:
        value = _run(
            [
                "gcloud",
                "secrets",
                "versions",
                "access",
                "latest",
                f"--secret={deployment.webhook_secret}",
                f"--project={deployment.project}",
            ]
        )
    except DeployError:
        return None
    return value.strip() or None


def disable_invoker_check(deployment: Deployment) -> None:
    _run(
        [
            "gcloud",
            "run",
            "services",
            "update",
            deployment.receiver_service,
            f"--region={deployment.region}",
            f"--project={deployment.project}",
            "--no-invoker-iam-check",
            "--quiet",
        ]
    )


def report(deployment: Deployment, secret: str | None, *, show_secret: bool, out: TextIO) -> None:
    """What to paste in the form's Script properties, and where to look next."""
    read_secret = (
        f"gcloud secrets versions access latest --secret={deployment.webhook_secret}"
        f" --project={deployment.project}"
    )
    if secret is None:
        shown = (
            "(no version yet: add the one your Apps Script uses, see `terraform output set_secret_commands`)"
        )
    elif show_secret:
        shown = secret
    else:
        shown = f"(not printed outside a terminal: {read_secret})"
    print(
        "\n".join(
            [
                "",
                "Deployed. In the form's Apps Script editor: Project Settings > Script properties, set:",
                f"  WEBHOOK_URL     {deployment.webhook_url}",
                f"  WEBHOOK_SECRET  {shown}",
                f"  ALERT_EMAIL     {deployment.agency_email or 'the agency office address'}"
                "   (the script's French digests)",
                "then run install() once (docs/setup.md).",
                "",
                "Share each form marked `reconcile: true`, and its response spreadsheet (where the"
                f' "Suivi Ogust" tab is written), with {deployment.reconciler_service_account}'
                " (as an editor).",
                *(
                    [
                        "Optional: share them with the worker too, for a row to change right after each"
                        " attempt rather than at the next reconciliation:"
                        f" {deployment.worker_service_account}"
                    ]
                    if deployment.worker_service_account
                    else []
                ),
                "What happened: .venv/bin/forms-to-ogust logs --since 1h"
                " (or: terraform -chdir=infra/terraform output -raw logs_command)",
                "Check Ogust from the deployment itself (docs/first-run.md §8, your account in"
                " doctor_invokers): .venv/bin/forms-to-ogust doctor --cloud"
                ' "$(terraform -chdir=infra/terraform output -raw doctor_url)"',
            ]
        ),
        file=out,
    )


def deploy(
    tf_dir: Path,
    apply_args: Sequence[str],
    *,
    env: Mapping[str, str],
    ask: Ask | None,
    set_keys: bool = False,
    show_secret: bool,
    out: TextIO,
    err: TextIO,
    ask_text: Ask | None = None,
) -> None:
    """`ask` reads a secret without echo; `ask_text` reads a plain answer (None: not a terminal)."""
    ensure_agency_email(tf_dir, apply_args, env, ask_text, err)
    deployment = apply(tf_dir, apply_args)
    if set_keys or not has_enabled_version(deployment.ogust_keys_secret, deployment.project):
        store_ogust_keys(deployment, ogust_keys(env, ask, err))
        print(f"Ogust keys stored in Secret Manager ({deployment.ogust_keys_secret}).", file=err)
    if deployment.receiver_public_access == "no-invoker-iam-check":
        disable_invoker_check(deployment)
    report(deployment, webhook_secret(deployment), show_secret=show_secret, out=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--terraform-dir", type=Path, default=DEFAULT_TF_DIR)
    parser.add_argument(
        "--set-ogust-keys", action="store_true", help="store a new Ogust key pair even if one is there"
    )
    parser.add_argument("apply_args", nargs="*", help="passed to `terraform apply` (after --)")
    args = parser.parse_args(argv)
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    return run_in_terminal(
        deploy,
        args.terraform_dir,
        args.apply_args,
        set_keys=args.set_ogust_keys,
        show_secret=interactive,
    )


def run_in_terminal(step: Callable[..., None], *args: Any, **options: Any) -> int:
    """A main's exit code: `step` run with this process's environment, its prompts (none when
    standard input is not a terminal) and streams; 1 after a DeployError, said on stderr."""
    terminal = sys.stdin.isatty()
    try:
        step(
            *args,
            **options,
            env=os.environ,
            ask=getpass.getpass if terminal else None,
            ask_text=input if terminal else None,
            out=sys.stdout,
            err=sys.stderr,
        )
    except DeployError as exc:
        print(f"deploy: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
