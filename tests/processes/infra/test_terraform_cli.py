"""infra/terraform evaluated by Terraform itself, offline (no provider, no state): the agency's
e-mail validation through `terraform console`, `terraform fmt -check`, and the agency's notice as
`terraform apply` renders it. Skipped where terraform is not installed (`make tf-fmt` runs the
format check there). The checks that only read the .tf files are tests/unit/infra/test_terraform.py."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.support.terraform import TERRAFORM, load


def _console(expressions: list[str]) -> list[str]:
    """Evaluates each HCL expression with Terraform's own functions (no provider, no state)."""
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("terraform is not installed")
    with tempfile.TemporaryDirectory() as empty:
        result = subprocess.run(
            [terraform, "console"],
            input="\n".join(expressions) + "\n",
            capture_output=True,
            text=True,
            timeout=60,
            cwd=empty,
            check=False,
        )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


@pytest.mark.parametrize(
    ("address", "accepted"),
    [
        ("accueil@aide-a-domicile.fr", True),
        ("secretariat.sainte-therese@agence-l-olivier.fr", True),
        ("Marie-Hélène.D'Aubigné@exemple.fr", True),
        ("", False),
        ("accueil", False),
        ("accueil@agence", False),
        ("accueil@agence.fr, direction@agence.fr", False),
        ("accueil@agence.fr;direction@agence.fr", False),
        ("accueil @agence.fr", False),
    ],
)
def test_agency_email_accepts_one_address_and_refuses_anything_else(address: str, accepted: bool) -> None:
    (validation,) = load().variables["agency_email"]["validation"]
    condition = validation["condition"]
    assert condition.startswith("${")
    assert condition.endswith("}")
    expression = condition[2:-1].replace("var.agency_email", json.dumps(address, ensure_ascii=False))
    assert _console([expression]) == [str(accepted).lower()]


def test_terraform_files_are_formatted() -> None:
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("terraform is not installed; `make tf-fmt` runs the same check where it is")
    result = subprocess.run(
        [terraform, "fmt", "-check", "-recursive", "-diff", str(TERRAFORM)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, f"run `terraform fmt -recursive infra/terraform`:\n{result.stdout}"


def _rendered_refused_answer_documentation() -> dict[str, str]:
    """The policy's subject and content as Terraform hands them to Cloud Monitoring: the HCL source
    of both, evaluated by `terraform apply` as outputs of an empty module (no provider, no state)."""
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("terraform is not installed")
    source = (TERRAFORM / "monitoring.tf").read_text(encoding="utf-8")
    policy = source.split('resource "google_monitoring_alert_policy" "refused_answer" {', 1)[1]
    documentation = policy.split("  documentation {", 1)[1].split("\n  }\n", 1)[0]
    subject = re.search(r"^\s*subject\s*=\s*(\".*\")$", documentation, re.MULTILINE)
    content = re.search(r"^\s*content\s*=\s*(<<-EOT\n.*?\n\s*EOT)$", documentation, re.MULTILINE | re.DOTALL)
    assert subject, "no subject"
    assert content, "no content heredoc"
    module = "\n".join(
        [
            f'output "subject" {{\n  value = {subject[1]}\n}}',
            f'output "content" {{\n  value = {content[1]}\n}}',
            "",
        ]
    )
    with tempfile.TemporaryDirectory() as work:
        (Path(work) / "main.tf").write_text(module, encoding="utf-8")
        for command in (["init", "-input=false"], ["apply", "-auto-approve", "-input=false"]):
            done = subprocess.run(
                [terraform, f"-chdir={work}", *command],
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            assert done.returncode == 0, done.stdout + done.stderr
        shown = subprocess.run(
            [terraform, f"-chdir={work}", "output", "-json"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    outputs = json.loads(shown.stdout)
    return {name: outputs[name]["value"] for name in ("subject", "content")}


def test_the_agencys_email_reads_as_french_text_once_google_fills_in_the_labels() -> None:
    rendered = _rendered_refused_answer_documentation()
    # What Terraform sends keeps Cloud Monitoring's variables, with a single `$`.
    assert "$${" not in rendered["subject"] + rendered["content"]
    labels = {
        "formulaire": "Demande d'intervention à domicile",
        "envoyee_le": "28/11/2026 à 14:05",
        "motif": "La question « Téléphone » : « 06******78 » n'est pas un numéro de téléphone.",
        "lien": "https://docs.google.com/spreadsheets/d/1AbCdEf/edit#gid=1234&range=A7",
    }

    def fill(text: str) -> str:
        return re.sub(r"\$\{log\.extracted_label\.(\w+)\}", lambda m: labels[m[1]], text)

    subject, content = fill(rendered["subject"]), fill(rendered["content"])
    assert (
        subject == "Ogust n'a pas enregistré une réponse au formulaire « Demande d'intervention à domicile »"
    )
    assert "${" not in content
    assert content.startswith(
        "Une réponse au formulaire **« Demande d'intervention à domicile »**,"
        " envoyée le **28/11/2026 à 14:05**,"
    )
    for value in labels.values():
        assert value in content
    assert not content.startswith(" "), "the heredoc's indentation is stripped"
