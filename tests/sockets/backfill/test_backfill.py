"""The backfill command on the sandbox: a 500-row export twice, bad rows reported as exported and
re-run once fixed, dry runs that simulate the rows in order, exports read like live submissions."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import main
from ogust_sandbox import Sandbox
from shared.backfill.run import direct_sink, run_backfill
from shared.engine.process import process
from shared.exactly_once._apply import guard_for
from shared.mapping import load_mapping
from shared.mapping.form import FormDescription
from shared.ogust import OgustClient
from shared.webhook import Submission
from tests.support.backfill import BAD_DATE_LINE, BAD_PHONE_LINE, HEADERS, SAME_PERSON, export, run
from tests.support.google_export import Language
from tests.support.google_export import export as google_export
from tests.support.queue_world import SATISFACTION


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
    with failed.open(encoding="utf-8-sig", newline="") as handle:
        reported = list(csv.DictReader(handle))
    # Each failed row as exported (every original column), plus why, so it can be fixed and re-run.
    assert [r["forms-to-ogust: row"] for r in reported] == [f"line {BAD_PHONE_LINE}", f"line {BAD_DATE_LINE}"]
    assert [list(r)[: len(HEADERS)] for r in reported] == [HEADERS, HEADERS]
    by_line = {r["forms-to-ogust: row"]: r for r in reported}
    assert by_line[f"line {BAD_PHONE_LINE}"]["forms-to-ogust: field"] == "mobile_phone"
    assert by_line[f"line {BAD_PHONE_LINE}"]["Téléphone portable"] == "06 12 34 5"
    assert "timestamp" in by_line[f"line {BAD_DATE_LINE}"]["forms-to-ogust: error"]
    assert by_line[f"line {BAD_DATE_LINE}"]["Horodateur"] == "le 3 mars"

    writes = len(sandbox.writes())
    code, summary = run(args, ogust_env)  # resumed: the done rows are in the state file
    assert (summary["created"], summary["skipped"], summary["failed"]) == (0, 498, 2)
    code, summary = run([*args, "--state", str(tmp_path / "fresh-state")], ogust_env)  # idempotent anyway
    assert (summary["created"], summary["unchanged"]) == (0, 498)
    assert len(sandbox.writes()) == writes
    assert len(sandbox.customers()) == 498

    # The consultant fixes the two cells in the failed-rows file and backfills that file as it is.
    fixed = failed.read_text(encoding="utf-8-sig")
    fixed = fixed.replace("06 12 34 5,", "06 99 88 77 66,").replace("le 3 mars,", "03/03/2026 09:00:00,")
    (tmp_path / "corrigé.csv").write_text(fixed, encoding="utf-8-sig")
    code, summary = run([str(tmp_path / "corrigé.csv"), "--rate", "1000"], ogust_env)
    assert (code, summary["created"], summary["failed"]) == (0, 2, 0)
    assert len(sandbox.customers()) == 500


def test_dry_run_writes_nothing_and_records_nothing(
    sandbox: Sandbox, ogust_env: dict[str, str], tmp_path: Path
) -> None:
    sheet = export(tmp_path / "export.csv", rows=12)
    code, summary = run([str(sheet), "--rate", "1000", "--dry-run"], ogust_env)
    assert code == 0
    assert summary["created"] == 12
    assert summary["dryRun"] is True
    assert sandbox.writes() == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.csv"]  # no state file


@pytest.mark.parametrize("workers", ["1", "4"])
def test_dry_run_simulates_the_rows_in_order_and_says_what_the_real_run_then_does(
    sandbox: Sandbox, ogust_env: dict[str, str], tmp_path: Path, workers: str
) -> None:
    sheet = tmp_path / "Réponses.csv"
    with sheet.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([HEADERS, *SAME_PERSON])
    args = [str(sheet), "--rate", "1000", "--workers", workers]
    code, dry = run([*args, "--dry-run"], ogust_env)
    assert code == 1  # Léa's phone is refused
    # Per person the newest answer wins: Zoé's newest row creates her customer, her two older rows
    # are skipped, not written over it.
    assert (dry["created"], dry["updated"], dry["unchanged"], dry["skipped"], dry["failed"]) == (
        2,
        0,
        0,
        2,
        1,
    )
    assert (sandbox.writes(), sandbox.customers()) == ([], [])
    assert dry["failedFile"] is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Réponses.csv"]  # no state, no failed rows

    _, asked = run([*args, "--dry-run", "--failed", str(tmp_path / "à-corriger.csv")], ogust_env)
    assert asked["failedFile"] == str(tmp_path / "à-corriger.csv")  # asked for: written
    assert "Martin" in (tmp_path / "à-corriger.csv").read_text(encoding="utf-8-sig")
    assert not (tmp_path / "Réponses.csv.backfill-state").exists()

    code, real = run(args, ogust_env)
    assert {k: real[k] for k in ("created", "updated", "unchanged", "skipped", "failed")} == {
        k: dry[k] for k in ("created", "updated", "unchanged", "skipped", "failed")
    }
    assert len(sandbox.customers()) == 2
    (zoe,) = [c for c in sandbox.customers() if c["email"] == "zoe.lefevre@exemple.fr"]
    assert zoe["main_address"]["line"] == "3 avenue Jean-Jaurès"


def test_rate_caps_ogust_requests_per_second(
    sandbox: Sandbox, ogust_env: dict[str, str], tmp_path: Path
) -> None:
    sheet = export(tmp_path / "export.csv", rows=6)
    code, _ = run([str(sheet), "--rate", "10", "--workers", "4"], ogust_env)
    assert code == 0
    # 1 token + 6 searches + 6 creations = 13 requests, never more than 10 in any one second.
    arrivals = sandbox.arrivals()
    assert len(arrivals) == sum(sandbox.calls().values()) == 13
    assert max(sum(1 for t in arrivals if start <= t < start + 1.0) for start in arrivals) <= 10


def test_forms_api_export_with_its_form_description(
    sandbox: Sandbox, ogust_env: dict[str, str], tmp_path: Path
) -> None:
    titles = {"1a2b": "Nom", "3c4d": "Adresse e-mail", "5e6f": "Note globale (1 à 5)"}
    # The form has every question the mapping reads; this response answers three of them.
    titles |= {f"q{n}": title for n, title in enumerate(HEADERS[1:]) if title not in titles.values()}
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


EXAMPLES = SATISFACTION.parent


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_export_with_its_form_writes_the_customer_the_live_submission_writes(
    sandbox: Sandbox, ogust_env: dict[str, str], ogust_client: OgustClient, tmp_path: Path, language: Language
) -> None:
    mapping = load_mapping(EXAMPLES / "registration.yaml")
    form = FormDescription.read(EXAMPLES / "registration-form.json")
    live = json.loads((EXAMPLES / "submissions" / "registration" / "01-registration.json").read_text())
    process(Submission.model_validate(live), mapping, ogust_client)
    (from_live,) = sandbox.customers()
    live_custom = sandbox.third_party_values(from_live["id_customer"])
    sandbox.reset()

    sheet = tmp_path / "Inscriptions.csv"
    sheet.write_text(google_export([live], form, language), encoding="utf-8")
    form_file = str(EXAMPLES / "registration-form.json")
    command = ["backfill", str(EXAMPLES / "registration.yaml"), str(sheet), "--form", form_file]
    result = CliRunner().invoke(main, [*command, "--rate", "1000", "--local-ledger"], env=ogust_env)
    assert result.exit_code == 0, result.output
    (from_csv,) = sandbox.customers()
    assert {k: v for k, v in from_csv.items() if k != "id_customer"} == {
        k: v for k, v in from_live.items() if k != "id_customer"
    }
    assert sandbox.third_party_values(from_csv["id_customer"]) == live_custom == {"DEBUT": "07/12/2026 09:30"}


def test_a_mapped_question_missing_from_the_export_is_an_error_naming_field_and_title(
    sandbox: Sandbox, ogust_env: dict[str, str], tmp_path: Path
) -> None:
    mapping = tmp_path / "satisfaction.yaml"
    mapping.write_text(
        SATISFACTION.read_text(encoding="utf-8").replace("title: Ville", "title: Vile"), encoding="utf-8"
    )
    sheet = export(tmp_path / "export.csv", rows=2)
    args = ["backfill", str(mapping), str(sheet), "--rate", "1000", "--local-ledger"]
    result = CliRunner().invoke(main, args, env=ogust_env)
    assert result.exit_code == 1
    assert (
        "error   satisfaction.yaml:37: question 'Vile' (field main_address.city) is not in the columns of "
        "export.csv: the field gets no value from it (did you mean 'Ville'?): nothing was sent"
    ) in result.stderr.replace(str(tmp_path) + "/", "")
    code, summary = run_with(mapping, [str(sheet), "--rate", "1000"], ogust_env)
    assert code == 1
    (error,) = summary["errors"]  # type: ignore[misc]
    assert (error["field"], error["line"], error["suggestion"]) == ("main_address.city", 37, "Ville")
    assert sandbox.writes() == []  # not one row was sent without its city


def run_with(mapping: Path, args: list[str], env: dict[str, str]) -> tuple[int, dict[str, object]]:
    result = CliRunner().invoke(main, ["backfill", str(mapping), *args, "--local-ledger", "--json"], env=env)
    return result.exit_code, json.loads(result.stdout.strip().splitlines()[-1])


def quote_rows(pairs: int) -> list[tuple[str, Submission]]:
    """Two answers per family, from two e-mails and one phone (lookup: [email, mobile_phone])."""
    base = json.loads(
        (EXAMPLES / "submissions/quote-request/01-new-prospect.json").read_text(encoding="utf-8")
    )
    rows = []
    for i in range(pairs):
        for side in ("mere", "pere"):
            answers = {"E-mail": f"{side}.famille{i}@exemple.fr", "Téléphone": f"06 98 76 54 {i:02d}"}
            data = {**base, "responseId": f"2_DevisFamille{i:02d}{side}"}
            data["answers"] = [{**a, "value": answers.get(a["title"], a["value"])} for a in base["answers"]]
            rows.append((f"responses[{len(rows)}]", Submission.model_validate(data)))
    return rows


def test_a_family_sharing_a_phone_backfilled_by_parallel_workers_is_one_customer_and_one_refusal(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    # The rows are grouped by their first lookup key (the e-mail), so the two answers of a family
    # run in different workers at once; only the lease on the phone keeps them from both creating.
    # The second finds the first's customer by the phone, with another e-mail: someone else, so it
    # is refused (on_conflict: refuse), never written over the first.
    sandbox.inject_latency(100)
    mapping = load_mapping(EXAMPLES / "quote-request.yaml")
    report = run_backfill(
        quote_rows(6), mapping, direct_sink(mapping, ogust_client, guard_for(None)), workers=8
    )
    assert (report.counts["created"], report.counts["failed"]) == (6, 6)
    assert {r.error_type for r in report.failed} == {"IdentityConflictError"}
    by_phone = Counter(str(c["mobile_phone"]) for c in sandbox.customers())
    assert len(by_phone) == 6
    assert set(by_phone.values()) == {1}
    assert sandbox.calls()["setCustomer"] == 6, "no refused answer wrote anything"


def test_creates_ogust_applied_without_confirming_are_found_by_the_next_run_not_made_twice(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    mapping = load_mapping(EXAMPLES / "quote-request.yaml")
    rows = quote_rows(4)[::2]  # one answer per family
    sandbox.inject_status(503, method="setCustomer", count=2, apply=True)
    sink = direct_sink(mapping, ogust_client, guard_for(None))
    first = run_backfill(rows, mapping, sink, workers=2)
    assert (first.counts["created"], first.counts["failed"]) == (2, 2)
    assert len(sandbox.customers()) == 4  # Ogust did apply the two it did not confirm
    second = run_backfill(rows, mapping, sink, workers=2)
    assert second.counts["failed"] == 0
    assert len(sandbox.customers()) == 4
    assert sandbox.calls()["setCustomer"] == 4, "no uncertain create was sent again"


def test_without_a_shared_ledger_the_backfill_refuses_unless_local_ledger_is_given(
    sandbox: Sandbox, ogust_env: dict[str, str], tmp_path: Path
) -> None:
    sheet = export(tmp_path / "export.csv", rows=3)
    command = ["backfill", str(SATISFACTION), str(sheet), "--rate", "1000"]
    refused = CliRunner().invoke(main, command, env={**ogust_env, "LEDGER": ""})
    assert refused.exit_code == 3
    assert "set LEDGER=firestore with GOOGLE_CLOUD_PROJECT" in refused.stderr
    assert "--local-ledger" in refused.stderr
    assert sandbox.writes() == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.csv"]  # no state, no failed rows

    allowed = CliRunner().invoke(main, [*command, "--local-ledger"], env={**ogust_env, "LEDGER": ""})
    assert allowed.exit_code == 0, allowed.output
    assert "warning --local-ledger: this run's ledger and leases are its own" in allowed.stderr
    assert len(sandbox.customers()) == 3
    # A dry run writes nothing and needs no ledger.
    dry = CliRunner().invoke(main, [*command, "--dry-run"], env={**ogust_env, "LEDGER": ""})
    assert dry.exit_code == 0, dry.output


def test_a_utf8_export_with_a_stray_byte_writes_no_mojibake_and_reports_that_row(
    sandbox: Sandbox, ogust_env: dict[str, str], tmp_path: Path
) -> None:
    sheet = export(tmp_path / "export.csv", rows=4)
    raw = sheet.read_bytes()
    # Line 3's name pasted from a Windows program: "Lefèvre" with è as the single byte 0xE8.
    sheet.write_bytes(raw.replace(b"d'Arnoux-Lef\xc3\xa8vre 1 ", b"d'Arnoux-Lef\xe8vre 1 "))
    code, summary = run([str(sheet), "--rate", "1000"], ogust_env)
    assert code == 1
    assert (summary["created"], summary["failed"]) == (3, 1)
    (failed,) = summary["failedRows"]  # type: ignore[misc]
    assert failed["row"] == "line 3"
    assert failed["error"].startswith("column 'Nom' holds a byte that is not UTF-8")
    stored = [str(v) for c in sandbox.customers() for v in c.values()]
    assert not [v for v in stored if "Ã" in v or "\ufffd" in v]
    assert sum("L'HAŸ-LES-ROSES" in v.upper() for v in stored) == 3


def test_a_failed_rows_file_run_again_keeps_its_name_and_the_exports_state(
    sandbox: Sandbox, ogust_env: dict[str, str], tmp_path: Path
) -> None:
    sheet = export(tmp_path / "Réponses.csv", rows=BAD_PHONE_LINE - 1)  # its last row: a bad phone
    code, summary = run([str(sheet), "--rate", "1000"], ogust_env)
    assert (code, summary["failed"]) == (1, 1)
    failed = tmp_path / "Réponses.csv.failed.csv"
    assert summary["failedFile"] == str(failed)
    code, summary = run([str(failed), "--rate", "1000"], ogust_env)  # not fixed yet: fails again
    assert (code, summary["failed"], summary["failedFile"]) == (1, 1, str(failed))
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "Réponses.csv",
        "Réponses.csv.backfill-state",
        "Réponses.csv.failed.csv",
    ]
    fixed = failed.read_text(encoding="utf-8-sig").replace("06 12 34 5,", "06 99 88 77 66,")
    failed.write_text(fixed, encoding="utf-8-sig")
    code, summary = run([str(failed), "--rate", "1000"], ogust_env)
    assert (code, summary["created"], summary["failed"]) == (0, 1, 0)
    assert len(sandbox.customers()) == BAD_PHONE_LINE - 1


def test_offline_reads_and_plans_every_row_with_no_ogust_and_no_keys(tmp_path: Path) -> None:
    sheet = export(tmp_path / "export.csv", rows=BAD_PHONE_LINE - 1)  # its last row: a bad phone
    command = ["backfill", str(SATISFACTION), str(sheet), "--offline", "--json"]
    result = CliRunner().invoke(
        main, command, env={"OGUST_API_URL": "", "OGUST_PUBLIC_KEY": "", "LEDGER": ""}
    )
    assert result.exit_code == 1, result.output  # a row the mapping refuses
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert (summary["planned"], summary["failed"]) == (BAD_PHONE_LINE - 2, 1)
    (failed,) = summary["failedRows"]
    assert (failed["row"], failed["field"]) == (f"line {BAD_PHONE_LINE}", "mobile_phone")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.csv"]  # no state, no failed rows
    clash = CliRunner().invoke(main, [*command, "--dry-run"])
    assert clash.exit_code == 2
