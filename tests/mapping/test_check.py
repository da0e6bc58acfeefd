"""Validation before running: the mapping's own errors, then its fit with the form."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.mapping.check import validate
from shared.mapping.form import FormDescription, FormItem, read_form_description

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("name", ["satisfaction", "satisfaction-clients", "quote-request", "registration"])
def test_every_example_fits_its_form(name: str) -> None:
    report = validate(
        (EXAMPLES / f"{name}.yaml").read_text(),
        name=f"{name}.yaml",
        form=read_form_description(EXAMPLES / f"{name}-form.json"),
    )
    assert report.ok, [str(f) for f in report.findings]
    assert report.findings == []


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
    report = validate(MAPPING, name="m.yaml", form=FORM)
    errors = [str(f) for f in report.errors]
    warnings = [str(f) for f in report.warnings]
    assert errors == [
        "m.yaml:12: question 'Nom de famille' is not in the form 'Contact'",
        "m.yaml:8: field 'title': the value map has no entry and no fallback for choice(s) 'Mademoiselle' "
        "of question 'Civilité'",
    ]
    assert warnings == [
        "m.yaml:6: item 9 is not in the form; 'E-mail' matched by title",
        "question 'Remarques' of the form is not used by the mapping",
    ]


def test_a_form_the_mapping_does_not_know() -> None:
    other = FormDescription("autre", "Autre formulaire", ())
    assert [str(f) for f in validate(MAPPING, name="m.yaml", form=other).errors] == [
        "m.yaml: form 'autre' (Autre formulaire) is not in the mapping"
    ]


def test_strict_map_is_a_warning_without_the_form() -> None:
    report = validate(MAPPING, name="m.yaml")
    assert report.ok
    assert "m.yaml:8: field 'title'" in str(report.warnings[0])


def test_forms_api_description_is_read(tmp_path: Path) -> None:
    path = tmp_path / "form.json"
    path.write_text(
        '{"formId": "f", "info": {"title": "Contact"}, "items": [{"itemId": "1a2b", "title": "Civilité",'
        ' "questionItem": {"question": {"questionId": "0f",'
        ' "choiceQuestion": {"options": [{"value": "Madame"}]}}}}]}'
    )
    form = read_form_description(path)
    assert form.title == "Contact"
    assert form.items[0] == FormItem(0x1A2B, "Civilité", "MULTIPLE_CHOICE", ("Madame",), "0f")
