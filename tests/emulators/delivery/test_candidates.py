"""Candidates (`entity: employee`) under the delivery's guard: their own person keys, and the
leases and ledger shared in the Firestore emulator by two instances, on the Ogust sandbox."""

from __future__ import annotations

import json
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from ogust_sandbox import Sandbox
from shared.errors import DeliveryUnavailableError
from shared.exactly_once import apply_once, guard_for
from shared.exactly_once._leases import lease_keys
from shared.exactly_once._ledger import person_keys
from shared.mapping import load_mapping, plan
from shared.ogust import OgustClient
from shared.ogust._keys import StaticKeys
from shared.webhook import Submission
from tests.support.emulators import Emulator
from tests.support.function import example
from tests.support.functions import wait_until
from tests.support.job_applications import MAPPING, MAPPING_PATH, SUBMISSIONS, application
from tests.support.queue_world import QueueWorld

ROOT = Path(__file__).resolve().parents[3]
QUOTE = load_mapping(ROOT / "examples" / "quote-request.yaml")
JOBS = MAPPING_PATH
EMAIL = "marie-ange.ndiaye@exemple.fr"


@pytest.fixture
def firestore_project(firestore_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> str:
    """A project of its own in the Firestore emulator: no document of another test is seen."""
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", firestore_emulator.host)
    return f"demo-{uuid.uuid4().hex[:12]}"


def test_a_candidate_and_a_customer_with_the_same_email_have_different_person_keys() -> None:
    candidate = plan(MAPPING.forms[0], application("01-new-candidate"))
    quote = example("quote-request/01-new-prospect", answers={"E-mail": EMAIL})
    customer = plan(QUOTE.forms[0], Submission.model_validate(quote))
    assert dict(candidate.lookup)[candidate.form.lookup_targets[0]] == EMAIL
    assert set(person_keys(candidate)).isdisjoint(person_keys(customer))
    assert set(lease_keys(candidate, "f")).isdisjoint(lease_keys(customer, "f"))


def test_ten_same_person_pairs_on_two_instances_sharing_firestore_make_ten_candidates(
    sandbox: Sandbox, firestore_project: str
) -> None:
    sandbox.inject_latency(20)
    instances = [guard_for((firestore_project, "(default)")) for _ in range(2)]
    start = threading.Barrier(20)

    def deliver(call: tuple[int, int]) -> str:
        n, copy = call
        sub = application(
            "01-new-candidate",
            responseId=f"2_CandFs{n:02d}{copy}",
            submittedAt=f"2026-11-29T09:{n:02d}:{copy:02d}.000Z",
            answers={"E-mail": f"candidate.{n}@exemple.fr", "Téléphone portable": f"07 45 12 78 {n:02d}"},
        )
        start.wait(timeout=30)
        with OgustClient(sandbox.url, StaticKeys(*sandbox.keys), timeout=5.0, sleep=lambda _: None) as ogust:
            for _ in range(5):  # a lease held too long is a retryable refusal: the sender retries
                try:
                    return apply_once(sub, MAPPING, ogust, instances[copy]).status
                except DeliveryUnavailableError:
                    continue
        raise AssertionError("never delivered")

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(deliver, [(n, copy) for n in range(10) for copy in (0, 1)]))
    sandbox.inject_latency(0)
    assert statuses.count("created") == 10
    workers = sandbox.employees()
    assert len(workers) == 10
    assert {w["nature"] for w in workers} == {"C"}
    assert sandbox.customers() == []


@pytest.mark.slow
def test_queued_applications_make_one_candidate_created_then_updated(world: QueueWorld) -> None:
    world.start_worker(JOBS)
    world.start_receiver(JOBS)
    first = json.loads((SUBMISSIONS / "01-new-candidate.json").read_text(encoding="utf-8"))
    assert world.post(first).status_code == 202
    wait_until(lambda: len(world.sandbox.employees()) == 1, 20, "the worker to create the candidate")
    second = json.loads((SUBMISSIONS / "02-same-candidate-again.json").read_text(encoding="utf-8"))
    assert world.post(second).status_code == 202
    wait_until(
        lambda: "Véhiculé(e) : Oui" in world.sandbox.employees()[0]["comment"], 20, "the candidate's update"
    )
    (candidate,) = world.sandbox.employees()
    assert candidate["nature"] == "C"
    assert world.sandbox.customers() == []
    assert [w["method"] for w in world.sandbox.writes()] == ["setEmployee", "setEmployee"]
