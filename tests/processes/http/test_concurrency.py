"""One person at a time in sync mode: simultaneous submissions for the same person, or the same
submission twice at once, against an Ogust that takes 100 ms per call, make one customer each."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from ogust_sandbox import Sandbox
from tests.support.function import example
from tests.support.functions import FunctionProcess
from tests.support.receivers import send

PAIRS = 20


def person(i: int, response: str) -> dict[str, Any]:
    return example(
        "01-new-customer",
        responseId=f"2_Paire{i:02d}_{response}",
        answers={"Adresse e-mail": f"Personne.{i:02d}@Exemple.fr", "Nom": f"Dupont-{i:02d}"},
    )


def all_at_once(url: str, payloads: list[dict[str, Any]]) -> list[int]:
    """POST every payload at the same moment (a barrier releases them together)."""
    start = threading.Barrier(len(payloads))

    def post(payload: dict[str, Any]) -> int:
        with httpx.Client(timeout=60) as http:
            start.wait(timeout=30)
            return send(http, url, payload).status_code

    with ThreadPoolExecutor(max_workers=len(payloads)) as pool:
        return list(pool.map(post, payloads))


def customers_by_email(sandbox: Sandbox) -> Counter[str]:
    return Counter(str(c["email"]).lower() for c in sandbox.customers())


@pytest.fixture
def slow_ogust(sandbox: Sandbox) -> Sandbox:
    sandbox.inject_latency(100)
    return sandbox


def test_two_submissions_of_one_person_at_once_make_one_customer(
    receiver: FunctionProcess, slow_ogust: Sandbox
) -> None:
    payloads = [person(i, kind) for i in range(PAIRS) for kind in ("a", "b")]
    statuses = all_at_once(receiver.url, payloads)
    assert sorted(set(statuses)) in ([200, 201], [201, 200])
    assert Counter(statuses)[201] == PAIRS
    by_email = customers_by_email(slow_ogust)
    assert len(by_email) == PAIRS
    assert set(by_email.values()) == {1}, "no person was created twice"
    # And nothing is left ambiguous: the next answer of each person updates the one customer.
    with httpx.Client(timeout=60) as http:
        later = [
            send(http, receiver.url, {**person(i, "c"), "submittedAt": "2026-12-01T10:00:00Z"})
            for i in range(3)
        ]
    assert [r.status_code for r in later] == [200, 200, 200]


def test_the_same_submission_twice_at_once_is_written_once(
    fresh_receiver: FunctionProcess, slow_ogust: Sandbox
) -> None:
    payloads = [person(i, "seul") for i in range(PAIRS) for _ in range(2)]
    statuses = all_at_once(fresh_receiver.url, payloads)
    assert Counter(statuses) == {201: PAIRS, 200: PAIRS}
    assert len(slow_ogust.customers()) == PAIRS
    calls = slow_ogust.calls()
    # The copy waited for the first delivery, then found it in the ledger: no Ogust call of its own.
    assert (calls["searchCustomer"], calls["setCustomer"]) == (PAIRS, PAIRS)
    reasons = Counter(e.get("reason") for e in fresh_receiver.entries() if e.get("status") == "unchanged")
    assert reasons == {"this version was already applied": PAIRS}
