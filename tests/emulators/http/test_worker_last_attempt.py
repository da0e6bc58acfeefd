"""The worker's last delivery attempt: when Ogust still fails on it (`deliveryAttempt` has reached
MAX_DELIVERY_ATTEMPTS), the worker parks the answer itself, with a reason for the office, instead of
nacking and leaving Pub/Sub to dead-letter it unannounced.

Real parts: the worker through functions-framework fed push envelopes as Pub/Sub sends them (the
emulator's pushes carry no `deliveryAttempt`, so the envelopes are built here and nothing is
redelivered), the Ogust sandbox failing, the Pub/Sub emulator for the dead-letter topic and the
replay, the fake Sheets API for the agency's tab."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from functions_framework import create_app

from ogust_sandbox import Sandbox
from shared.delivery import DeadLetter, DeadLetterBox, PubSubPublisher, enqueue, replay, topic_path
from shared.lifecycle import Origin
from shared.mapping import load_mapping
from shared.tracking import TAB_TITLE
from shared.tracking._tracker import REFUSED_EVENT
from shared.webhook import parse_submission
from sheets_sandbox import SheetsSandbox
from tests.support.emulators import Emulator
from tests.support.function import MAIN, ROOT, SETTINGS_TO_CLEAR, example

SPREADSHEET_ID = "1RéponsesQuestionnaireDeSatisfaction"
DEAD_LETTERS = "form-submissions-dead-letters"
DEAD_LETTER_SUB = "form-submissions-dead-letters-sub"
SUBMISSIONS = "form-submissions"
SUBMISSIONS_SUB = "form-submissions-pull"
STATE, MOTIF = 2, 4  # the tab's `État` and `Motif` columns
RESPONSE_ID = example("01-new-customer")["responseId"]

Push = Callable[..., Any]


@pytest.fixture
def project(pubsub_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> str:
    """A project of its own on the emulator: the dead-letter topic and the submissions topic, each
    with a pull subscription (no push subscription: nothing is redelivered by the emulator)."""
    from google.cloud import pubsub_v1

    monkeypatch.setenv("PUBSUB_EMULATOR_HOST", pubsub_emulator.host)
    name = f"demo-{uuid.uuid4().hex[:12]}"
    publisher, subscriber = pubsub_v1.PublisherClient(), pubsub_v1.SubscriberClient()
    for topic, subscription in ((DEAD_LETTERS, DEAD_LETTER_SUB), (SUBMISSIONS, SUBMISSIONS_SUB)):
        publisher.create_topic(name=f"projects/{name}/topics/{topic}")
        subscriber.create_subscription(
            request={
                "name": f"projects/{name}/subscriptions/{subscription}",
                "topic": f"projects/{name}/topics/{topic}",
                "ack_deadline_seconds": 30,
            }
        )
    return name


def tracked_mapping(tmp: Path) -> Path:
    """The example mapping, its form with the agency's tab in the response spreadsheet."""
    text = (ROOT / "examples" / "satisfaction.yaml").read_text(encoding="utf-8")
    line = "    form_id: 1SatisfactionExempleOgust2026\n"
    assert line in text
    extra = f"    reconcile: true\n    tracking_tab: true\n    spreadsheet_id: {SPREADSHEET_ID}\n"
    path = tmp / "satisfaction-suivi.yaml"
    path.write_text(text.replace(line, line + extra, 1), encoding="utf-8")
    return path


