"""Schema v1: what the sender posts, and a clear PayloadError for anything else."""

from __future__ import annotations

import json
from typing import Any

import pytest

from shared.errors import PayloadError
from shared.webhook import Submission, parse_submission


def body(**overrides: Any) -> bytes:
    data: dict[str, Any] = {
        "schemaVersion": 1,
        "formId": "1SatisfactionExempleOgust2026",
        "formTitle": "Questionnaire de satisfaction",
        "responseId": "2_ABaOnud0001",
        "submittedAt": "2026-11-28T09:15:00.000Z",
        "respondentEmail": None,
        "answers": [
            {"itemId": 123, "title": "Nom", "type": "TEXT", "value": "Dupont"},
            {"itemId": 124, "title": "Services", "type": "CHECKBOX", "value": ["Ménage", "Courses"]},
            {
                "itemId": 125,
                "title": "Disponibilités",
                "type": "CHECKBOX_GRID",
                "value": [["Lundi"], ["Mardi", "Jeudi"]],
            },
            {"itemId": 126, "title": "Précisions", "type": "PARAGRAPH_TEXT", "value": ""},
        ],
    }
    data.update(overrides)
    return json.dumps(data).encode()


def test_parses_every_value_shape() -> None:
    sub = parse_submission(body())
    assert sub.response_id == "2_ABaOnud0001"
    assert sub.submitted_at.isoformat() == "2026-11-28T09:15:00+00:00"
    assert [a.value for a in sub.answers] == [
        "Dupont",
        ["Ménage", "Courses"],
        [["Lundi"], ["Mardi", "Jeudi"]],
        "",
    ]


def test_unknown_item_type_passes_through_as_text() -> None:
    sub = parse_submission(body(answers=[{"itemId": 9, "title": "Note", "type": "RATING", "value": 4}]))
    assert sub.answers[0].type == "RATING"
    assert sub.answers[0].value == "4"


def test_unknown_top_level_keys_are_ignored() -> None:
    assert (
        parse_submission(body(editUrl="https://docs.google.com/…")).form_id == "1SatisfactionExempleOgust2026"
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"not json", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        (b"[1, 2]", "JSON object"),
        (body(schemaVersion=2), "schemaVersion"),
        (body(schemaVersion=None), "schemaVersion"),
        (body(formId=""), "formId"),
        (body(responseId=None), "responseId"),
        (body(submittedAt="hier"), "submittedAt"),
        (body(submittedAt="2026-11-28T09:15:00"), "submittedAt"),
        (body(answers="Dupont"), "answers"),
        (body(answers=[{"title": "Nom", "type": "TEXT", "value": "x"}]), "answers.0.itemId"),
        (body(answers=[{"itemId": 1, "title": "Nom", "type": "TEXT", "value": {"a": 1}}]), "answers.0.value"),
    ],
)
def test_not_schema_v1_is_a_payload_error_naming_the_problem(raw: bytes, message: str) -> None:
    with pytest.raises(PayloadError, match=message):
        parse_submission(raw)


def test_round_trip_keeps_accents() -> None:
    sub = parse_submission(body())
    assert parse_submission(sub.to_json()) == sub


def test_fields_from_anywhere_are_validated_with_the_same_words_as_a_body() -> None:
    # A Forms API response and an exported row are read through Submission.validated: their
    # refusals name the field as a posted body's do.
    fields = json.loads(body(responseId="", answers=[{"itemId": "deux", "title": "Prénom", "type": "TEXT"}]))
    with pytest.raises(PayloadError) as caught:
        Submission.validated(fields)
    said = str(caught.value)
    assert said.startswith("responseId: String should have at least 1 character")
    assert "answers.0.itemId" in said
    assert "answers.0.value: Field required" in said
    with pytest.raises(PayloadError) as posted:
        parse_submission(json.dumps(fields).encode())
    assert str(posted.value) == f"body is not a schema v1 submission: {said}"
    assert Submission.validated(json.loads(body())).form_title == "Questionnaire de satisfaction"
