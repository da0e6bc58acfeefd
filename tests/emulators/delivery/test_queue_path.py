"""Queue mode end to end on the emulators: signed POST → receiver → Pub/Sub → worker → sandbox Ogust."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from tests.support.function import example
from tests.support.functions import wait_until
from tests.support.queue_world import SATISFACTION, QueueWorld

ACKED = {"created", "updated", "unchanged", "skipped", "dead-lettered"}

pytestmark = pytest.mark.slow


def test_queued_submission_is_answered_202_then_applied_by_the_worker(world: QueueWorld) -> None:
    world.start_worker()
    world.start_receiver()
    response = world.post(example("01-new-customer"))
    assert response.status_code == 202
    assert response.json() == {"status": "queued", "submissionId": "2_ABaOnudExemple0001"}
    wait_until(lambda: len(world.sandbox.customers()) == 1, 20, "the worker to create the customer")
    assert world.sandbox.customers()[0]["email"] == "marie-helene.darnoux@exemple.fr"
    wait_until(lambda: "created" in world.worker.statuses(), 5, "the worker's outcome line")  # type: ignore[union-attr]


def test_publish_failure_is_503_never_2xx(world: QueueWorld) -> None:
    world.start_receiver(topic="no-such-topic")
    response = world.post(example("01-new-customer"))
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert response.json()["status"] == "retry-later"
    assert world.sandbox.customers() == []


def person(n: int, *, response: str | None = None, email: str | None = None) -> dict[str, Any]:
    """A distinct respondent, French data, with a unique response id."""
    return example(
        "01-new-customer",
        responseId=response or f"2_ABaOnudPersonne{n:04d}",
        answers={
            "Nom": f"Lefèvre-{n}",
            "Adresse e-mail": email or f"client.{n}@exemple.fr",
            "Téléphone portable": f"06 12 {n // 100:02d} {n % 100:02d} 00",
        },
    )


def test_ogust_down_for_the_first_deliveries_then_back_loses_nothing(world: QueueWorld) -> None:
    # Every Ogust call fails for a while: the client's own retries (3 per call) are exhausted on
    # the first deliveries, the worker answers 503, Pub/Sub redelivers after its backoff.
    world.sandbox.inject_status(503, count=12)
    world.start_worker()
    world.start_receiver()
    people = [person(n) for n in range(3)]
    edited = person(0, response="2_ABaOnudPersonne0000")  # the same response sent twice by the sender
    for payload in [*people, edited]:
        assert world.post(payload).status_code == 202
    wait_until(lambda: len(world.sandbox.customers()) == 3, 60, "all three customers after Ogust came back")
    assert sorted(c["email"] for c in world.sandbox.customers()) == [
        f"client.{n}@exemple.fr" for n in range(3)
    ]
    statuses = world.worker.statuses()  # type: ignore[union-attr]
    assert "failed" in statuses, "Ogust was down: at least one delivery must have been nacked"
    assert "dead-lettered" not in statuses
    assert world.pull_dead_letters() == []


def test_duplicates_replays_and_simultaneous_pairs_make_one_customer_per_person(world: QueueWorld) -> None:
    world.start_worker()
    world.start_receiver()
    distinct = [person(n) for n in range(150)]
    pairs = [  # 20 other responses with the e-mail of an existing person, sent at the same moment
        (distinct[n], person(1000 + n, email=f"CLIENT.{n}@Exemple.fr ")) for n in range(20)
    ]
    resent = [distinct[n] for n in range(20, 50)]  # 30 duplicates: the sender retried, or a replay
    batches: list[list[dict[str, Any]]] = [[a, b] for a, b in pairs]
    batches += [[p] for p in distinct[20:]] + [[p] for p in resent]
    assert sum(len(b) for b in batches) == 200

    def send(batch: list[dict[str, Any]]) -> list[int]:
        with ThreadPoolExecutor(len(batch)) as pool:
            return [r.status_code for r in pool.map(world.post, batch)]

    with ThreadPoolExecutor(8) as pool:
        codes = [c for batch in pool.map(send, batches) for c in batch]
    assert codes == [202] * 200

    def settled() -> bool:
        done = {e.get("messageId") for e in world.worker.entries() if e.get("status") in ACKED}  # type: ignore[union-attr]
        return len(done) >= 200

    wait_until(settled, 120, "the worker to acknowledge all 200 messages", interval=0.5)
    emails = [c["email"] for c in world.sandbox.customers()]
    assert len(emails) == 150
    assert len(set(emails)) == 150
    entries = [e for e in world.worker.entries() if e.get("status")]  # type: ignore[union-attr]
    statuses = [str(e["status"]) for e in entries]
    duplicates = [e for e in entries if e.get("reason") == "this version was already applied"]
    assert statuses.count("created") == 150
    assert len(duplicates) >= 30, "resent responses are duplicates the ledger recognises"
    assert statuses.count("updated") + statuses.count("unchanged") - len(duplicates) == 20, (
        "the second of each pair"
    )


def test_mapping_refusal_is_dead_lettered_at_once_then_replayed_after_the_fix(
    world: QueueWorld, tmp_path: Path
) -> None:
    strict = tmp_path / "strict.yaml"
    strict.write_text(
        SATISFACTION.read_text(encoding="utf-8").replace(
            "        steps: [phone]\n", "        steps: [phone]\n        required: true\n"
        ),
        encoding="utf-8",
    )
    worker = world.start_worker(mapping=strict)
    world.start_receiver()  # the receiver's mapping accepts it: only the worker's refuses it
    no_phone = example("01-new-customer", answers={"Téléphone portable": ""})
    assert world.post(no_phone).status_code == 202

    (letter,) = world.wait_for_dead_letters(20, "the refused submission on the dead-letter subscription")
    assert letter.attributes["responseId"] == "2_ABaOnudExemple0001"
    assert letter.attributes["errorType"] == "SubmissionRejected"
    assert letter.attributes["field"] == "mobile_phone"
    assert "required" in letter.attributes["reason"]
    assert json.loads(letter.data)["responseId"] == "2_ABaOnudExemple0001"
    deliveries = [e for e in worker.entries() if e.get("responseId") == "2_ABaOnudExemple0001"]
    assert [e["status"] for e in deliveries] == ["dead-lettered"], "one attempt, no retry"
    assert world.sandbox.customers() == []

    runner = CliRunner()
    env = {
        "DEAD_LETTER_SUBSCRIPTION": world.DEAD_LETTER_SUB,
        "SUBMISSIONS_TOPIC": world.SUBMISSIONS,
        "MAPPING_FILE": str(SATISFACTION),
    }
    listed = runner.invoke(main, ["dead-letters", "list", "--json", "--wait", "1"], env=env)
    assert listed.exit_code == 0, listed.output
    (row,) = json.loads(listed.output)
    assert (row["responseId"], row["field"]) == ("2_ABaOnudExemple0001", "mobile_phone")
    french = runner.invoke(main, ["dead-letters", "list", "--lang", "fr", "--wait", "1"], env=env)
    assert french.exit_code == 0, french.output
    assert "La question « Téléphone portable » n'a pas de réponse utilisable." in french.output
    assert "1 réponse(s) refusée(s) en attente" in french.output

    worker.stop()  # the fix: the worker is redeployed with the corrected mapping
    world.start_worker(mapping=SATISFACTION)
    dry = runner.invoke(main, ["dead-letters", "replay", "--all", "--dry-run", "--wait", "1"], env=env)
    assert dry.exit_code == 0, dry.output
    assert "would replay" in dry.output
    replayed = runner.invoke(
        main, ["dead-letters", "replay", "--id", "2_ABaOnudExemple0001", "--wait", "1"], env=env
    )
    assert replayed.exit_code == 0, replayed.output
    wait_until(lambda: len(world.sandbox.customers()) == 1, 20, "the replayed submission in Ogust")
    assert world.pull_dead_letters() == []


def test_an_edit_is_applied_and_an_older_version_arriving_late_is_not(world: QueueWorld) -> None:
    world.start_worker()
    world.start_receiver()
    first = example("01-new-customer", submittedAt="2026-11-28T09:15:00.000Z", answers={"Ville": "Arcueil"})
    edit = example("01-new-customer", submittedAt="2026-11-28T10:00:00.000Z", answers={"Ville": "Cachan"})
    assert world.post(first).status_code == 202
    wait_until(lambda: len(world.sandbox.customers()) == 1, 20, "the first version to be applied")
    assert world.post(edit).status_code == 202

    def city() -> str:
        return str(world.sandbox.customers()[0]["main_address"]["city"])

    wait_until(lambda: city() == "CACHAN", 20, "the edit to be applied")
    assert world.post(first).status_code == 202  # the sender resends the old version late
    wait_until(
        lambda: any("newer edit" in str(e.get("reason")) for e in world.worker.entries()),  # type: ignore[union-attr]
        20,
        "the worker to refuse the older version",
    )
    assert city() == "CACHAN"
    assert len(world.sandbox.customers()) == 1


def test_a_dead_letter_reason_never_shows_the_persons_email_or_phone(world: QueueWorld) -> None:
    # Ogust's own refusal may quote the data it refused: it is masked wherever it is kept.
    world.sandbox.inject_ko(
        "Client refusé : marie-helene.darnoux＠exemple.fr, tél. 06\u00a012\u00a034\u00a056\u00a078",
        method="setCustomer",
    )
    worker = world.start_worker()
    world.start_receiver()
    assert world.post(example("01-new-customer")).status_code == 202
    (letter,) = world.wait_for_dead_letters(20, "the refused submission on the dead-letter subscription")
    kept = " ".join(f"{k}={v}" for k, v in letter.attributes.items())
    assert "Client refusé" in letter.attributes["reason"]
    for secret_part in ("darnoux", "12\u00a034", "34 56"):
        assert secret_part not in kept
    env = {"DEAD_LETTER_SUBSCRIPTION": world.DEAD_LETTER_SUB, "MAPPING_FILE": str(SATISFACTION)}
    listed = CliRunner().invoke(main, ["dead-letters", "list", "--json", "--wait", "1"], env=env)
    assert listed.exit_code == 0, listed.output
    assert "darnoux" not in listed.output
    assert all("darnoux" not in json.dumps(e, ensure_ascii=False) for e in worker.entries())