def start_worker(
    sandbox: Sandbox,
    sheets: SheetsSandbox,
    project: str,
    monkeypatch: pytest.MonkeyPatch,
    mapping: Path,
    **extra: str,
) -> FlaskClient:
    """The worker as Cloud Functions runs it: memory ledger, dead letters on the emulator."""
    sheets.reset()
    sheets.add_spreadsheet(SPREADSHEET_ID)
    for name in (*SETTINGS_TO_CLEAR, "WEBHOOK_SECRET", "MAX_DELIVERY_ATTEMPTS"):
        monkeypatch.delenv(name, raising=False)
    env = {
        **sandbox.settings,
        "MAPPING_FILE": str(mapping),
        "GOOGLE_CLOUD_PROJECT": project,
        "DEAD_LETTER_TOPIC": DEAD_LETTERS,
        "OGUST_TIMEOUT_SECONDS": "2",
        "SHEETS_API_ENDPOINT": sheets.url,
        **extra,
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return create_app("process_submission", str(MAIN)).test_client()


def pusher(worker: FlaskClient) -> Push:
    """POST one message wrapped as a push subscription with a dead-letter policy wraps it."""

    def push(
        data: bytes, attempt: int | None, attributes: dict[str, str] | None = None, message_id: str = "42"
    ) -> Any:
        message = {
            "data": base64.b64encode(data).decode(),
            "attributes": attributes or {},
            "messageId": message_id,
        }
        body: dict[str, Any] = {"message": message, "subscription": "projects/p/subscriptions/push"}
        if attempt is not None:
            body["deliveryAttempt"] = attempt
        return worker.post("/", json=body)

    return push


def answer() -> bytes:
    return json.dumps(example("01-new-customer")).encode()


def letters(project: str) -> list[DeadLetter]:
    """What the dead-letter subscription holds (leased, to be released or acked by the caller)."""
    return DeadLetterBox.of(project, DEAD_LETTER_SUB, pull_wait=1.0).pull_all()


def row(sheets: SheetsSandbox) -> list[Any]:
    rows = sheets.rows(SPREADSHEET_ID, TAB_TITLE)
    assert len(rows) == 2, rows  # the header and the answer's one row
    return rows[1]


def notices(out: str) -> list[str]:
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    return [line["responseId"] for line in lines if line.get("event") == REFUSED_EVENT]


@pytest.fixture
def tracked(tmp_path: Path) -> Path:
    return tracked_mapping(tmp_path)


def test_ogust_down_on_the_last_attempt_parks_the_answer_refused_with_its_reason_and_tells_the_agency(
    sandbox: Sandbox,
    sheets_server: SheetsSandbox,
    project: str,
    tracked: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    worker = start_worker(sandbox, sheets_server, project, monkeypatch, tracked, MAX_DELIVERY_ATTEMPTS="5")
    sandbox.inject_status(503, count=1000)
    response = pusher(worker)(answer(), attempt=5)
    assert response.status_code == 204  # acknowledged: parked by the worker, not by Pub/Sub
    assert sandbox.customers() == []
    (letter,) = letters(project)
    assert letter.response_id == RESPONSE_ID
    assert letter.attributes["errorType"] == "DeliveryAttemptsExhausted"
    assert letter.attributes["ogustAttempts"] == "5"
    assert "still failing after 5 delivery attempts" in letter.reason
    cells = row(sheets_server)
    assert cells[STATE] == "refusé"
    assert "Ogust n'a pas répondu après 5 essais." in cells[MOTIF]
    assert "Cochez « Renvoyer » une fois Ogust de nouveau disponible" in cells[MOTIF]
    assert "nouvel essai est prévu" not in cells[MOTIF]
    assert notices(capsys.readouterr().out) == [RESPONSE_ID]  # its one e-mail


def test_an_earlier_attempt_is_still_nacked_and_the_tab_says_a_retry_is_planned(
    sandbox: Sandbox,
    sheets_server: SheetsSandbox,
    project: str,
    tracked: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    worker = start_worker(sandbox, sheets_server, project, monkeypatch, tracked, MAX_DELIVERY_ATTEMPTS="5")
    sandbox.inject_status(503, count=1000)
    assert pusher(worker)(answer(), attempt=4).status_code == 503  # Pub/Sub delivers it again
    assert row(sheets_server)[STATE] == "nouvel essai prévu"
    assert letters(project) == []
    assert notices(capsys.readouterr().out) == []


@pytest.mark.parametrize(
    ("setting", "attempt"),
    [(None, 5), (None, 100), ("5", None)],
    ids=["no-setting", "no-setting-attempt-100", "push-without-the-count"],
)
def test_without_the_setting_or_the_count_every_retryable_failure_is_nacked_as_before(
    sandbox: Sandbox,
    sheets_server: SheetsSandbox,
    project: str,
    tracked: Path,
    monkeypatch: pytest.MonkeyPatch,
    setting: str | None,
    attempt: int | None,
) -> None:
    extra = {"MAX_DELIVERY_ATTEMPTS": setting} if setting else {}
    worker = start_worker(sandbox, sheets_server, project, monkeypatch, tracked, **extra)
    sandbox.inject_status(503, count=1000)
    assert pusher(worker)(answer(), attempt=attempt).status_code == 503
    assert row(sheets_server)[STATE] == "nouvel essai prévu"
    assert letters(project) == []


def test_a_last_attempt_that_cannot_be_parked_is_nacked_so_pub_sub_dead_letters_it(
    sandbox: Sandbox,
    sheets_server: SheetsSandbox,
    tracked: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from shared.delivery import _pubsub

    monkeypatch.setattr(_pubsub, "PUBLISH_TIMEOUT_SECONDS", 1.0)
    worker = start_worker(
        sandbox, sheets_server, "demo-nowhere", monkeypatch, tracked, MAX_DELIVERY_ATTEMPTS="5"
    )
    monkeypatch.setenv("PUBSUB_EMULATOR_HOST", "127.0.0.1:9")  # no Pub/Sub: the publish fails
    sandbox.inject_status(503, count=1000)
    assert pusher(worker)(answer(), attempt=5).status_code == 503
    # Pub/Sub dead-letters it after this attempt; the agency's tab already says why.
    assert row(sheets_server)[STATE] == "refusé"


@pytest.mark.parametrize("resend", ["dead-letters-replay", "tab-resend"])
def test_a_create_ogust_may_have_applied_on_the_last_attempt_then_resent_makes_one_customer(
    sandbox: Sandbox,
    sheets_server: SheetsSandbox,
    project: str,
    tracked: Path,
    monkeypatch: pytest.MonkeyPatch,
    resend: str,
) -> None:
    worker = start_worker(sandbox, sheets_server, project, monkeypatch, tracked, MAX_DELIVERY_ATTEMPTS="5")
    push = pusher(worker)
    # Ogust creates the customer, then answers 503: the create may or may not have happened.
    sandbox.inject_status(503, method="setCustomer", apply=True)
    assert push(answer(), attempt=5).status_code == 204
    assert len(sandbox.customers()) == 1
    cells = row(sheets_server)
    assert cells[STATE] == "refusé"
    assert "L'enregistrement a peut-être eu lieu malgré tout" in cells[MOTIF]
    submissions = topic_path(project, SUBMISSIONS)
    if resend == "dead-letters-replay":  # the operator's `dead-letters replay`
        box = DeadLetterBox.of(project, DEAD_LETTER_SUB, pull_wait=1.0)
        (sent,) = replay(box.pull_all(), box, PubSubPublisher(), submissions)
        assert sent.error is None
    else:  # a ticked `Renvoyer`: the answer as the form holds it, queued as the tab queues it
        mapping = load_mapping(tracked)
        enqueue(parse_submission(answer()), mapping, PubSubPublisher(), submissions, origin=Origin.REPLAY)
    # Pub/Sub pushes it (a new message: its first delivery).
    (queued,) = DeadLetterBox.of(project, SUBMISSIONS_SUB, pull_wait=1.0).pull_all()
    assert queued.attributes["origin"] == "replay"
    pushed = push(queued.data, attempt=1, attributes=queued.attributes, message_id=queued.message_id)
    assert pushed.status_code == 204
    assert len(sandbox.customers()) == 1  # searched first: found, not created twice
    assert sandbox.calls()["setCustomer"] == 1
    assert row(sheets_server)[STATE] == "inchangé"  # the search found all of it in Ogust
    # Nothing parked again: the replayed letter is gone; the resent answer's letter stays (7 days).
    assert len(letters(project)) == (0 if resend == "dead-letters-replay" else 1)
