"""Loading a mapping: valid files load; every problem is reported at once with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.errors import ConfigError, SubmissionRejected
from shared.mapping import load_mapping, parse_mapping

ROOT = Path(__file__).resolve().parents[2]


def test_the_example_mapping_loads() -> None:
    mapping = load_mapping(ROOT / "examples" / "satisfaction.yaml")
    form = mapping.for_form("1SatisfactionExempleOgust2026")
    assert form.lookup == ["email"]
    assert form.fields["email"].required
    assert [s.name for s in form.fields["last_name"].steps] == ["trim", "upper"]


def test_unknown_form_is_a_rejected_submission() -> None:
    mapping = load_mapping(ROOT / "examples" / "satisfaction.yaml")
    with pytest.raises(SubmissionRejected, match="no mapping for form 'autre'"):
        mapping.for_form("autre")


BAD = """\
version: 1
forms:
  - form_id: f1
    lookup: [email, telephone]
    fields:
      email:
        answer: Adresse e-mail
        steps: [trim, lowr]
      nom_de_famille:
        answer: Nom
      comment:
        template: "Merci !"
      title:
        answer: Civilité
        value: Mme
"""


def test_every_problem_is_reported_with_its_line() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_mapping(BAD, name="bad.yaml")
    report = str(caught.value)
    assert "5 problem(s)" in report
    assert "bad.yaml:4: forms.0.lookup.1: lookup field 'telephone' is not mapped under fields" in report
    assert "bad.yaml:8: forms.0.fields.email.steps.1: unknown operation 'lowr'" in report
    assert "bad.yaml:12: forms.0.fields.comment.template: the template names no question" in report
    assert "bad.yaml:13: forms.0.fields.title: a field needs exactly one source" in report
    assert (
        "bad.yaml:9: forms.0.fields.nom_de_famille: unknown Ogust customer field 'nom_de_famille'" in report
    )


def test_lookup_must_be_a_mapped_field() -> None:
    text = "version: 1\nforms:\n  - form_id: f\n    lookup: mobile_phone\n    fields: {email: {answer: E}}\n"
    with pytest.raises(ConfigError, match="lookup field 'mobile_phone' is not mapped"):
        parse_mapping(text)


def test_invalid_yaml_names_the_line() -> None:
    with pytest.raises(ConfigError, match=r"m.yaml:4: not valid YAML"):
        parse_mapping("version: 1\nforms:\n  - form_id: [unclosed\n", name="m.yaml")


def test_missing_file_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="cannot read mapping file"):
        load_mapping(ROOT / "nope.yaml")


def test_wrong_version_and_duplicate_forms() -> None:
    text = (
        "version: 2\nforms:\n  - {form_id: f, lookup: email, fields: {email: {answer: E}}}\n"
        "  - {form_id: f, lookup: email, fields: {email: {answer: E}}}\n"
    )
    with pytest.raises(ConfigError) as caught:
        parse_mapping(text)
    assert "version" in str(caught.value)


def test_a_field_under_fields_and_on_create_is_refused() -> None:
    text = (
        "version: 1\nforms:\n  - form_id: f\n    lookup: email\n"
        "    fields:\n      email: {answer: E}\n      type: {value: C}\n    on_create:\n      type: P\n"
    )
    with pytest.raises(ConfigError, match="both under fields and on_create"):
        parse_mapping(text)
