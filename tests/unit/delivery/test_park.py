"""`park`: what the worker does with a message it refuses for good — one dead letter per response
and version, noted in the ledger; never acknowledged unparked. And `enqueue(even_refused=True)`,
how the reconciler and the agency's tab queue an answer the mapping refuses (for the worker to park)."""

from __future__ import annotations

import json

import pytest

from shared.delivery import PushMessage, enqueue, park
from shared.delivery._messages import fallback_key
from shared.errors import ConfigError, DeliveryUnavailableError, SubmissionRejected
from shared.exactly_once import ledger_key
from shared.exactly_once._ledger import MemoryLedger
from shared.lifecycle import AttemptOutcome, Origin
from shared.mapping import load_mapping
from shared.webhook import Submission
from tests.support.function import example
from tests.support.queue_world import SATISFACTION

DEAD_LETTERS = "projects/agence-du-val/topics/form-submissions-dead-letters"
REFUSAL = SubmissionRejected("la question « Adresse e-mail » est obligatoire", field="email")


class Topic:
    """Pub/Sub as the worker sees it: what was published where (a Publisher); `down` refuses all."""

    def __init__(self, *, down: bool = False) -> None:
        self.down = down
        self.messages: list[tuple[str, bytes, dict[str, str], str]] = []

    def publish(self, topic: str, data: bytes, attributes: dict[str, str], *, ordering_key: str = "") -> str:
        if self.down:
            raise DeliveryUnavailableError("Pub/Sub did not confirm the publish to 'dead-letters': Timeout")
        self.messages.append((topic, data, dict(attributes), ordering_key))
        return str(len(self.messages))


def refused(origin: str | None = None) -> tuple[PushMessage, Submission]:
    payload = example("01-new-customer", answers={"Adresse e-mail": ""}, respondentEmail=None)
    data = json.dumps(payload).encode()
    attributes = {"responseId": payload["responseId"], "formId": payload["formId"]}
    if origin is not None:
        attributes["origin"] = origin
    return PushMessage(data, attributes, message_id="7"), Submission.model_validate(payload)


def park_in(
    topic: Topic, ledger: MemoryLedger | None, message: PushMessage, submission: Submission | None
) -> bool:
    return park(
        message,
        submission,
        REFUSAL,
        ledger=ledger,
        publisher=topic,
        project="agence-du-val",
        topic="form-submissions-dead-letters",
    )


def outcomes(ledger: MemoryLedger, submission: Submission) -> list[str]:
    entry = ledger.get(ledger_key(submission.form_id, submission.response_id))
    return [a.outcome for a in entry.history] if entry is not None else []


def test_a_refused_version_is_parked_once_with_its_reason_and_noted_in_the_ledger() -> None:
    topic, ledger = Topic(), MemoryLedger()
    message, submission = refused(Origin.RECONCILE)
    assert park_in(topic, ledger, message, submission) is True
    ((where, data, attributes, _),) = topic.messages
    assert (where, data) == (DEAD_LETTERS, message.data)
    assert (attributes["errorType"], attributes["field"]) == ("SubmissionRejected", "email")
    assert "obligatoire" in attributes["reason"]
    assert outcomes(ledger, submission) == [AttemptOutcome.PARKED]
    # The same version queued again (a second reconciler run): acknowledged, not parked twice.
    assert park_in(topic, ledger, message, submission) is False
    assert len(topic.messages) == 1


def test_a_replayed_message_is_parked_again_its_letter_being_gone() -> None:
    topic, ledger = Topic(), MemoryLedger()
    message, submission = refused()
    park_in(topic, ledger, message, submission)
    replayed, _ = refused(Origin.REPLAY)
    assert park_in(topic, ledger, replayed, submission) is True
    assert len(topic.messages) == 2


def test_no_dead_letter_topic_is_an_error_and_nothing_is_noted() -> None:
    ledger = MemoryLedger()
    message, submission = refused()
    with pytest.raises(ConfigError, match="DEAD_LETTER_TOPIC"):
        park(
            message,
            submission,
            REFUSAL,
            ledger=ledger,
            publisher=Topic(),
            project="agence-du-val",
            topic=None,
        )
    assert outcomes(ledger, submission) == []


def test_a_failed_publish_comes_out_and_the_version_is_not_noted_as_parked() -> None:
    ledger = MemoryLedger()
    message, submission = refused()
    with pytest.raises(DeliveryUnavailableError):
        park_in(Topic(down=True), ledger, message, submission)
    assert outcomes(ledger, submission) == []


def test_without_a_ledger_or_a_readable_submission_it_is_parked_all_the_same() -> None:
    topic = Topic()
    message, submission = refused()
    assert park_in(topic, None, message, submission) is True
    unreadable = PushMessage(b"pas du JSON", {"responseId": "2_ABaOnudExemple0001"}, message_id="8")
    assert park_in(topic, MemoryLedger(), unreadable, None) is True
    assert topic.messages[1][2]["responseId"] == "2_ABaOnudExemple0001"  # the message's own attributes


def test_an_answer_the_mapping_refuses_is_queued_under_its_own_key_only_when_asked() -> None:
    mapping = load_mapping(SATISFACTION)
    _, submission = refused()
    topic = Topic()
    with pytest.raises(SubmissionRejected):
        enqueue(submission, mapping, topic, "projects/agence-du-val/topics/form-submissions")
    assert topic.messages == []
    enqueue(
        submission,
        mapping,
        topic,
        "projects/agence-du-val/topics/form-submissions",
        even_refused=True,
        origin=Origin.RECONCILE,
    )
    ((_, data, attributes, key),) = topic.messages
    assert key == attributes["orderingKey"] == fallback_key(submission.form_id, submission.response_id)
    assert attributes["origin"] == Origin.RECONCILE
    assert data == submission.to_json()


def test_a_version_parked_already_is_acknowledged_even_without_a_dead_letter_topic() -> None:
    topic, ledger = Topic(), MemoryLedger()
    message, submission = refused()
    park_in(topic, ledger, message, submission)
    again = park(message, submission, REFUSAL, ledger=ledger, publisher=topic, project=None, topic=None)
    assert again is False
    assert len(topic.messages) == 1
