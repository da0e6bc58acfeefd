"""The ledger's rules: verdicts, digests and the per-person records, pure. The stores' contract (the
ledger, the leases) is in `stores/`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from shared.exactly_once import LedgerEntry
from shared.exactly_once._ledger import (
    CUSTOMERS_PER_PERSON_KEY,
    Newest,
    PersonRecord,
    Version,
    answers_digest,
    with_newest,
)
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
