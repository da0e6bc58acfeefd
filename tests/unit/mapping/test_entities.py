"""`entity: employee`: which fields each entity has, the suggestions and the warnings of `validate`."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.mapping.check import validate
from shared.mapping.form import FormDescription
from shared.mapping.load import MappingError, parse_mapping
from shared.mapping.suggest import suggest_field

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"

FORM = """\
version: 1
forms:
  - name: Candidature
    form_id: 1Candidature
%(entity)s    lookup: email
    fields:
      title: {answer: Civilité}
      last_name: {answer: Nom, required: true}
      email: {answer: E-mail, steps: [email]}
      main_address.line: {answer: Adresse}
      main_address.zip: {answer: Code postal}
      main_address.city: {answer: Ville}
%(fields)s%(on_create)s"""


def mapping(entity: str = "    entity: employee\n", fields: str = "", on_create: str = "") -> str:
    return FORM % {"entity": entity, "fields": fields, "on_create": on_create}


def test_the_example_job_application_fits_its_form_without_a_finding() -> None:
    report = validate(
        (EXAMPLES / "job-application.yaml").read_text(encoding="utf-8"),
        name="job-application.yaml",
        form=FormDescription.read(EXAMPLES / "job-application-form.json"),
    )
    assert [str(f) for f in report.findings] == []
    assert report.mapping is not None
    assert report.mapping.forms[0].entity == "employee"


def test_customers_stay_the_default_entity() -> None:
    parsed = parse_mapping(mapping(entity="", on_create="    on_create: {type: C}\n"), name="m.yaml")
    assert parsed.forms[0].entity == "customer"
    assert parsed.forms[0].third_party_code == "C"


def test_a_customer_field_on_an_employee_form_is_an_error_naming_it_and_suggesting() -> None:
    with pytest.raises(MappingError) as caught:
        parse_mapping(mapping(fields="      exoneration: {value: D}\n"), name="m.yaml")
    assert "'exoneration' is not a field of an Ogust worker (employee) (entity: employee)" in str(
        caught.value
    )


def test_a_worker_field_on_a_customer_form_is_an_error_naming_it() -> None:
    with pytest.raises(MappingError) as caught:
        parse_mapping(mapping(entity="", fields="      driving_license: {answer: Permis}\n"), name="m.yaml")
    assert "'driving_license' is not a field of an Ogust customer (entity: customer)" in str(caught.value)


def test_third_party_is_for_employee_forms_only() -> None:
    with pytest.raises(MappingError, match="third_party is for entity: employee"):
        parse_mapping(mapping(entity="    entity: customer\n    third_party: S\n"), name="m.yaml")
    parsed = parse_mapping(mapping(entity="    entity: employee\n    third_party: I\n"), name="m.yaml")
    assert parsed.forms[0].third_party_code == "I"


def test_an_employee_form_without_a_nature_is_warned_that_applicants_may_become_salaries() -> None:
    report = validate(mapping(), name="m.yaml")
    (warning,) = [str(f) for f in report.warnings if "creates workers" in str(f)]
    assert "without nature" in warning
    assert "on_create: {nature: <the code of Candidat>}" in warning
    with_nature = validate(mapping(on_create="    on_create: {nature: C}\n"), name="m.yaml")
    assert [f for f in with_nature.warnings if "creates workers" in str(f)] == []


@pytest.mark.parametrize(
    ("typed", "entity", "meant"),
    [
        ("permis", "employee", "driving_license"),
        ("Permis de conduire", "employee", "driving_license"),
        ("nationalité", "employee", "nationality"),
        ("permis", "customer", None),  # no such field for a customer
        ("origine", "employee", None),
        ("nom", "employee", "last_name"),
    ],
)
def test_suggestions_are_the_fields_of_the_forms_entity(typed: str, entity: str, meant: str | None) -> None:
    assert suggest_field(typed, entity) == meant  # type: ignore[arg-type]
