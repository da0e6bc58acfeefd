"""Dead letters on the emulators: one per response and version, whoever queued it how often; `list`
and `replay` fold copies; a replay is recorded as source `replay`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import main
from shared.delivery import PubSubPublisher
from shared.delivery._messages import dead_letter_attributes, submission_attributes
from shared.errors import SubmissionRejected
from shared.exactly_once import ledger_key
from shared.exactly_once._ledger import FirestoreLedger
from shared.mapping import hashed_key
from shared.webhook import Submission
from tests.support.function import example
from tests.support.functions import wait_until
from tests.support.queue_world import SATISFACTION, QueueWorld

pytestmark = pytest.mark.slow

REQUIRED_PHONE = ("        steps: [phone]\n", "        steps: [phone]\n        required: true\n")


def strict(tmp: Path) -> Path:
    path = tmp / "strict.yaml"
    path.write_text(SATISFACTION.read_text(encoding="utf-8").replace(*REQUIRED_PHONE), encoding="utf-8")
    return path


def queue_as_the_reconciler(world: QueueWorld, submission: Submission) -> None:
    """What a reconciler run does with an answer the mapping refuses: queue it for the worker to park."""
    key = hashed_key("response", submission.form_id, submission.response_id)
    attributes = submission_attributes(submission, origin="reconcile", orderingKey=key)
    PubSubPublisher().publish(
        world.path("topics", world.SUBMISSIONS), submission.to_json(), attributes, ordering_key=key
    )


def test_a_refused_answer_queued_by_two_reconciler_runs_is_parked_once_and_replayed_once(
    world: QueueWorld, tmp_path: Path
) -> None:
    worker = world.start_worker(mapping=strict(tmp_path))
    no_phone = Submission.model_validate(
        example("01-new-customer", responseId="2_ABaOnudDoublon01", answers={"Téléphone portable": ""})
    )
    queue_as_the_reconciler(world, no_phone)  # the watch notification's run
    queue_as_the_reconciler(world, no_phone)  # the scheduled run, before the worker parked it
    wait_until(lambda: {"dead-lettered", "duplicate"} <= set(worker.statuses()), 30, "both copies handled")
    assert worker.statuses().count("dead-lettered") == 1
    (letter,) = world.wait_for_dead_letters(10, "the one dead letter")
    assert letter.attributes["responseId"] == "2_ABaOnudDoublon01"

    # A copy parked before the worker kept its note (an older letter, a crash between publish and
    # note): list and replay fold it.
    refusal = SubmissionRejected("mobile_phone is required", field="mobile_phone")
    PubSubPublisher().publish(
        world.path("topics", world.DEAD_LETTERS),
        no_phone.to_json(),
        dead_letter_attributes(no_phone, refusal),
    )
    runner = CliRunner()
    env = {
        "DEAD_LETTER_SUBSCRIPTION": world.DEAD_LETTER_SUB,
        "SUBMISSIONS_TOPIC": world.SUBMISSIONS,
        "MAPPING_FILE": str(SATISFACTION),
    }
    wait_until(lambda: len(world.pull_dead_letters()) == 2, 10, "the copy on the dead-letter subscription")
    listed = runner.invoke(main, ["dead-letters", "list", "--json", "--wait", "1"], env=env)
    assert listed.exit_code == 0, listed.output
    (row,) = json.loads(listed.output)
    assert (row["responseId"], row["copies"]) == ("2_ABaOnudDoublon01", 2)

    worker.stop()  # the fix: the worker is redeployed with the corrected mapping
    fixed = world.start_worker(mapping=SATISFACTION)
    replayed = runner.invoke(main, ["dead-letters", "replay", "--all", "--json", "--wait", "1"], env=env)
    assert replayed.exit_code == 0, replayed.output
    (done,) = json.loads(replayed.output)["replayed"]
    assert (done["replay"], done["copies"]) == ("replayed", 2)
    wait_until(lambda: len(world.sandbox.customers()) == 1, 20, "the replayed answer in Ogust")
    assert world.pull_dead_letters() == [], "both copies removed"
    wait_until(lambda: "created" in fixed.statuses(), 10, "the worker's line for the replay")
    assert fixed.statuses().count("created") == 1, "sent again once"  # (one log file for both workers)
    entry = FirestoreLedger(world.project).get(ledger_key(no_phone.form_id, no_phone.response_id))
    assert entry is not None
    assert [(a.source, a.outcome) for a in entry.history] == [
        ("reconcile", "rejected"),
        ("reconcile", "parked"),
        ("reconcile", "rejected"),
        ("replay", "created"),
    ]
