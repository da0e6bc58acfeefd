"""One run of the reconciler in process, on stand-ins for the Forms API and Pub/Sub: what it does
with a response it cannot read."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shared.delivery import Reconciler, unreadable_attempt
from shared.delivery.watermarks import MemoryWatermarks
from shared.errors import PayloadError
from shared.exactly_once import ledger_key
from shared.exactly_once._ledger import MemoryLedger
from shared.lifecycle import AttemptOutcome
from shared.mapping import FormDescription, FormItem, load_mapping
from tests.support.forms_fixtures import satisfaction_mapping

FORM_ID = "1SatisfactionExempleOgust2026"
FORM = FormDescription(
    FORM_ID, "Questionnaire de satisfaction", (FormItem(1004, "Adresse e-mail", "TEXT", question_id="e0"),)
)


class Forms:
    """One page of responses, as `responses.list` gives them."""

    server_time = None

    def __init__(self, page: list[dict[str, Any]]) -> None:
        self.page = page

    def get_form(self, form_id: str) -> FormDescription:
        return FORM

    def response_pages(self, form_id: str, **_: Any) -> list[list[dict[str, Any]]]:
        return [self.page]


class Published:
    def __init__(self) -> None:
        self.messages: list[dict[str, str]] = []

    def publish(self, topic: str, data: bytes, attributes: dict[str, str], *, ordering_key: str = "") -> str:
        self.messages.append(attributes)
        return str(len(self.messages))


def answer(response_id: str, at: str | None, email: str) -> dict[str, Any]:
    found: dict[str, Any] = {
        "responseId": response_id,
        "answers": {"e0": {"textAnswers": {"answers": [{"value": email}]}}},
    }
    if at is not None:
        found["lastSubmittedTime"] = at
    return found


def test_an_unreadable_response_is_parked_once_with_its_reason_and_does_not_hold_back_the_form(
    tmp_path: Path,
) -> None:
    page = [
        answer("2_Illisible", None, "sans.date@exemple.fr"),  # no time at all: no schema v1 submission
        answer("2_Lisible", "2026-11-28T09:15:00.123456Z", "zoe.lefevre@exemple.fr"),
    ]
    published = Published()
    watermarks = MemoryWatermarks()
    ledger = MemoryLedger()
    reconciler = Reconciler(
        mapping=load_mapping(satisfaction_mapping(tmp_path)),
        forms=Forms(page),  # type: ignore[arg-type]
        ledger=ledger,
        watermarks=watermarks,
        publisher=published,
        topic="projects/p/topics/t",
    )
    (run,) = reconciler.run(keep_watches=False)
    assert [m["responseId"] for m in published.messages] == ["2_Lisible"]
    assert (run.listed, run.queued) == (2, 1)
    mark = watermarks.get(FORM_ID)
    assert mark is not None
    assert mark.at == datetime(2026, 11, 28, 9, 15, 0, 123000, tzinfo=UTC)
    assert run.ok, run.errors  # parked, not a failure: nothing is left to retry
    (parked,) = run.parked
    assert parked.startswith("2_Illisible: ")
    assert run.summary()["parked"] == [parked]
    entry = ledger.get(ledger_key(FORM_ID, "2_Illisible"))
    assert entry is not None
    assert (entry.status, entry.attempts, entry.source) == (AttemptOutcome.UNREADABLE, 1, "reconcile")
    assert entry.last_error is not None
    assert entry.last_error.startswith("PayloadError: the Forms API response is not readable")
    assert unreadable_attempt(entry, None) is not None

    (again,) = reconciler.run(keep_watches=False)  # the overlap reads it again: parked already
    assert (again.parked, again.errors) == ([], [])
    assert ledger.get(ledger_key(FORM_ID, "2_Illisible")).attempts == 1  # type: ignore[union-attr]


def test_an_unreadable_response_without_an_id_cannot_be_parked_and_fails_the_run_naming_it(
    tmp_path: Path,
) -> None:
    nameless = answer("", None, "sans.id@exemple.fr")
    reconciler = Reconciler(
        mapping=load_mapping(satisfaction_mapping(tmp_path)),
        forms=Forms([nameless, answer("2_Lisible", "2026-11-28T09:15:00Z", "zoe@exemple.fr")]),  # type: ignore[arg-type]
        ledger=MemoryLedger(),
        watermarks=MemoryWatermarks(),
        publisher=Published(),
        topic="projects/p/topics/t",
    )
    (run,) = reconciler.run(keep_watches=False)
    assert run.queued == 1
    (error,) = run.errors  # loud: the run fails
    assert isinstance(error, PayloadError)
    assert "unreadable responses: ?: " in str(error)
