"""What travels on Pub/Sub: ordering keys, dead-letter attributes, push envelopes."""

from __future__ import annotations

import json

import pytest

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
