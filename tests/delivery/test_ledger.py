"""The ledger's verdicts and history, and the leases that keep one person to one delivery at a time."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from shared.delivery import (
    Attempt,
    LedgerEntry,
    MemoryLeases,
    MemoryLedger,
    Newest,
    PersonRecord,
    Version,
    answers_digest,
)
from shared.exactly_once._ledger import CUSTOMERS_PER_PERSON_KEY, with_newest
from shared.lifecycle import verdict
from shared.webhook import Submission

AT = datetime(2026, 11, 28, 9, tzinfo=UTC)


def submission(answers: list[dict[str, object]], at: datetime = AT) -> Submission:
    return Submission.model_validate(
        {
            "schemaVersion": 1,
            "formId": "f",
            "responseId": "r",
            "submittedAt": at.isoformat(),
            "answers": answers,
        }
    )


def applied(at: datetime, *digests: str) -> LedgerEntry:
    return LedgerEntry("f", "r", submitted_at=at, digests=digests, status="created")


def test_verdicts_follow_the_version() -> None:
    entry = applied(AT, "d1")
    assert verdict(None, Version(AT, "d1")) == "apply"
    assert verdict(entry, Version(AT, "d1")) == "duplicate"
    assert verdict(entry, Version(AT + timedelta(hours=1), "d1")) == "apply"
    assert verdict(entry, Version(AT - timedelta(hours=1), "d0")) == "stale"
    # The same time with other answers is another version: applied, not taken for a duplicate.
    assert verdict(entry, Version(AT, "d2")) == "apply"
    # A response only ever refused has no version in Ogust: anything applies.
    assert verdict(LedgerEntry("f", "r", status="rejected"), Version(AT, "d1")) == "apply"


def test_digest_ignores_checkbox_order_but_not_the_answers() -> None:
    a = submission([{"itemId": 1, "title": "Services", "type": "CHECKBOX", "value": ["Ménage", "Courses"]}])
    b = submission([{"itemId": 1, "title": "Services", "type": "CHECKBOX", "value": ["Courses", "Ménage"]}])
    c = submission([{"itemId": 1, "title": "Services", "type": "CHECKBOX", "value": ["Ménage"]}])
    assert answers_digest(a) == answers_digest(b) != answers_digest(c)


def test_ledger_keeps_every_attempt_and_never_moves_the_version_back() -> None:
    ledger = MemoryLedger()
    later = AT + timedelta(hours=1)
    ledger.record("k", "f", "r", Attempt(AT, "script", "failed", AT, error="OgustUnavailableError: …"))
    ledger.record("k", "f", "r", Attempt(AT, "script", "updated", later, "344563872"), Version(later, "d2"))
    entry = ledger.record(
        "k", "f", "r", Attempt(AT, "reconcile", "created", AT, "344563872"), Version(AT, "d1")
    )
    assert (entry.submitted_at, entry.digests, entry.attempts) == (later, ("d2",), 3)
    assert [a.outcome for a in entry.history] == ["failed", "updated", "created"]
    assert (entry.source, entry.last_error, entry.customer_id) == ("script", None, "344563872")
    assert [e.response_id for e in ledger.entries("f")] == ["r"]
    assert not list(ledger.entries("autre"))


def test_two_payloads_of_one_time_are_both_known_once_applied() -> None:
    ledger = MemoryLedger()
    ledger.record("k", "f", "r", Attempt(AT, "script", "created", AT), Version(AT, "d1"))
    entry = ledger.record("k", "f", "r", Attempt(AT, "script", "updated", AT), Version(AT, "d2"))
    assert entry.digests == ("d1", "d2")
    assert verdict(entry, Version(AT, "d1")) == verdict(entry, Version(AT, "d2")) == "duplicate"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_leases_are_all_or_nothing_and_expire() -> None:
    clock = Clock()
    leases = MemoryLeases(clock=clock)
    assert leases.acquire(["phone"], "a", ttl=60, wait=0)
    assert not leases.acquire(["email-b", "phone"], "b", ttl=60, wait=0)
    assert leases.acquire(["email-b"], "c", ttl=60, wait=0), "b took nothing when it could not take all"
    clock.now = 61
    assert leases.acquire(["phone"], "b", ttl=60, wait=0), "a crashed holder's lease expires"
    leases.release(["phone"], "a")  # a late release by the old holder leaves b's lease alone
    assert not leases.acquire(["phone"], "d", ttl=60, wait=0)


def test_a_waiter_gets_the_lease_as_soon_as_it_is_released() -> None:
    leases = MemoryLeases()
    assert leases.acquire(["person"], "first", ttl=60, wait=0)
    got: list[bool] = []
    waiter = threading.Thread(
        target=lambda: got.append(leases.acquire(["person"], "second", ttl=60, wait=30))
    )
    waiter.start()
    leases.release(["person"], "first")
    waiter.join(timeout=30)
    assert got == [True]


@given(st.lists(st.tuples(st.sampled_from(["344563872", "344563873", "344563874"]), st.integers(0, 10_000))))
def test_person_records_hold_the_newest_answer_of_each_customer_whatever_the_order(
    applied: list[tuple[str, int]],
) -> None:
    record: PersonRecord | None = None
    for customer_id, minutes in applied:
        changed = with_newest(
            record, customer_id, Newest(AT + timedelta(minutes=minutes), "f", f"r{minutes}")
        )
        record = changed if changed is not None else record
    newest: dict[str, int] = {}
    for customer_id, minutes in applied:
        newest[customer_id] = max(minutes, newest.get(customer_id, minutes))
    assert {c: n.submitted_at for c, n in (record or {}).items()} == {
        c: AT + timedelta(minutes=m) for c, m in newest.items()
    }


def test_a_shared_key_remembers_its_most_recent_customers_only() -> None:
    record: PersonRecord | None = None
    for n in range(CUSTOMERS_PER_PERSON_KEY + 5):
        record = with_newest(record, f"3445{n:05d}", Newest(AT + timedelta(days=n)))
    assert record is not None
    assert len(record) == CUSTOMERS_PER_PERSON_KEY
    assert "344500000" not in record  # the oldest went first
    assert f"3445{CUSTOMERS_PER_PERSON_KEY + 4:05d}" in record
