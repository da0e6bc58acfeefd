"""Writes still in flight at Ogust: a create Ogust lands after the client gave up, a lease that
would expire during a slow create, a delivery whose lease was taken over — each counted in the
Ogust sandbox, in sync mode (the receiver as its own process) and in queue mode (two worker
instances sharing the Firestore emulator)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from ogust_sandbox import Sandbox
from scripts.processes import free_port
from shared.errors import DeliveryUnavailableError, OgustUnavailableError
from shared.exactly_once import Guard, apply_once
from shared.exactly_once._doubts import DoubtKind, FirestoreDoubts, MemoryDoubts
from shared.exactly_once._leases import FirestoreLeases, MemoryLeases
from shared.exactly_once._ledger import FirestoreLedger, MemoryLedger
from shared.mapping import load_mapping
from shared.ogust import OgustClient
from shared.ogust._keys import StaticKeys
from shared.webhook import Submission
from tests.support.function import SETTINGS_TO_CLEAR, example, sync_env
from tests.support.functions import FunctionProcess, wait_until
from tests.support.queue_world import SATISFACTION, QueueWorld, push_body
from tests.support.receivers import send

pytestmark = pytest.mark.slow

# Ogust holds each create (`inject_held`) until the test releases it, after the function gave up
# (2 s) and the next deliveries were turned away: the create lands late whatever the machine's load.


def person(n: int, response: str, submitted_at: str, **answers: str) -> dict[str, Any]:
    """One answer of person `n` (an e-mail of their own), the satisfaction form's example otherwise."""
    return example(
        "01-new-customer",
        responseId=f"2_EnVol{n:02d}{response}",
        submittedAt=submitted_at,
        answers={"Adresse e-mail": f"marie-helene.{n:02d}@exemple.fr", **answers},
    )


def first_answer(n: int) -> dict[str, Any]:
    return person(n, "a", "2026-11-28T09:15:00.000Z")


def next_answer(n: int) -> dict[str, Any]:
    return person(n, "b", "2026-11-30T17:42:10.000Z", Adresse="3 avenue Jean-Jaurès")


def deliver_in_order(deliver: Callable[[dict[str, Any]], int], payloads: list[dict[str, Any]]) -> None:
    """Send each payload again (as the sender or Pub/Sub would) until it is accepted, in order."""
    done: list[dict[str, Any]] = []

    def round_trip() -> bool:
        for payload in payloads:
            if payload in done:
                continue
            if deliver(payload) >= 500:
                return False
            done.append(payload)
        return True

    wait_until(round_trip, 60, "every delivery accepted once the write in doubt is settled", interval=0.5)


def customers_of(sandbox: Sandbox, n: int) -> list[dict[str, Any]]:
    return [c for c in sandbox.customers() if c["email"] == f"marie-helene.{n:02d}@exemple.fr"]


# --- sync mode ---------------------------------------------------------------------------------


@pytest.fixture
def receiver(sandbox: Sandbox, tmp_path: Path) -> Iterator[FunctionProcess]:
    """The receiver in sync mode, giving up on Ogust after 2 s."""
    base = {k: v for k, v in os.environ.items() if k not in SETTINGS_TO_CLEAR}
    env = {**base, **sync_env(sandbox), "OGUST_TIMEOUT_SECONDS": "2"}
    process = FunctionProcess("receive_submission", env, tmp_path / "receiver.log").start()
    try:
        yield process
    finally:
        process.stop()


def test_sync_a_create_landing_after_the_timeout_then_the_resend_and_the_next_answer_make_one_customer(
    receiver: FunctionProcess, sandbox: Sandbox
) -> None:
    sandbox.inject_held(method="setCustomer")
    with httpx.Client(timeout=60) as http:
        first = send(http, receiver.url, first_answer(1))
        assert first.status_code == 503
        assert first.json()["maybeApplied"] is True
        # Ogust still holds the create: the resend and the person's next answer wait, write nothing.
        for payload in (first_answer(1), next_answer(1)):
            early = send(http, receiver.url, payload)
            assert early.status_code == 503
            assert "may still reach Ogust" in early.json()["error"]
        assert sandbox.calls()["setCustomer"] == 1
        sandbox.release_held()  # the create lands now
        deliver_in_order(lambda p: send(http, receiver.url, p).status_code, [first_answer(1), next_answer(1)])
    (customer,) = customers_of(sandbox, 1)
    assert customer["main_address"]["line"] == "3 avenue Jean-Jaurès"
    assert len(sandbox.customers()) == 1
    assert sandbox.calls()["setCustomer"] == 1, "the late create was the only one"


