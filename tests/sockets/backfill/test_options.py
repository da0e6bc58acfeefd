"""One backfill as the command asks for it: the options pick the sink (plan only, queue, simulate,
write under the guard), the rate-limited Ogust client and the state file; what a mode does not
need (Ogust, the queue, a state file) it never touches."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from ogust_sandbox import Sandbox
from shared.backfill import Backfill, BackfillOptions, Export
from shared.backfill.run import RateLimitedTransport
from shared.exactly_once._apply import guard_for
from shared.mapping import FormDescription, load_mapping
from shared.ogust import OgustClient
from shared.ogust._keys import StaticKeys
from shared.webhook import Submission
from tests.support.backfill import BAD_PHONE_LINE, export
from tests.support.forms_fixtures import FORM_ID, SATISFACTION_FORM, as_forms_api
from tests.support.function import example
from tests.support.queue_world import SATISFACTION

MAPPING = load_mapping(SATISFACTION)
TOPIC = "projects/demo-backfill/topics/form-submissions"


class RecordingPublisher:
    """A publisher that keeps what it was given, as Pub/Sub would have confirmed it."""

    def __init__(self) -> None:
        self.published: list[tuple[dict[str, Any], dict[str, str]]] = []

    def publish(self, topic: str, data: bytes, attributes: dict[str, str], *, ordering_key: str = "") -> str:
        assert topic == TOPIC
        self.published.append((json.loads(data), attributes))
        return str(len(self.published))


def never(*_: Any, **__: Any) -> Any:
    raise AssertionError("this mode must not open it")


def sandbox_connector(sandbox: Sandbox, transports: list[httpx.BaseTransport]) -> Any:
    def connect(*, transport: httpx.BaseTransport | None = None) -> OgustClient:
        assert transport is not None
        transports.append(transport)
        keys = StaticKeys(*sandbox.keys)
        return OgustClient(sandbox.url, keys, timeout=2.0, sleep=lambda _: None, transport=transport)

    return connect


def test_an_offline_run_neither_publishes_nor_simulates() -> None:
    for clash in ({"publish": True}, {"dry_run": True}):
        with pytest.raises(ValueError, match="offline"):
            BackfillOptions(offline=True, **clash)


def test_an_offline_run_plans_every_row_without_ogust_the_queue_or_a_state_file(tmp_path: Path) -> None:
    sheet = Export.read(export(tmp_path / "Réponses.csv", rows=BAD_PHONE_LINE - 1), FORM_ID)
    state = tmp_path / "Réponses.csv.backfill-state"
    options = BackfillOptions(offline=True, state=state)
    with Backfill(MAPPING, options, ogust=never, queue=never) as run:
        report = run.run(sheet.rows)
    assert (report.counts["planned"], report.counts["failed"]) == (BAD_PHONE_LINE - 2, 1)
    assert not state.exists()


def test_a_published_run_queues_every_row_and_keeps_its_state(tmp_path: Path) -> None:
    sheet = Export.read(export(tmp_path / "Réponses.csv", rows=6), FORM_ID)
    state = tmp_path / "Réponses.csv.backfill-state"
    publisher = RecordingPublisher()
    with Backfill(
        MAPPING, BackfillOptions(publish=True, state=state), ogust=never, queue=lambda: (publisher, TOPIC)
    ) as run:
        report = run.run(sheet.rows)
    assert report.summary()["queued"] == 6
    queued = sorted(m["responseId"] for m, _ in publisher.published)
    assert sorted(state.read_text(encoding="utf-8").split()) == queued
    assert len(set(queued)) == 6
    assert {a["origin"] for _, a in publisher.published} == {"backfill"}


def test_a_dry_run_of_a_published_run_plans_and_publishes_nothing(tmp_path: Path) -> None:
    sheet = Export.read(export(tmp_path / "Réponses.csv", rows=3), FORM_ID)
    state = tmp_path / "Réponses.csv.backfill-state"
    publisher = RecordingPublisher()
    options = BackfillOptions(publish=True, dry_run=True, state=state)
    with Backfill(MAPPING, options, ogust=never, queue=lambda: (publisher, TOPIC)) as run:
        report = run.run(sheet.rows)
    assert (report.summary()["queued"], publisher.published, state.exists()) == (3, [], False)


def test_a_dry_run_reads_ogust_through_the_rate_limiter_and_writes_nothing(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    sheet = Export.read(export(tmp_path / "Réponses.csv", rows=4), FORM_ID)
    state = tmp_path / "Réponses.csv.backfill-state"
    transports: list[httpx.BaseTransport] = []
    options = BackfillOptions(dry_run=True, rate=1000, state=state)
    with Backfill(MAPPING, options, ogust=sandbox_connector(sandbox, transports), queue=never) as run:
        report = run.run(sheet.rows)
    assert report.summary()["created"] == 4
    assert [type(t) for t in transports] == [RateLimitedTransport]
    assert (sandbox.writes(), sandbox.customers(), state.exists()) == ([], [], False)


def test_a_run_that_writes_to_ogust_needs_the_guard_before_ogust_is_opened(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="needs the guard"):
        Backfill(MAPPING, BackfillOptions(state=tmp_path / "state"), ogust=never, queue=never)


def test_a_run_under_the_guard_creates_once_and_its_rerun_skips_every_row_done(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    sheet = Export.read(export(tmp_path / "Réponses.csv", rows=5), FORM_ID)
    options = BackfillOptions(rate=1000, workers=2, state=tmp_path / "Réponses.csv.backfill-state")
    transports: list[httpx.BaseTransport] = []
    connect = sandbox_connector(sandbox, transports)
    with Backfill(MAPPING, options, guard=guard_for(None), ogust=connect) as run:
        first = run.run(sheet.rows)
    with Backfill(MAPPING, options, guard=guard_for(None), ogust=connect) as run:
        again = run.run(sheet.rows)
    assert (first.summary()["created"], again.summary()["skipped"]) == (5, 5)
    assert len(sandbox.customers()) == 5


def test_an_export_reads_a_json_file_as_the_forms_api_s_and_names_its_questions(tmp_path: Path) -> None:
    responses = [as_forms_api(example("01-new-customer"))]
    (tmp_path / "responses.json").write_text(json.dumps({"responses": responses}), encoding="utf-8")
    (tmp_path / "form.json").write_text(json.dumps(SATISFACTION_FORM), encoding="utf-8")
    form = FormDescription.read(tmp_path / "form.json")
    read = Export.read(tmp_path / "responses.json", FORM_ID, form=form)
    assert (read.kind, read.source, read.notes) == ("forms-api", "the responses of responses.json", [])
    ((_, submission),) = read.rows
    assert isinstance(submission, Submission)
    assert {a.title for a in submission.answers} <= set(read.titles)
    assert {i.title for i in form.items} <= set(read.titles)
    assert read.item_ids == sorted({a.item_id for a in submission.answers})


def test_an_export_of_an_unknown_format_is_refused(tmp_path: Path) -> None:
    sheet = export(tmp_path / "Réponses.csv", rows=1)
    assert Export.read(sheet, FORM_ID, kind="csv").source == "the columns of Réponses.csv"
    with pytest.raises(ValueError, match="unknown export format 'xlsx'"):
        Export.read(sheet, FORM_ID, kind="xlsx")
