"""Planning: answers in, Ogust values and lookup keys out; required, empty and address rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from shared.errors import SubmissionRejected
from shared.mapping import lookup_key, parse_mapping, plan
from shared.webhook import Submission, parse_submission

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def example(name: str) -> Submission:
    return parse_submission((EXAMPLES / "submissions" / f"{name}.json").read_bytes())


def satisfaction() -> Any:
    return parse_mapping((EXAMPLES / "satisfaction.yaml").read_text(), name="satisfaction.yaml").forms[0]


def submission(answers: list[dict[str, Any]], **extra: Any) -> Submission:
    return Submission.model_validate(
        {
            "schemaVersion": 1,
            "formId": "f",
            "responseId": "r1",
            "submittedAt": "2026-11-28T09:15:00Z",
            "answers": answers,
            **extra,
        }
    )


def form(fields: str, lookup: str = "email") -> Any:
    text = f"version: 1\nforms:\n  - form_id: f\n    lookup: {lookup}\n    fields:\n{fields}"
    return parse_mapping(text).forms[0]


def test_example_submission_is_planned_with_every_mapped_value() -> None:
    result = plan(satisfaction(), example("01-new-customer"))
    assert result.customer == {
        "title": "Mme",
        "last_name": "D'ARNOUX-LEFÈVRE",
        "first_name": "Marie-Hélène",
        "email": "marie-helene.darnoux@exemple.fr",
        "mobile_phone": "0612345678",
        "comment": "Satisfaction 4/5 : Très bien, l'aide à domicile est ponctuelle.",
    }
    assert result.address == {"line": "12, rue de l'Église", "zip": "94240", "city": "L'HAŸ-LES-ROSES"}
    assert result.lookup == [("email", "marie-helene.darnoux@exemple.fr")]


def test_empty_answer_leaves_the_field_out() -> None:
    result = plan(satisfaction(), example("02-same-person-again"))
    assert "mobile_phone" not in result.customer


def test_answer_found_by_title_when_the_id_changed() -> None:
    f = form("      email: {answer: {id: 999, title: Adresse e-mail}}\n")
    sub = submission([{"itemId": 5, "title": "Adresse e-mail", "type": "TEXT", "value": "a@exemple.fr"}])
    assert plan(f, sub).customer == {"email": "a@exemple.fr"}


def test_title_match_ignores_case_and_spaces() -> None:
    f = form("      email: {answer: adresse  E-MAIL}\n")
    sub = submission([{"itemId": 5, "title": "Adresse e-mail ", "type": "TEXT", "value": "a@exemple.fr"}])
    assert plan(f, sub).customer["email"] == "a@exemple.fr"


def test_id_wins_over_title() -> None:
    f = form("      email: {answer: {id: 6, title: Adresse e-mail}}\n")
    sub = submission(
        [
            {"itemId": 5, "title": "Adresse e-mail", "type": "TEXT", "value": "ancienne@exemple.fr"},
            {"itemId": 6, "title": "E-mail (nouveau)", "type": "TEXT", "value": "nouvelle@exemple.fr"},
        ]
    )
    assert plan(f, sub).customer["email"] == "nouvelle@exemple.fr"


def test_required_missing_answer_names_field_and_question() -> None:
    sub = submission([{"itemId": 1002, "title": "Nom", "type": "TEXT", "value": "Dupont"}])
    with pytest.raises(SubmissionRejected) as caught:
        plan(satisfaction(), sub)
    assert caught.value.field == "email"
    assert caught.value.question == "'Adresse e-mail'"
    assert "field 'email' is required but question 'Adresse e-mail' has no answer" in str(caught.value)


def test_invalid_phone_names_field_and_question() -> None:
    sub = example("01-new-customer")
    answers = [a.model_dump(by_alias=True) for a in sub.answers]
    answers[4]["value"] = "06 12"
    with pytest.raises(SubmissionRejected) as caught:
        plan(satisfaction(), submission(answers, formId=sub.form_id))
    assert caught.value.field == "mobile_phone"
    assert caught.value.question == "'Téléphone portable'"


def test_constant_template_default_and_send_empty() -> None:
    f = form(
        "      email: {answer: E}\n"
        "      type: {value: C}\n"
        "      comment: {template: 'Services : {{Services}} ({{#7}})'}\n"
        "      landline: {answer: Fixe, default: '0100000000'}\n"
        "      door_code: {answer: Code, send_empty: true}\n"
    )
    sub = submission(
        [
            {"itemId": 1, "title": "E", "type": "TEXT", "value": "a@exemple.fr"},
            {"itemId": 2, "title": "Services", "type": "CHECKBOX", "value": ["Ménage", "Courses"]},
            {"itemId": 7, "title": "Fréquence", "type": "LIST", "value": "Hebdomadaire"},
            {"itemId": 8, "title": "Fixe", "type": "TEXT", "value": ""},
            {"itemId": 9, "title": "Code", "type": "TEXT", "value": ""},
        ]
    )
    assert plan(f, sub).customer == {
        "email": "a@exemple.fr",
        "type": "C",
        "comment": "Services : Ménage, Courses (Hebdomadaire)",
        "landline": "0100000000",
        "door_code": "",
    }


def test_template_with_every_slot_empty_is_empty() -> None:
    f = form("      email: {answer: E}\n      comment: {template: 'Avis : {{Avis}}'}\n")
    sub = submission([{"itemId": 1, "title": "E", "type": "TEXT", "value": "a@exemple.fr"}])
    assert "comment" not in plan(f, sub).customer


def test_grid_answer_becomes_readable_text() -> None:
    f = form("      email: {answer: E}\n      comment: {answer: Dispo}\n")
    sub = submission(
        [
            {"itemId": 1, "title": "E", "type": "TEXT", "value": "a@exemple.fr"},
            {
                "itemId": 2,
                "title": "Dispo",
                "type": "CHECKBOX_GRID",
                "value": [["Matin"], [], ["Matin", "Soir"]],
            },
        ]
    )
    assert plan(f, sub).customer["comment"] == "Matin, Matin, Soir"


def test_lookup_keys_tried_in_order_skip_empty_ones() -> None:
    f = form(
        "      email: {answer: E}\n      mobile_phone: {answer: T, steps: [phone]}\n", "[email, mobile_phone]"
    )
    sub = submission([{"itemId": 1, "title": "T", "type": "TEXT", "value": "+33 6 12 34 56 78"}])
    assert plan(f, sub).lookup == [("mobile_phone", "0612345678")]


def test_no_lookup_value_at_all_is_rejected() -> None:
    f = form("      email: {answer: E}\n      last_name: {answer: Nom}\n")
    sub = submission([{"itemId": 1, "title": "Nom", "type": "TEXT", "value": "Dupont"}])
    with pytest.raises(SubmissionRejected, match="every lookup field \\(email\\) is empty"):
        plan(f, sub)


@pytest.mark.parametrize(
    ("field", "a", "b"),
    [
        ("email", " Zoé.Lefevre@Exemple.FR", "zoé.lefevre@exemple.fr"),
        ("mobile_phone", "06 12 34 56 78", "+33612345678"),
        ("last_name", "D'ARNOUX  Lefèvre", "d'arnoux lefèvre"),
    ],
)
def test_lookup_key_normalises_for_exact_comparison(field: str, a: str, b: str) -> None:
    assert lookup_key(field, a) == lookup_key(field, b)


def test_lookup_key_keeps_different_people_apart() -> None:
    assert lookup_key("email", "jean@exemple.fr") != lookup_key("email", "jeanne@exemple.fr")