# --- queue mode: two worker instances ------------------------------------------------------------


def test_queue_creates_landing_after_the_timeout_redelivered_to_another_instance_make_one_customer_each(
    world: QueueWorld,
) -> None:
    instances = [world.start_worker(), world.start_worker(port=free_port())]
    world.sandbox.inject_held(count=3, method="setCustomer")
    headers = {"Content-Type": "application/json"}
    pushes = iter(range(1000, 2000))

    def push(instance: FunctionProcess, payload: dict[str, Any], http: httpx.Client) -> int:
        body = push_body(payload, str(next(pushes)))
        return http.post(instance.url, content=body, headers=headers).status_code

    with httpx.Client(timeout=60) as http:
        for n in range(3):
            # The first instance gives up after 2 s and nacks; Pub/Sub redelivers to the other one,
            # and the person's next answer arrives there too: both wait while Ogust holds the create.
            assert push(instances[0], first_answer(n), http) == 503
            assert push(instances[1], first_answer(n), http) == 503
            assert push(instances[1], next_answer(n), http) == 503
        assert world.sandbox.calls()["setCustomer"] == 3
        world.sandbox.release_held()  # the three creates land now
        for n in range(3):
            deliver_in_order(lambda p: push(instances[1], p, http), [first_answer(n), next_answer(n)])
    for n in range(3):
        (customer,) = customers_of(world.sandbox, n)
        assert customer["main_address"]["line"] == "3 avenue Jean-Jaurès"
    assert len(world.sandbox.customers()) == 3


def test_queue_through_pub_sub_creates_landing_late_and_the_next_answers_make_one_customer_each(
    world: QueueWorld,
) -> None:
    # The whole path: the receiver queues, the worker gives up after 2 s and nacks, Pub/Sub
    # redelivers (1 s backoff here) while Ogust still holds each create; the next answers queue behind.
    world.start_worker()
    world.start_receiver()
    # Ogust holds the creates until a redelivery has been turned away meanwhile, then lands them:
    # this world dead-letters after 5 deliveries 1 s apart (production: 10, from 10 s doubling to
    # 600 s), and every redelivery waiting for the create counts as one.
    world.sandbox.inject_held(count=3, method="setCustomer")
    for n in range(3):
        assert world.post(first_answer(n)).status_code == 202
    for n in range(3):
        assert world.post(next_answer(n)).status_code == 202
    assert world.worker is not None
    worker = world.worker
    turned_away = "may still reach Ogust"
    wait_until(
        lambda: any(turned_away in str(e.get("message")) for e in worker.entries()),
        60,
        "a redelivery turned away while Ogust holds a create",
    )
    world.sandbox.release_held()
    applied = {"created", "updated", "unchanged", "skipped"}
    wait_until(lambda: sum(s in applied for s in world.worker.statuses()) >= 6, 90, "six deliveries applied")
    for n in range(3):
        (customer,) = customers_of(world.sandbox, n)
        assert customer["main_address"]["line"] == "3 avenue Jean-Jaurès"
    assert len(world.sandbox.customers()) == 3
    assert "failed" in world.worker.statuses(), "the deliveries that gave up on Ogust were nacked"
    assert world.pull_dead_letters() == []


# --- leases: renewed while a delivery runs, fenced before each write -----------------------------


def submission(payload: dict[str, Any]) -> Submission:
    return Submission.model_validate(payload)


def instance(project: str, sandbox: Sandbox, **guard: Any) -> tuple[OgustClient, Guard]:
    """One worker instance's Ogust client and guard, on the shared Firestore of `project`."""
    client = OgustClient(sandbox.url, StaticKeys(*sandbox.keys), timeout=30)
    stores = Guard(
        FirestoreLedger(project),
        FirestoreLeases(project),
        doubts=FirestoreDoubts(project),
        **guard,
    )
    return client, stores


def test_a_lease_shorter_than_a_slow_create_is_renewed_so_the_next_answer_on_another_instance_waits(
    firestore_project: str, sandbox: Sandbox
) -> None:
    mapping = load_mapping(SATISFACTION)
    sandbox.inject_slow(3000, method="setCustomer", apply=False)  # a 3 s create under a 1 s lease
    first_client, first = instance(firestore_project, sandbox, lease_ttl=1.0)
    second_client, second = instance(firestore_project, sandbox, lease_ttl=1.0)
    outcomes: list[str] = []

    def slow_create() -> None:
        outcomes.append(apply_once(submission(first_answer(1)), mapping, first_client, first).status)

    creating = threading.Thread(target=slow_create)
    creating.start()
    wait_until(lambda: sandbox.calls()["setCustomer"] == 1, 10, "the slow create to reach Ogust")
    time.sleep(1.5)  # the first lease would have expired by now without its heartbeat
    outcomes.append(apply_once(submission(next_answer(1)), mapping, second_client, second).status)
    creating.join(timeout=30)
    assert outcomes == ["created", "updated"]
    assert len(sandbox.customers()) == 1


