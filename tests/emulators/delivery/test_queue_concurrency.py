"""One person at a time in queue mode, across worker instances: Pub/Sub redelivering while the first
delivery still talks to Ogust, simultaneous pairs, and different people sharing a phone under a
two-key lookup — each makes exactly one customer (Firestore leases, Ogust answering in 100+ ms)."""

from __future__ import annotations

import json
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from scripts.processes import free_port
from tests.support.function import example
from tests.support.functions import wait_until
from tests.support.queue_world import ROOT, QueueWorld, push_body

pytestmark = pytest.mark.slow

QUOTE_REQUEST = ROOT / "examples" / "quote-request.yaml"
APPLIED = {"created", "updated", "unchanged"}


def at_once(calls: list[Any]) -> list[Any]:
    """Run the callables at the same moment (a barrier releases them together)."""
    start = threading.Barrier(len(calls))

    def run(call: Any) -> Any:
        start.wait(timeout=30)
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def test_a_redelivery_while_the_first_delivery_still_writes_calls_ogust_once(world: QueueWorld) -> None:
    # A second instance of the worker gets the message while the first is writing it to Ogust (the
    # ack deadline passed while the first was still waiting for a slow Ogust): the first works, the
    # second waits for its lease, then finds the version in the ledger. The redelivery is sent once
    # the first delivery is at Ogust's setCustomer, not at a barrier: a cold first instance slower
    # than the second's lease wait (10 s) under a loaded CPU made that race fail the test.
    first = world.start_worker()
    second = world.start_worker(port=free_port())
    world.sandbox.inject_latency(300)
    body = push_body(example("01-new-customer"), "1001")
    with httpx.Client(timeout=60) as http, ThreadPoolExecutor(max_workers=2) as pool:

        def deliver(url: str) -> int:
            return http.post(url, content=body, headers={"Content-Type": "application/json"}).status_code

        writing = pool.submit(deliver, first.url)
        wait_until(lambda: world.sandbox.calls()["setCustomer"] == 1, 60, "the first delivery's write")
        redelivered = pool.submit(deliver, second.url)
        statuses = [writing.result(timeout=60), redelivered.result(timeout=60)]
    assert statuses == [204, 204]
    calls = world.sandbox.calls()
    assert (calls["searchCustomer"], calls["setCustomer"]) == (1, 1)
    outcomes = Counter(
        e.get("reason") or e["status"] for w in (first, second) for e in w.entries() if "status" in e
    )
    assert outcomes == {"created": 1, "this version was already applied": 1}


def test_twenty_same_person_pairs_at_once_make_twenty_customers(world: QueueWorld) -> None:
    world.start_worker()
    world.start_receiver()
    world.sandbox.inject_latency(100)
    pairs = [
        example(
            "01-new-customer",
            responseId=f"2_PaireFile{i:02d}{side}",
            answers={"Adresse e-mail": f"personne.{i:02d}@exemple.fr", "Nom": f"Martin-{i:02d}{side}"},
        )
        for i in range(20)
        for side in "ab"
    ]
    answers = at_once([lambda p=p: world.post(p).status_code for p in pairs])
    assert answers == [202] * 40
    assert world.worker is not None
    wait_until(lambda: sum(s in APPLIED for s in world.worker.statuses()) >= 40, 90, "40 applied deliveries")
    by_email = Counter(str(c["email"]) for c in world.sandbox.customers())
    assert len(by_email) == 20
    assert set(by_email.values()) == {1}


def test_different_emails_sharing_a_phone_under_a_two_key_lookup_make_one_customer(world: QueueWorld) -> None:
    # lookup: [email, mobile_phone]: the ordering key is the e-mail, so Pub/Sub may deliver these two
    # to two instances at once; only the lease on the phone keeps them from both creating the person.
    instances = [world.start_worker(QUOTE_REQUEST), world.start_worker(QUOTE_REQUEST, port=free_port())]
    world.sandbox.inject_latency(150)
    base = json.loads((ROOT / "examples/submissions/quote-request/01-new-prospect.json").read_text())

    def quote(i: int, side: str) -> dict[str, Any]:
        answers = {"E-mail": f"{side}.famille{i}@exemple.fr", "Téléphone": f"06 98 76 54 {i:02d}"}
        payload = {**base, "responseId": f"2_DevisTel{i:02d}{side}"}
        payload["answers"] = [{**a, "value": answers.get(a["title"], a["value"])} for a in base["answers"]]
        return payload

    headers = {"Content-Type": "application/json"}
    deliveries = [
        (instances[n], push_body(quote(i, side), f"{i}{n}"))
        for i in range(8)
        for n, side in enumerate(("mere", "pere"))
    ]
    with httpx.Client(timeout=60) as http:
        statuses = at_once(
            [lambda w=w, b=b: http.post(w.url, content=b, headers=headers).status_code for w, b in deliveries]
        )
    assert statuses == [204] * 16
    by_phone = Counter(str(c["mobile_phone"]) for c in world.sandbox.customers())
    assert len(by_phone) == 8
    assert set(by_phone.values()) == {1}, "the second of each pair updated the first one's customer"
