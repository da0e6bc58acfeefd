"""What travels on Pub/Sub: ordering keys, dead-letter attributes, push envelopes."""

from __future__ import annotations

import json

import pytest

from shared.delivery import DeadLetter, deduplicated
from shared.delivery._messages import PushMessage, dead_letter_attributes, ordering_key
from shared.errors import AmbiguousMatchError, PayloadError, SubmissionRejected
from shared.mapping import load_mapping, plan
from shared.webhook import Submission
from tests.support.function import example
from tests.support.queue_world import SATISFACTION

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


def test_dead_letter_attributes_name_the_field_and_stay_under_the_limit() -> None:
    submission = Submission.model_validate(example("01-new-customer"))
    exc = SubmissionRejected("x" * 5000, field="mobile_phone", question="'Téléphone portable'")
    attributes = dead_letter_attributes(submission, exc)
    assert attributes["field"] == "mobile_phone"
    assert attributes["errorType"] == "SubmissionRejected"
    assert len(attributes["reason"].encode()) <= 1024


def test_a_dead_letter_shows_the_ogust_customer_ids_whole_and_the_persons_email_masked() -> None:
    submission = Submission.model_validate(example("01-new-customer"))
    exc = AmbiguousMatchError(
        "2 Ogust customers have the e-mail marie-helene.darnoux@exemple.fr: merge them",
        field="email",
        customer_ids=["344563872", "344563873"],
    )
    attributes = dead_letter_attributes(submission, exc)
    assert attributes["customerIds"] == "344563872, 344563873"
    shown = DeadLetter("m1", "a1", submission.to_json(), attributes).summary()
    assert shown["customerIds"] == "344563872, 344563873"
    assert "darnoux" not in shown["reason"]


def test_dead_letters_are_folded_by_response_and_version_the_last_parked_first() -> None:
    def letter(message_id: str, response_id: str, at: str, failed_at: str) -> DeadLetter:
        attributes = {"responseId": response_id, "formId": "f", "submittedAt": at, "failedAt": failed_at}
        return DeadLetter(message_id, "ack-" + message_id, b"{}", attributes)

    first = letter("m1", "2_Zoé", "2026-11-28T09:15:00+00:00", "2026-11-28T09:16:00+00:00")
    copy = letter("m2", "2_Zoé", "2026-11-28T09:15:00+00:00", "2026-11-28T09:21:00+00:00")
    edit = letter("m3", "2_Zoé", "2026-11-29T10:00:00+00:00", "2026-11-29T10:01:00+00:00")
    other = letter("m4", "2_Jean-Pierre", "2026-11-28T09:15:00+00:00", "2026-11-28T09:17:00+00:00")
    nameless = DeadLetter("m5", "ack-m5", b"not json")
    groups = deduplicated([edit, copy, other, nameless, first])
    assert [[lt.message_id for lt in group] for group in groups] == [["m5"], ["m2", "m1"], ["m4"], ["m3"]]


def test_push_envelope_without_message_is_a_payload_error() -> None:
    with pytest.raises(PayloadError):
        PushMessage.parse(json.dumps({"subscription": "s"}).encode())
