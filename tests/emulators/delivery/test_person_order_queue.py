"""Per person, the newest answer wins through the queue: the reconciler bringing a missed older
answer, a dead letter replayed after a newer answer, and a version dated ahead followed by a real
edit — receiver, Pub/Sub and Firestore emulators, worker and the Ogust sandbox, for real."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from shared.exactly_once._ledger import FirestoreLedger, ledger_key
from tests.support.forms_fixtures import BASE_TIME, FORM_ID, add_to_form, respondent
from tests.support.function import example
from tests.support.functions import wait_until
from tests.support.queue_world import SATISFACTION, QueueWorld
from tests.support.reconciling import Reconciling

pytestmark = pytest.mark.slow


def stamp(at: datetime) -> str:
    return at.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def cities(world: QueueWorld) -> list[str]:
    return [str(c["main_address"]["city"]) for c in world.sandbox.customers()]


def worker_said(world: QueueWorld, response_id: str, status: str) -> bool:
    assert world.worker is not None
    return any(
        e.get("responseId") == response_id and e.get("status") == status for e in world.worker.entries()
    )


def test_the_reconciler_bringing_a_persons_missed_older_answer_leaves_the_newer_values(
    rec: Reconciling,
) -> None:
    rec.start(receiver=True)
    older = respondent(0, Ville="Lyon")
    newer: dict[str, Any] = respondent(
        1,
        at=BASE_TIME + timedelta(hours=1),
        **{
            "Adresse e-mail": "client.0@exemple.fr",
            "Téléphone portable": "06 12 00 00 00",
            "Ville": "Nantes",
        },
    )
    add_to_form(rec.forms_api, older)  # the script never sent it
    add_to_form(rec.forms_api, newer)
    assert rec.world.post(newer).status_code == 202
    wait_until(lambda: cities(rec.world) == ["NANTES"], 30, "the newer answer in Ogust")

    answer = rec.run()
    assert answer.status_code == 200, answer.text
    (form,) = answer.json()["forms"]
    assert form["queued"] == 1
    wait_until(lambda: worker_said(rec.world, older["responseId"], "skipped"), 30, "the older answer skipped")
    assert cities(rec.world) == ["NANTES"]
    entry = FirestoreLedger(rec.world.project).get(ledger_key(FORM_ID, older["responseId"]))
    assert entry is not None
    assert (entry.status, entry.source, entry.applied) == ("skipped", "reconcile", False)

    again = rec.run()  # skipped counts as settled: not queued on every run
    assert again.json()["forms"][0]["queued"] == 0


def test_a_dead_letter_replayed_after_the_persons_newer_answer_leaves_the_newer_values(
    world: QueueWorld,
) -> None:
    world.sandbox.inject_ko("Le champ title est invalide", method="setCustomer")
    world.start_worker()
    world.start_receiver()
    older = example("01-new-customer", responseId="2_ABaAncienne", submittedAt="2026-11-28T09:15:00.000Z")
    older["answers"] = [{**a, "value": "Lyon"} if a["title"] == "Ville" else a for a in older["answers"]]
    assert world.post(older).status_code == 202
    (letter,) = world.wait_for_dead_letters(20, "the refused older answer parked")
    assert letter.attributes["responseId"] == "2_ABaAncienne"

    newer = example("01-new-customer", responseId="2_ABaNouvelle", submittedAt="2026-11-29T10:00:00.000Z")
    newer["answers"] = [{**a, "value": "Nantes"} if a["title"] == "Ville" else a for a in newer["answers"]]
    assert world.post(newer).status_code == 202
    wait_until(lambda: cities(world) == ["NANTES"], 20, "the newer answer in Ogust")

    env = {
        "DEAD_LETTER_SUBSCRIPTION": world.DEAD_LETTER_SUB,
        "SUBMISSIONS_TOPIC": world.SUBMISSIONS,
        "MAPPING_FILE": str(SATISFACTION),
    }
    replayed = CliRunner().invoke(
        main, ["dead-letters", "replay", "--id", "2_ABaAncienne", "--wait", "1"], env=env
    )
    assert replayed.exit_code == 0, replayed.output
    wait_until(
        lambda: worker_said(world, "2_ABaAncienne", "skipped"), 20, "the replayed older answer skipped"
    )
    assert cities(world) == ["NANTES"]
    assert world.pull_dead_letters() == []


def test_a_version_dated_ahead_then_a_real_edit_a_second_later_is_applied_through_the_queue(
    world: QueueWorld,
) -> None:
    world.start_worker()
    world.start_receiver()
    now = datetime.now(UTC)
    ahead = example("01-new-customer", submittedAt=stamp(now + timedelta(minutes=4, seconds=50)))
    ahead["answers"] = [{**a, "value": "Lyon"} if a["title"] == "Ville" else a for a in ahead["answers"]]
    assert world.post(ahead).status_code == 202
    wait_until(lambda: cities(world) == ["LYON"], 20, "the version dated ahead in Ogust")

    edit = example("01-new-customer", submittedAt=stamp(now + timedelta(seconds=1)))
    edit["answers"] = [{**a, "value": "Nantes"} if a["title"] == "Ville" else a for a in edit["answers"]]
    assert world.post(edit).status_code == 202
    wait_until(lambda: cities(world) == ["NANTES"], 20, "the real edit applied, not skipped")
    assert len(world.sandbox.customers()) == 1
