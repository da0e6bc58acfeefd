"""Validation before running: the mapping's own errors, then its fit with the form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from shared.mapping.check import validate
from shared.mapping.form import FormDescription, FormItem

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@pytest.mark.parametrize("name", ["satisfaction", "satisfaction-clients", "quote-request", "registration"])
def test_every_example_fits_its_form(name: str) -> None:
    report = validate(
        (EXAMPLES / f"{name}.yaml").read_text(),
        name=f"{name}.yaml",
        form=FormDescription.read(EXAMPLES / f"{name}-form.json"),
        required_on_create=(),  # what the Ogust account requires is checked below
    )
    assert report.ok, [str(f) for f in report.findings]
    assert report.findings == []


def test_a_form_creating_customers_without_what_ogust_requires_is_warned_with_the_line_to_add() -> None:
    def warnings(name: str, **kw: Any) -> list[str]:
        text = (EXAMPLES / f"{name}.yaml").read_text()
        return [
            str(f)
            for f in validate(text, name=f"{name}.yaml", **kw).warnings
            if "creates customers" in str(f)
        ]

    (satisfaction,) = warnings("satisfaction")
    assert "without type, exoneration" in satisfaction
    assert "`on_create: {type: C, exoneration: D}`" in satisfaction
    assert satisfaction.startswith("satisfaction.yaml:7: ")
    (registration,) = warnings("registration")
    assert "without main_address.line, main_address.zip, main_address.city" in registration
    assert warnings("quote-request") == []  # it sends type, exoneration and an address on create
    assert warnings("satisfaction-clients") == []  # it only updates existing customers
    # The doctor's own finding replaces the usual list: `validate --required`.
    (origin,) = warnings("quote-request", required_on_create=("origin", "manager"))
    assert "without manager" in origin


FORM = FormDescription(
    "f",
    "Contact",
    (
        FormItem(1, "Civilité", "MULTIPLE_CHOICE", ("Madame", "Monsieur", "Mademoiselle")),
        FormItem(2, "E-mail", "TEXT"),
        FormItem(3, "Remarques", "PARAGRAPH_TEXT"),
    ),
)

MAPPING = """\
version: 1
forms:
  - form_id: f
    lookup: email
    fields:
      email:
        answer: {id: 9, title: E-mail}
      title:
        answer: Civilité
        steps:
          - map: {Madame: Mme, Monsieur: M.}
      last_name:
        answer: Nom de famille