def test_a_delivery_whose_lease_was_taken_over_writes_nothing(
    firestore_project: str, sandbox: Sandbox
) -> None:
    mapping = load_mapping(SATISFACTION)
    # The first instance freezes (no heartbeat) in a 3 s search, longer than its 1 s lease.
    sandbox.inject_slow(3000, method="searchCustomer", apply=True)
    frozen_client, frozen = instance(firestore_project, sandbox, lease_ttl=1.0, heartbeat=False)
    other_client, other = instance(firestore_project, sandbox)
    failures: list[Exception] = []

    def frozen_delivery() -> None:
        try:
            apply_once(submission(first_answer(1)), mapping, frozen_client, frozen)
        except DeliveryUnavailableError as exc:
            failures.append(exc)

    stalled = threading.Thread(target=frozen_delivery)
    stalled.start()
    wait_until(lambda: sandbox.calls()["searchCustomer"] == 1, 10, "the frozen instance's search")
    time.sleep(1.3)  # its lease expires
    assert apply_once(submission(next_answer(1)), mapping, other_client, other).status == "created"
    stalled.join(timeout=30)
    assert [str(e) for e in failures] == [
        "this delivery's lease on the person was taken over by another delivery; "
        "nothing was written, it will be retried"
    ]
    assert [w["method"] for w in sandbox.writes()] == ["setCustomer"]
    (customer,) = sandbox.customers()
    assert customer["main_address"]["line"] == "3 avenue Jean-Jaurès"


def test_five_same_person_pairs_under_a_1_s_lease_with_ogust_taking_1_5_s_a_call_make_five_customers(
    firestore_project: str, sandbox: Sandbox
) -> None:
    # Every delivery outlasts its lease several times over: only the renewals keep the pairs apart.
    mapping = load_mapping(SATISFACTION)
    sandbox.inject_latency(1500)
    instances = [instance(firestore_project, sandbox, lease_ttl=1.0) for _ in range(2)]

    def until_applied(payload: dict[str, Any], on: int) -> str:
        client, guard = instances[on]
        while True:  # as Pub/Sub would redeliver a nacked message
            try:
                return apply_once(submission(payload), mapping, client, guard).status
            except DeliveryUnavailableError:
                time.sleep(0.5)

    pairs = [
        (payload, side) for n in range(5) for side, payload in enumerate((first_answer(n), next_answer(n)))
    ]
    statuses: list[str] = []
    threads = [
        threading.Thread(target=lambda p=p, side=side: statuses.append(until_applied(p, side)))
        for p, side in pairs
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(statuses) == 10
    assert statuses.count("created") == 5
    assert sorted(c["email"] for c in sandbox.customers()) == [
        f"marie-helene.{n:02d}@exemple.fr" for n in range(5)
    ]


class UnreachableDoubts(MemoryDoubts):
    """A doubt store whose writes fail, as Firestore may at the worst moment."""

    def record(
        self, keys: Sequence[str], kind: DoubtKind, method: str, at: datetime, origin: str = ""
    ) -> None:
        raise DeliveryUnavailableError("the writes in doubt (Firestore) are unavailable: ServiceUnavailable")


def test_a_write_in_doubt_that_cannot_be_recorded_keeps_the_persons_leases_until_they_expire(
    sandbox: Sandbox,
) -> None:
    mapping = load_mapping(SATISFACTION)
    sandbox.inject_slow(3000, method="setCustomer", apply=False)
    client = OgustClient(sandbox.url, StaticKeys(*sandbox.keys), timeout=1)
    leases = MemoryLeases()
    guard = Guard(MemoryLedger(), leases, lease_ttl=30, lease_wait=0, doubts=UnreachableDoubts())
    with pytest.raises(OgustUnavailableError):
        apply_once(submission(first_answer(1)), mapping, client, guard)
    # Nothing says the create may still land: the leases stay, so the next answer waits.
    with pytest.raises(DeliveryUnavailableError, match="another delivery for this person"):
        apply_once(submission(next_answer(1)), mapping, client, guard)
    assert sandbox.calls()["setCustomer"] == 1
