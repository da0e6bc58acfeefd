"""Planning: answers in, Ogust values and lookup keys out; required, empty and address rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from shared.errors import SubmissionRejected
from shared.mapping import Plan, identity_key, plan
from shared.mapping.load import parse_mapping
from shared.ogust import Part, Target
from shared.webhook import Submission, parse_submission

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"


def part(the_plan: Plan, name: Part) -> dict[str, str]:
    """The planned values that one Ogust part carries (customer, address or custom fields)."""
    return {t.name: v for t, v in the_plan.values.items() if t.part == name}


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
    assert part(result, "customer") == {
        "title": "Mme",
        "last_name": "D'ARNOUX-LEFÈVRE",
        "first_name": "Marie-Hélène",
        "email": "marie-helene.darnoux@exemple.fr",
        "mobile_phone": "0612345678",
        "comment": "Satisfaction 4/5 : Très bien, l'aide à domicile est ponctuelle.",
    }
    assert part(result, "address") == {
        "line": "12, rue de l'Église",
        "zip": "94240",
        "city": "L'HAŸ-LES-ROSES",
    }
    assert result.lookup == [(Target("customer", "email"), "marie-helene.darnoux@exemple.fr")]


def test_empty_answer_leaves_the_field_out() -> None:
    result = plan(satisfaction(), example("02-same-person-again"))
    assert "mobile_phone" not in part(result, "customer")


def test_answer_found_by_title_when_the_id_changed() -> None:
    f = form("      email: {answer: {id: 999, title: Adresse e-mail}}\n")
    sub = submission([{"itemId": 5, "title": "Adresse e-mail", "type": "TEXT", "value": "a@exemple.fr"}])
    assert part(plan(f, sub), "customer") == {"email": "a@exemple.fr"}


def test_title_match_ignores_case_and_spaces() -> None:
    f = form("      email: {answer: adresse  E-MAIL}\n")
    sub = submission([{"itemId": 5, "title": "Adresse e-mail ", "type": "TEXT", "value": "a@exemple.fr"}])
    assert part(plan(f, sub), "customer")["email"] == "a@exemple.fr"


def test_id_wins_over_title() -> None:
    f = form("      email: {answer: {id: 6, title: Adresse e-mail}}\n")
    sub = submission(
        [
            {"itemId": 5, "title": "Adresse e-mail", "type": "TEXT", "value": "ancienne@exemple.fr"},
            {"itemId": 6, "title": "E-mail (nouveau)", "type": "TEXT", "value": "nouvelle@exemple.fr"},
        ]
    )
    assert part(plan(f, sub), "customer")["email"] == "nouvelle@exemple.fr"


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
    assert part(plan(f, sub), "customer") == {
        "email": "a@exemple.fr",
        "type": "C",
        "comment": "Services : Ménage, Courses (Hebdomadaire)",
        "landline": "0100000000",
        "door_code": "",
    }


def test_template_with_every_slot_empty_is_empty() -> None:
    f = form("      email: {answer: E}\n      comment: {template: 'Avis : {{Avis}}'}\n")
    sub = submission([{"itemId": 1, "title": "E", "type": "TEXT", "value": "a@exemple.fr"}])
    assert "comment" not in part(plan(f, sub), "customer")


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
    assert part(plan(f, sub), "customer")["comment"] == "Matin / — / Matin, Soir"


def test_lookup_keys_tried_in_order_skip_empty_ones() -> None:
    f = form(
        "      email: {answer: E}\n      mobile_phone: {answer: T, steps: [phone]}\n", "[email, mobile_phone]"
    )
    sub = submission([{"itemId": 1, "title": "T", "type": "TEXT", "value": "+33 6 12 34 56 78"}])
    assert plan(f, sub).lookup == [(Target("customer", "mobile_phone"), "0612345678")]


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
    assert identity_key(Target.parse(field), a) == identity_key(Target.parse(field), b)


def test_lookup_key_keeps_different_people_apart() -> None:
    email = Target("customer", "email")
    assert identity_key(email, "jean@exemple.fr") != identity_key(email, "jeanne@exemple.fr")


def test_meta_sources_and_template_meta_slots() -> None:
    f = form(
        "      email: {meta: respondent_email}\n"
        "      comment: {template: '{{@date}} ({{@response_id}}) : {{Avis}}'}\n"
        "      date_of_birth: {meta: submitted_at, steps: [{date: '%Y-%m-%d'}]}\n"
    )
    sub = submission(
        [{"itemId": 1, "title": "Avis", "type": "TEXT", "value": "Très bien"}],
        respondentEmail="zoe@exemple.fr",
        submittedAt="2026-11-28T23:30:00Z",
    )
    assert part(plan(f, sub), "customer") == {
        "email": "zoe@exemple.fr",
        "comment": "29/11/2026 (r1) : Très bien",
        "date_of_birth": "2026-11-29",
    }


def test_coalesce_takes_the_first_non_empty_source() -> None:
    f = form(
        "      email:\n        coalesce:\n          - answer: E-mail\n          - meta: respondent_email\n"
        "      landline:\n        coalesce: [{answer: Fixe}, {answer: Portable}, {value: '0100000000'}]\n"
        "        steps: [phone]\n"
    )
    sub = submission(
        [
            {"itemId": 1, "title": "E-mail", "type": "TEXT", "value": "  "},
            {"itemId": 2, "title": "Fixe", "type": "TEXT", "value": ""},
            {"itemId": 3, "title": "Portable", "type": "TEXT", "value": "06 12 34 56 78"},
        ],
        respondentEmail="collecte@exemple.fr",
    )
    assert part(plan(f, sub), "customer") == {"email": "collecte@exemple.fr", "landline": "0612345678"}


NOTE = [{"itemId": 9, "title": "Note globale", "type": "SCALE", "value": "2"}]
EMAIL = [{"itemId": 1, "title": "E", "type": "TEXT", "value": "a@exemple.fr"}]


@pytest.mark.parametrize(
    ("condition", "skipped"),
    [
        ("{answer: Note globale, equals: 2}", True),
        ("{answer: Note globale, equals: '3'}", False),
        ("{answer: Note globale, not_equals: '3'}", True),
        ("{answer: Note globale, in: [1, 2]}", True),
        ("{answer: Note globale, not_in: [1, 2]}", False),
        ("{answer: Note globale, less_than: 3}", True),
        ("{answer: Note globale, greater_than: 3}", False),
        ("{answer: Note globale, greater_than: 1, less_than: 3}", True),
        ("{answer: Commentaire, empty: true}", True),
        ("{answer: Note globale, empty: true}", False),
        ("[{answer: Note globale, equals: 5}, {answer: Note globale, equals: 2}]", True),
    ],
)
def test_skip_whole_submission_when_a_condition_holds(condition: str, skipped: bool) -> None:
    text = (
        "version: 1\nforms:\n  - form_id: f\n    lookup: email\n"
        f"    skip_when: {condition}\n    fields: {{email: {{answer: E}}}}\n"
    )
    result = plan(parse_mapping(text).forms[0], submission([*EMAIL, *NOTE]))
    assert (result.skipped is not None) == skipped
    if skipped:
        assert part(result, "customer") == {}


def test_skip_reason_names_the_question() -> None:
    text = (
        "version: 1\nforms:\n  - form_id: f\n    lookup: email\n"
        "    skip_when: {answer: Consentement, equals: Non}\n    fields: {email: {answer: E}}\n"
    )
    sub = submission(
        [*EMAIL, {"itemId": 4, "title": "Consentement", "type": "MULTIPLE_CHOICE", "value": "non"}]
    )
    assert (
        plan(parse_mapping(text).forms[0], sub).skipped == "skip_when: question 'Consentement' equals 'Non'"
    )


def test_skip_a_single_field_and_contains_on_checkboxes() -> None:
    f = form(
        "      email: {answer: E}\n"
        "      comment:\n        answer: Services\n        steps: [{join: ', '}]\n"
        "        skip_when: {answer: Services, contains: aucun}\n"
    )
    aucun = {"itemId": 2, "title": "Services", "type": "CHECKBOX", "value": ["Aucun"]}
    with_none = submission([*EMAIL, aucun])
    assert "comment" not in part(plan(f, with_none), "customer")
    real = submission([*EMAIL, {"itemId": 2, "title": "Services", "type": "CHECKBOX", "value": ["Ménage"]}])
    assert part(plan(f, real), "customer")["comment"] == "Ménage"


def test_list_labels_become_codes() -> None:

    f = form("      email: {answer: E}\n      origin: {answer: Origine, ogust_list: customer.origin}\n")
    sub = submission([*EMAIL, {"itemId": 2, "title": "Origine", "type": "LIST", "value": "bouche à oreille"}])
    the_plan = plan(f, sub)
    assert the_plan.list_labels() == {Target("customer", "origin"): ("customer.origin", "bouche à oreille")}
    lists = {"customer.origin": {"253195735": "Bouche à oreille", "253195736": "Internet"}}
    assert part(the_plan.with_list_codes(lists), "customer")["origin"] == "253195735"


def test_unknown_list_label_names_field_and_known_labels() -> None:

    f = form("      email: {answer: E}\n      origin: {answer: Origine, ogust_list: customer.origin}\n")
    sub = submission([*EMAIL, {"itemId": 2, "title": "Origine", "type": "LIST", "value": "Salon"}])
    with pytest.raises(
        SubmissionRejected, match=r"not in the Ogust list customer\.origin \(labels: 'Internet'"
    ) as caught:
        plan(f, sub).with_list_codes({"customer.origin": {"1": "Internet"}})
    assert (caught.value.field, caught.value.value) == ("origin", "Salon")


def test_custom_fields_are_planned_apart() -> None:
    f = parse_mapping(
        "version: 1\nforms:\n  - form_id: f\n    lookup: email\n    fields: {email: {answer: E}}\n"
        "    custom_fields:\n      NOTESAT: {answer: Note globale, steps: [{number: 0, min: 1, max: 5}]}\n"
    ).forms[0]
    assert part(plan(f, submission([*EMAIL, *NOTE])), "custom") == {"NOTESAT": "2"}


def test_unknown_form_goes_to_the_default_form() -> None:
    mapping = parse_mapping(
        "version: 1\ndefault_form: f\nforms:\n"
        "  - form_id: f\n    lookup: email\n    fields: {email: {answer: E}}\n"
    )
    assert mapping.for_form("un-autre").form_id == "f"


def test_optional_template_part_only_with_an_answer() -> None:
    f = form(
        "      email: {answer: E}\n      comment: {template: 'Note {{Note globale}}/5[[ : {{Avis}}]]'}\n"
    )
    assert part(plan(f, submission([*EMAIL, *NOTE])), "customer")["comment"] == "Note 2/5"
    avis = [{"itemId": 3, "title": "Avis", "type": "TEXT", "value": "Très bien"}]
    assert part(plan(f, submission([*EMAIL, *NOTE, *avis])), "customer")["comment"] == "Note 2/5 : Très bien"


def test_template_slot_filters() -> None:
    f = form(
        "      email: {answer: E}\n"
        "      comment: {template: 'Début {{Début | date}}, ville {{Ville | upper}}'}\n"
    )
    answers = [
        {"itemId": 3, "title": "Début", "type": "DATE", "value": "2027-01-04"},
        {"itemId": 4, "title": "Ville", "type": "TEXT", "value": "l'haÿ-les-roses"},
    ]
    assert (
        part(plan(f, submission([*EMAIL, *answers])), "customer")["comment"]
        == "Début 04/01/2027, ville L'HAŸ-LES-ROSES"
    )


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{@hier}}", "unknown template value"),
        ("{{Nom | gras}}", "unknown template filter"),
        ("Merci", "names no"),
    ],
)
def test_bad_templates_are_refused_at_load(template: str, message: str) -> None:
    from shared.errors import ConfigError

    with pytest.raises(ConfigError, match=message):
        form(f"      email: {{answer: E}}\n      comment: {{template: '{template}'}}\n")


@pytest.mark.parametrize("typed", ["pas une adresse", "marie@exemple", "@exemple.fr"])
def test_an_email_lookup_that_is_no_address_is_refused_naming_the_question(typed: str) -> None:
    f = form("      email: {answer: Votre e-mail}\n")
    sub = submission([{"itemId": 1, "title": "Votre e-mail", "type": "TEXT", "value": typed}])
    with pytest.raises(SubmissionRejected, match="not a valid e-mail address") as caught:
        plan(f, sub)
    assert (caught.value.field, caught.value.question, caught.value.value) == (
        "email",
        "'Votre e-mail'",
        typed,
    )


def test_an_answer_of_invisible_characters_is_no_answer() -> None:
    f = form(
        "      email: {answer: E}\n      mobile_phone: {answer: T, steps: [phone]}\n", "[email, mobile_phone]"
    )
    answers = [
        {"itemId": 1, "title": "E", "type": "TEXT", "value": "\u200b"},
        {"itemId": 2, "title": "T", "type": "TEXT", "value": "06 12 34 56 78"},
    ]
    result = plan(f, submission(answers))
    assert result.lookup == [(Target("customer", "mobile_phone"), "0612345678")]
    assert "email" not in part(result, "customer")