"""


def test_form_checks_report_missing_questions_choices_and_unused_ones() -> None:
    report = validate(MAPPING, name="m.yaml", form=FORM, required_on_create=())
    errors = [str(f) for f in report.errors]
    warnings = [str(f) for f in report.warnings]
    assert errors == [
        "m.yaml:12: question 'Nom de famille' is not in the form 'Contact'",
        "m.yaml:8: field 'title': the value map has no entry and no fallback for choice(s) 'Mademoiselle' "
        "of question 'Civilité'",
    ]
    assert warnings == [
        "m.yaml:6: item 9 is not in the form; 'E-mail' matched by title",
        "m.yaml:5: question 'Remarques' of the form is not used by the mapping",
        "m.yaml:6: field 'email' is a lookup key: it is written in its canonical form (as searched), not "
        "as these steps give it — write `steps: [email]`",
    ]


def test_a_form_the_mapping_does_not_know() -> None:
    other = FormDescription("autre", "Autre formulaire", ())
    assert [str(f) for f in validate(MAPPING, name="m.yaml", form=other).errors] == [
        "m.yaml:2: form 'autre' (Autre formulaire) is not in the mapping"
    ]


def test_strict_map_is_a_warning_without_the_form() -> None:
    report = validate(MAPPING, name="m.yaml", required_on_create=())
    assert report.ok
    assert "m.yaml:8: field 'title'" in str(report.warnings[0])


def test_forms_api_description_is_read(tmp_path: Path) -> None:
    path = tmp_path / "form.json"
    path.write_text(
        '{"formId": "f", "info": {"title": "Contact"}, "items": [{"itemId": "1a2b", "title": "Civilité",'
        ' "questionItem": {"question": {"questionId": "0f",'
        ' "choiceQuestion": {"options": [{"value": "Madame"}]}}}}]}'
    )
    form = FormDescription.read(path)
    assert form.title == "Contact"
    assert form.items[0] == FormItem(0x1A2B, "Civilité", "MULTIPLE_CHOICE", ("Madame",), "0f")


def test_a_key_written_twice_is_an_error_naming_both_lines() -> None:
    text = MAPPING + "      email:\n        answer: Courriel\n"
    report = validate(text, name="m.yaml")
    assert not report.ok
    (error,) = report.errors
    assert (error.line, error.path) == (14, "forms.0.fields.email")
    assert "'email' is written twice (lines 6 and 14): only the last one counts" in error.message


def test_a_misspelt_question_suggests_the_form_title_accents_and_case_ignored() -> None:
    text = MAPPING.replace("answer: Nom de famille", "answer: CIVILITE")
    report = validate(text, name="m.yaml", form=FORM)
    (error,) = [f for f in report.errors if "CIVILITE" in f.message]
    assert error.suggestion == "Civilité"
    assert error.message.endswith("(did you mean 'Civilité'?)")
    assert (error.field, error.line) == ("last_name", 12)


def test_a_title_cut_by_a_yaml_comment_is_explained() -> None:
    form = FormDescription("f", "Contact", (*FORM.items, FormItem(4, "Question #3", "TEXT")))
    text = MAPPING.replace("answer: Nom de famille", "answer: Question #3")
    (error,) = [f for f in validate(text, name="m.yaml", form=form).errors if "'Question'" in f.message]
    assert error.suggestion == "Question #3"
    assert "' #' starts a comment" in error.message
    assert "put the title in quotes" in error.message


def test_an_unknown_ogust_list_is_a_warning_with_the_nearest_list() -> None:
    text = MAPPING + "      origin:\n        value: Internet\n        ogust_list: customer.orgin\n"
    report = validate(text, name="m.yaml")
    assert report.ok
    (warning,) = [w for w in report.warnings if "ogust_list" in w.message]
    assert (warning.suggestion, warning.line) == ("customer.origin", 16)


def test_every_finding_has_its_file_and_line() -> None:
    broken = MAPPING.replace("answer: Nom de famille", "anwser: Nom de famille")
    for text, form in ((MAPPING, FORM), (MAPPING, None), (broken, None)):
        report = validate(text, name="m.yaml", form=form)
        assert report.findings
        for finding in report.findings:
            data = finding.as_json()
            assert data["file"] == "m.yaml"
            assert isinstance(data["line"], int), data


def test_questions_missing_from_a_submission_are_warnings_naming_field_and_nearest_title() -> None:
    report = validate(MAPPING, name="m.yaml")
    warnings = report.missing_questions(
        "f", titles=["Civilite", "E-mail", "Nom de famille (ou d'usage)"], source="the CSV headers"
    )
    assert [(w.level, w.field, w.question, w.suggestion, w.line) for w in warnings] == [
        ("warning", "title", "'Civilité'", "Civilite", 9),
        ("warning", "last_name", "'Nom de famille'", "Nom de famille (ou d'usage)", 13),
    ]
    assert warnings[0].message == (
        "question 'Civilité' (field title) is not in the CSV headers: the field gets no value from it "
        "(did you mean 'Civilite'?)"
    )
    assert report.missing_questions("f", titles=["Civilité", " e-mail ", "nom de famille"], source="x") == []
    assert report.missing_questions("f", titles=[], item_ids=[9], source="x")[0].field == "title"


def test_a_key_written_twice_is_named_even_when_it_makes_the_mapping_invalid() -> None:
    text = MAPPING + "    fields: {}\n"
    errors = [str(f) for f in validate(text, name="m.yaml").errors]
    assert (
        errors[0]
        == "m.yaml:14: forms.0.fields: 'fields' is written twice (lines 5 and 14): only the last one "
        "counts; keep one"
    )


LOOKUP_STEPS = """\
version: 1
forms:
  - form_id: f
    lookup: [email, mobile_phone]
    fields:
      email:
        answer: E-mail
        steps: {email_steps}
      mobile_phone:
        answer: Téléphone
        steps: {phone_steps}
"""


def test_a_lookup_email_or_phone_whose_steps_are_not_the_canonical_ones_is_shown_the_line_to_write() -> None:
    text = LOOKUP_STEPS.format(email_steps="[trim, lower]", phone_steps="[{phone: e164}]")
    report = validate(text, name="contact.yaml", required_on_create=())
    assert report.ok
    email, phone = report.warnings
    assert (email.field, email.line, email.suggestion) == ("email", 6, "steps: [email]")
    assert "written in its canonical form" in email.message
    assert (phone.field, phone.line, phone.suggestion) == ("mobile_phone", 9, "steps: [phone]")
    canonical = LOOKUP_STEPS.format(
        email_steps="[trim, email]", phone_steps="[{phone: national, on_invalid: omit}]"
    )
    assert validate(canonical, name="contact.yaml", required_on_create=()).findings == []


def test_on_conflict_is_refuse_or_create_and_validate_names_it() -> None:
    text = LOOKUP_STEPS.format(email_steps="[email]", phone_steps="[phone]").replace(
        "    lookup:", "    on_conflict: merge\n    lookup:"
    )
    (error,) = validate(text, name="contact.yaml", required_on_create=()).errors
    assert "on_conflict" in str(error)
    assert "'merge' is not one of refuse, create" in str(error)
    assert error.line == 4
    for choice in ("refuse", "create"):
        ok = validate(text.replace("merge", choice), name="contact.yaml", required_on_create=())
        assert ok.ok, [str(f) for f in ok.findings]
        assert ok.mapping is not None
        assert ok.mapping.forms[0].on_conflict == choice
