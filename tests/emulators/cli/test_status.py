"""`forms-to-ogust status`: its counts are the sandbox's customers and the dead letters, and one
response's history says where it came from and what it did."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from cli.status_command import _print_history
from forms_sandbox import FormsSandbox
from shared.delivery import PubSubPublisher
from shared.delivery.reconcile import Reconciler
from shared.delivery.watermarks import FirestoreWatermarks
from shared.exactly_once import ledger_key
from shared.exactly_once._ledger import FirestoreLedger
from shared.forms import FormsClient
from shared.mapping import load_mapping
from tests.support.forms_fixtures import FORM_ID, add_to_form, respondent, satisfaction_mapping
from tests.support.functions import wait_until
from tests.support.queue_world import QueueWorld
from tests.support.queue_world import world as world  # the queue world fixture (emulators, sandbox)

pytestmark = pytest.mark.slow

REQUIRED_PHONE = ("        steps: [phone]\n", "        steps: [phone]\n        required: true\n")


def strict_mapping(tmp: Path) -> Path:
    """The satisfaction mapping, reconciled, with the mobile phone required."""
    path = satisfaction_mapping(tmp)
    path.write_text(path.read_text(encoding="utf-8").replace(*REQUIRED_PHONE), encoding="utf-8")
    return path


def status(env: dict[str, str], *args: str) -> tuple[int, Any]:
    result = CliRunner().invoke(main, ["status", *args, "--wait", "1"], env=env)
    try:
        return result.exit_code, json.loads(result.output) if "--json" in args else result.output
    except json.JSONDecodeError:
        raise AssertionError(result.output) from None


def test_status_counts_match_ogust_and_the_dead_letters(
    world: QueueWorld, forms_api: FormsSandbox, tmp_path: Path
) -> None:
    mapping = strict_mapping(tmp_path)
    world.start_worker(mapping=mapping)
    world.start_receiver(mapping=mapping)
    by_script = [respondent(n) for n in range(3)]
    same_person = respondent(3, **{"Adresse e-mail": "client.0@exemple.fr", "Ville": "Ivry-sur-Seine"})
    no_phone = respondent(4, **{"Téléphone portable": ""})
    for payload in [*by_script, same_person, no_phone]:
        add_to_form(forms_api, payload)
    for payload in by_script:
        assert world.post(payload).status_code == 202
    wait_until(lambda: len(world.sandbox.customers()) == 3, 30, "the script's three customers")

    reconciler = Reconciler(
        mapping=load_mapping(mapping),
        forms=FormsClient(forms_api.url),
        ledger=FirestoreLedger(world.project),
        watermarks=FirestoreWatermarks(world.project),
        publisher=PubSubPublisher(),
        topic=world.path("topics", world.SUBMISSIONS),
    )
    (run,) = reconciler.run()
    assert (run.ok, run.queued) == (True, 2)
    late = respondent(5)
    add_to_form(forms_api, late)  # after the run, before the next: pending
    letters = world.wait_for_dead_letters(30, "the answer without a phone in the dead letters", 0.5)
    ledger = FirestoreLedger(world.project)
    wait_until(lambda: len(list(ledger.entries(FORM_ID))) == 5, 30, "five responses in the ledger")
    refused_key = ledger_key(FORM_ID, no_phone["responseId"])
    wait_until(lambda: ledger.get(refused_key).status == "parked", 10, "the worker's note of its letter")  # type: ignore[union-attr]

    env = {
        "GOOGLE_CLOUD_PROJECT": world.project,
        "LEDGER": "firestore",
        "DEAD_LETTER_SUBSCRIPTION": world.DEAD_LETTER_SUB,
        "MAPPING_FILE": str(mapping),
        "FORMS_API_ENDPOINT": forms_api.url,
    }
    code, report = status(env, "--json")
    assert code == 0, report
    (form,) = report["forms"]
    assert form["responses"] == 6
    assert form["applied"] == {"total": 4, "created": 3, "updated": 1, "unchanged": 0, "skipped": 0}
    assert form["applied"]["created"] == len(world.sandbox.customers())
    assert [d["responseId"] for d in form["deadLettered"]] == [m.attributes["responseId"] for m in letters]
    assert form["deadLettered"][0]["field"] == "mobile_phone"
    assert "required" in form["deadLettered"][0]["reason"]
    assert form["pending"] == [late["responseId"]]
    assert form["reconciledUpTo"] == no_phone["submittedAt"]

    code, text = status(env)
    assert code == 0
    assert "    6 responses in the form" in text
    assert "    4 applied: 3 created, 1 updated, 0 unchanged, 0 skipped" in text
    assert f"          {late['responseId']}" in text

    code, one = status(env, same_person["responseId"], "--json")
    assert code == 0
    first_customer = next(c for c in world.sandbox.customers() if c["email"] == "client.0@exemple.fr")
    assert (one["state"], one["outcome"], one["source"]) == ("applied", "updated", "reconcile")
    assert one["customerId"] == first_customer["id_customer"]
    assert [(a["source"], a["outcome"]) for a in one["history"]] == [("reconcile", "updated")]
    assert one["inForm"]["lastSubmittedTime"] == same_person["submittedAt"]

    code, refused = status(env, no_phone["responseId"], "--json")
    assert (code, refused["state"]) == (0, "dead-lettered")
    assert [a["outcome"] for a in refused["history"]] == ["rejected", "parked"]  # one letter, noted
    assert "required" in refused["history"][0]["error"]

    code, text = status(env, "--lang", "fr")  # the same counts in the office's words
    assert code == 0
    assert "    6 réponses dans le formulaire" in text
    assert "    4 traitées : 3 créées, 1 mises à jour, 0 inchangées, 0 ignorées" in text
    assert "La question « Téléphone portable » n'a pas de réponse utilisable." in text
    code, text = status(env, no_phone["responseId"], "--lang", "fr")
    assert code == 0
    assert "  état : refusé" in text
    assert "  motif : Cette réponse n'a pas été envoyée à Ogust. La question « Téléphone portable »" in text

    code, text = status(env, "2_ABaOnudInconnue")
    assert code == 1
    assert "no trace of response 2_ABaOnudInconnue" in text
    assert world.pull_dead_letters(), "status only lists: the dead letter is still parked"


def test_one_unreadable_response_in_a_form_of_five_four_applied_one_parked_shown_in_status(
    world: QueueWorld, forms_api: FormsSandbox, tmp_path: Path
) -> None:
    mapping = satisfaction_mapping(tmp_path)
    world.start_worker(mapping=mapping)
    good = [respondent(n) for n in range(4)]
    # Dated an hour ahead (a device with a wrong clock): no schema v1 submission can hold it.
    ahead = respondent(4, at=datetime.now(UTC) + timedelta(hours=1))
    for payload in [good[0], good[1], ahead, good[2], good[3]]:
        add_to_form(forms_api, payload)
    reconciler = Reconciler(
        mapping=load_mapping(mapping),
        forms=FormsClient(forms_api.url),
        ledger=FirestoreLedger(world.project),
        watermarks=FirestoreWatermarks(world.project),
        publisher=PubSubPublisher(),
        topic=world.path("topics", world.SUBMISSIONS),
    )
    (run,) = reconciler.run()
    assert (run.ok, run.listed, run.queued) == (True, 5, 4)
    (parked,) = run.parked
    assert parked.startswith(f"{ahead['responseId']}: ")
    assert "in the future" in parked
    wait_until(lambda: len(world.sandbox.customers()) == 4, 30, "the four readable answers in Ogust")
    # The worker records each one once its last Ogust write is done: the next run must find them.
    applied = FirestoreLedger(world.project)
    wait_until(lambda: sum(e.applied for e in applied.entries(FORM_ID)) == 4, 30, "the four in the ledger")
    (again,) = reconciler.run()  # parked once: a later run passes it by
    assert (again.ok, again.parked, again.queued) == (True, [], 0)
    ledger = FirestoreLedger(world.project)
    wait_until(lambda: len(list(ledger.entries(FORM_ID))) == 5, 30, "five responses in the ledger")

    env = {
        "GOOGLE_CLOUD_PROJECT": world.project,
        "LEDGER": "firestore",
        "MAPPING_FILE": str(mapping),
        "FORMS_API_ENDPOINT": forms_api.url,
    }
    code, report = status(env, "--json")
    assert code == 0, report
    (form,) = report["forms"]
    assert form["responses"] == 5
    assert form["applied"]["total"] == form["applied"]["created"] == 4
    (shown,) = form["deadLettered"]
    assert (shown["responseId"], shown["parkedBy"], shown["errorType"]) == (
        ahead["responseId"],
        "reconciler",
        "PayloadError",
    )
    assert "in the future" in shown["reason"]
    assert form["pending"] == []
    code, text = status(env)
    assert "    1 dead-lettered or unreadable:" in text
    code, one = status(env, ahead["responseId"], "--json")
    assert (code, one["state"], one["attempts"]) == (0, "unreadable", 1)


def test_status_needs_the_shared_ledger(tmp_path: Path) -> None:
    env = {
        "MAPPING_FILE": str(satisfaction_mapping(tmp_path)),
        "LEDGER": "memory",
        "GOOGLE_CLOUD_PROJECT": "p",
    }
    result = CliRunner().invoke(main, ["status"], env=env)
    assert result.exit_code == 3
    assert "set LEDGER=firestore" in result.output


def test_every_missing_setting_is_reported_at_once() -> None:
    env = {"MAPPING_FILE": "", "LEDGER": "", "GOOGLE_CLOUD_PROJECT": "", "FORMS_TO_OGUST_SETTINGS": ""}
    result = CliRunner().invoke(main, ["status"], env=env)
    assert result.exit_code == 3
    for name in ("MAPPING_FILE", "LEDGER=firestore", "GOOGLE_CLOUD_PROJECT"):
        assert f"set {name}" in result.output
    assert ".forms-to-ogust.env" in result.output


def test_a_history_shows_its_times_in_paris_time() -> None:
    report = {
        "responseId": "2_ABaOnudExemple0001",
        "formId": FORM_ID,
        "state": "applied",
        "inForm": {"lastSubmittedTime": "2026-07-14T08:00:00.000Z"},
        "formsApiError": None,
        "received": "2026-07-14T08:00:05.250Z",
        "source": "webhook",
        "attempts": 1,
        "history": [
            {
                "at": "2026-07-14T08:00:05.250Z",
                "source": "webhook",
                "outcome": "created",
                "version": "2026-07-14T08:00:00.000Z",
                "customerId": "344563872",
                "error": None,
            }
        ],
        "outcome": "created",
        "customerId": "344563872",
        "deadLetters": [],
    }
    runner = CliRunner()
    with runner.isolation() as (out, _, _):
        _print_history(report)
    text = out.getvalue().decode()
    assert "last submitted 2026-07-14 10:00:00 (Paris)" in text
    assert "received: 2026-07-14 10:00:05 (Paris; first from webhook)" in text
    assert "    2026-07-14 10:00:05  webhook" in text


def test_a_response_history_masks_errors_stored_before_masking_knew_their_spelling() -> None:
    """A ledger written by an older version may hold an error with a fullwidth e-mail or a phone
    glued to its label: `status RESPONSE_ID` masks what it shows, whatever was stored."""
    from datetime import UTC, datetime

    from cli.status_command import _ledger_part
    from shared.exactly_once import Attempt, LedgerEntry

    at = datetime(2026, 11, 28, 10, 15, tzinfo=UTC)
    error = "SubmissionRejected: zoé.lefèvre＠exemple.fr, Tél0612345678, client 344563872"
    entry = LedgerEntry(
        form_id="1SatisfactionExempleOgust2026",
        response_id="2_ABaOnudExemple0001",
        status="rejected",
        first_seen=at,
        history=(Attempt(at=at, source="script", outcome="rejected", error=error),),
    )
    (shown,) = _ledger_part(entry, "dead-lettered")["history"]
    assert shown["error"] == "SubmissionRejected: z***@e***.fr, Tél06******78, client 344563872"
