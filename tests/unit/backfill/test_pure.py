"""The backfill's pure parts: the rate limiter on a fake clock, the French sheet's timestamps and
the stable ids of CSV rows."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from shared.backfill.run import RateLimiter, run_backfill
from shared.backfill.sources import BadRow, parse_timestamp, read_csv_export
from shared.errors import DeliveryUnavailableError
from shared.mapping import load_mapping
from shared.webhook import Submission
from tests.support.function import example
from tests.support.queue_world import SATISFACTION

MAPPING = load_mapping(SATISFACTION)


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


def rows_of(*people: str) -> list[tuple[str, Submission]]:
    return [
        (
            f"line {n + 2}",
            Submission.model_validate(
                example("01-new-customer", responseId=f"2_Ligne{n}", answers={"Adresse e-mail": person})
            ),
        )
        for n, person in enumerate(people)
    ]


def test_a_row_whose_person_a_live_delivery_holds_waits_its_turn() -> None:
    busy = [DeliveryUnavailableError("another delivery for this person is in progress")] * 2
    slept: list[float] = []

    def sink(submission: Submission) -> tuple[str, str | None]:
        if busy:
            raise busy.pop()
        return "created", "344563872"

    report = run_backfill(rows_of("zoe.lefevre@exemple.fr"), MAPPING, sink, sleep=slept.append)
    assert (report.counts["created"], report.counts["failed"], slept) == (1, 0, [1.0, 3.0])


def test_once_a_row_used_up_its_waits_the_others_stop_waiting() -> None:
    slept: list[float] = []

    def sink(submission: Submission) -> tuple[str, str | None]:
        raise DeliveryUnavailableError("the leases (Firestore) are unavailable")

    people = ("zoe.lefevre@exemple.fr", "jean-pierre.ndiaye@exemple.fr", "marie@exemple.fr")
    report = run_backfill(rows_of(*people), MAPPING, sink, workers=1, sleep=slept.append)
    assert report.counts["failed"] == 3
    assert slept == [1.0, 3.0, 10.0]  # the first row's waits only
