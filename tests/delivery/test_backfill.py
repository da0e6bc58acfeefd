"""The backfill command on the sandbox: a 500-row response sheet export, twice; bad rows reported."""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import main
from ogust_sandbox import Sandbox
from tests.delivery.conftest import SATISFACTION

HEADERS = [
    "Horodateur",
    "Civilité",
    "Nom",
    "Prénom",
    "Adresse e-mail",
    "Téléphone portable",
    "Adresse",
    "Code postal",
    "Ville",
    "Note globale (1 à 5)",
    "Commentaires",
]
BAD_PHONE_LINE = 2 + 137
BAD_DATE_LINE = 2 + 321


def export(path: Path, rows: int = 500) -> Path:
    """A response sheet as Google Sheets exports it: French headers, dd/mm/yyyy timestamps."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        for n in range(rows):
            line = 2 + n
            writer.writerow(
                [
                    "le 3 mars"
                    if line == BAD_DATE_LINE
                    else f"{1 + n % 28:02d}/10/2026 {8 + n % 10}:{n % 60:02d}:07",
                    "Madame" if n % 2 else "Monsieur",
                    f"  d'Arnoux-Lefèvre {n} ",
                    "marie-hélène" if n % 2 else "jean-françois",
                    f"Client.{n}@Exemple.fr",
                    "06 12 34 5" if line == BAD_PHONE_LINE else f"06 {n // 100:02d} {n % 100:02d} 56 78",
                    f"{n}, rue de l'Église",
                    "94240",
                    "L'Haÿ-les-Roses",
                    str(1 + n % 5),
                    "Très bien, merci",
                ]
            )
    return path


def run(args: list[str], env: dict[str, str]) -> tuple[int, dict[str, object]]:
    result = CliRunner().invoke(main, ["backfill", str(SATISFACTION), *args, "--json"], env=env)
    last = result.stdout.strip().splitlines()[-1]
    return result.exit_code, json.loads(last)


@pytest.mark.slow
def test_backfill_of_500_rows_creates_once_and_a_second_run_creates_nothing(
    sandbox: Sandbox, ogust_env: dict[str, str], tmp_path: Path
) -> None:
    sheet = export(tmp_path / "Réponses.csv")
    failed = tmp_path / "failed.csv"
    args = [str(sheet), "--rate", "1000", "--workers", "4", "--failed", str(failed)]
    code, summary = run(args, ogust_env)
    assert code == 1  # some rows failed
    assert summary["created"] == 498
    assert summary["failed"] == 2
    assert len(sandbox.customers()) == 498
    with failed.open(encoding="utf-8") as handle:
        reported = {row["row"]: row for row in csv.DictReader(handle)}
    assert set(reported) == {f"line {BAD_PHONE_LINE}", f"line {BAD_DATE_LINE}"}
    assert reported[f"line {BAD_PHONE_LINE}"]["field"] == "mobile_phone"
    assert "timestamp" in reported[f"line {BAD_DATE_LINE}"]["error"]

    writes = len(sandbox.writes())
    code, summary = run(args, ogust_env)  # resumed: the done rows are in the state file
    assert (summary["created"], summary["skipped"], summary["failed"]) == (0, 498, 2)
    code, summary = run([*args, "--state", str(tmp_path / "fresh-state")], ogust_env)  # idempotent anyway
    assert (summary["created"], summary["unchanged"]) == (0, 498)
    assert len(sandbox.writes()) == writes
    assert len(sandbox.customers()) == 498


def test_dry_run_writes_nothing_and_records_nothing(
    sandbox: Sandbox, ogust_env: dict[str, str], tmp_path: Path
) -> None:
    sheet = export(tmp_path / "export.csv", rows=12)
    code, summary = run([str(sheet), "--rate", "1000", "--dry-run"], ogust_env)
    assert code == 0
    assert summary["created"] == 12
    assert summary["dryRun"] is True
    assert sandbox.writes() == []
    assert not (tmp_path / "export.csv.backfill-state").exists()


def test_rate_caps_ogust_requests_per_second(
    sandbox: Sandbox, ogust_env: dict[str, str], tmp_path: Path
) -> None:
    sheet = export(tmp_path / "export.csv", rows=6)
    started = time.monotonic()
    code, _ = run([str(sheet), "--rate", "10", "--workers", "4"], ogust_env)
    elapsed = time.monotonic() - started
    assert code == 0
    # 1 token + 6 searches + 6 creations = 13 requests, one slot each 0.1 s apart: ≥ 1.2 s.
    assert sum(sandbox.calls().values()) == 13
    assert elapsed >= 1.2


def test_forms_api_export_with_its_form_description(
    sandbox: Sandbox, ogust_env: dict[str, str], tmp_path: Path
) -> None:
    titles = {"1a2b": "Nom", "3c4d": "Adresse e-mail", "5e6f": "Note globale (1 à 5)"}
    form = {
        "formId": "1SatisfactionExempleOgust2026",
        "items": [
            {"itemId": "00aa", "title": t, "questionItem": {"question": {"questionId": q}}}
            for q, t in titles.items()
        ],
    }
    responses = {
        "responses": [
            {
                "responseId": "ACYDBNj-exemple-1",
                "createTime": "2026-10-01T08:00:00.000Z",
                "lastSubmittedTime": "2026-10-01T08:00:00.000Z",
                "answers": {
                    "1a2b": {"questionId": "1a2b", "textAnswers": {"answers": [{"value": "N'Diaye"}]}},
                    "3c4d": {
                        "questionId": "3c4d",
                        "textAnswers": {"answers": [{"value": "jp.ndiaye@exemple.org"}]},
                    },
                    "5e6f": {"questionId": "5e6f", "textAnswers": {"answers": [{"value": "5"}]}},
                },
            }
        ]
    }
    (tmp_path / "form.json").write_text(json.dumps(form), encoding="utf-8")
    (tmp_path / "responses.json").write_text(json.dumps(responses), encoding="utf-8")
    code, summary = run(
        [str(tmp_path / "responses.json"), "--form", str(tmp_path / "form.json"), "--rate", "1000"], ogust_env
    )
    assert (code, summary["created"]) == (0, 1)
    (customer,) = sandbox.customers()
    assert (customer["last_name"], customer["email"]) == ("N'DIAYE", "jp.ndiaye@exemple.org")
