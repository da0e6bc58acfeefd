"""Pure parts of delivery: ordering keys, dead-letter attributes, the rate limiter, CSV timestamps."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from shared.backfill import BadRow, RateLimiter, parse_timestamp, read_csv_export
from shared.delivery import (
    dead_letter_attributes,
    ordering_key,
    parse_push,
)
from shared.errors import PayloadError, SubmissionRejected
from shared.mapping import load_mapping, plan
from shared.webhook import Submission
from tests.delivery.conftest import SATISFACTION
from tests.function.conftest import example

MAPPING = load_mapping(SATISFACTION)


def key_of(payload: dict[str, object]) -> str:
    submission = Submission.model_validate(payload)
    return ordering_key(plan(MAPPING.for_form(submission.form_id), submission))


def test_ordering_key_is_the_same_for_the_same_person_however_the_email_is_typed() -> None:
    a = key_of(example("01-new-customer", answers={"Adresse e-mail": "Marie@Exemple.fr"}))
    b = key_of(
        example("01-new-customer", responseId="autre", answers={"Adresse e-mail": " marie@exemple.fr"})
    )
    assert a == b
    assert len(a) == 32
    assert "marie" not in a


def test_ordering_key_differs_between_people() -> None:
    assert key_of(example("01-new-customer")) != key_of(example("03-another-person"))


class FakeTime:
    """A clock that only moves when someone sleeps; `late` makes every sleep overshoot."""

    def __init__(self, late: float = 0.0) -> None:
        self.now = 0.0
        self.late = late

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds + self.late


def test_rate_limiter_spaces_acquisitions() -> None:
    fake = FakeTime()
    limiter = RateLimiter(4, clock=fake.clock, sleep=fake.sleep)
    times = []
    for _ in range(5):
        limiter.acquire()
        times.append(fake.now)
    assert times == pytest.approx([0.0, 0.25, 0.5, 0.75, 1.02])


@pytest.mark.parametrize("late", [0.0, 0.07, 0.3])
def test_no_one_second_window_holds_more_than_the_rate_even_when_sleepers_wake_late(late: float) -> None:
    fake = FakeTime(late)
    limiter = RateLimiter(5, clock=fake.clock, sleep=fake.sleep)
    times = []
    for _ in range(40):
        limiter.acquire()
        times.append(fake.now)
    assert max(sum(1 for t in times if start <= t < start + 1.0) for start in times) <= 5


def test_french_sheet_timestamp_is_paris_time() -> None:
    assert parse_timestamp("28/11/2026 10:15:00").astimezone(UTC) == datetime(2026, 11, 28, 9, 15, tzinfo=UTC)
    assert parse_timestamp("2026-07-01T10:00:00").utcoffset() is not None
    with pytest.raises(ValueError, match="timestamp"):
        parse_timestamp("hier")


def test_csv_rows_get_stable_ids_and_title_only_answers(tmp_path: Path) -> None:
    sheet = tmp_path / "r.csv"
    sheet.write_text(
        "Horodateur,Nom,Adresse e-mail\n28/11/2026 10:15:00,Dupont,a@b.fr\n,,\n", encoding="utf-8"
    )
    first = list(read_csv_export(sheet, "form"))
    again = list(read_csv_export(sheet, "form"))
    assert len(first) == 1
    (where, submission) = first[0]
    assert not isinstance(submission, BadRow)
    assert where == "line 2"
    assert submission.response_id == again[0][1].response_id  # type: ignore[union-attr]
    assert [(a.item_id, a.title) for a in submission.answers] == [(-2, "Nom"), (-3, "Adresse e-mail")]


def test_dead_letter_attributes_name_the_field_and_stay_under_the_limit() -> None:
    submission = Submission.model_validate(example("01-new-customer"))
    exc = SubmissionRejected("x" * 5000, field="mobile_phone", question="'Téléphone portable'")
    attributes = dead_letter_attributes(submission, exc)
    assert attributes["field"] == "mobile_phone"
    assert attributes["errorType"] == "SubmissionRejected"
    assert len(attributes["reason"].encode()) <= 1024


def test_push_envelope_without_message_is_a_payload_error() -> None:
    with pytest.raises(PayloadError):
        parse_push(json.dumps({"subscription": "s"}).encode())
