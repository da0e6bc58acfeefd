"""Loading a mapping: valid files load; every problem is reported at once with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.errors import ConfigError, SubmissionRejected
from shared.mapping import load_mapping
from shared.mapping.load import MappingError, parse_mapping

ROOT = Path(__file__).resolve().parents[3]


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


def test_invalid_yaml_names_the_line_where_the_list_was_opened() -> None:
    with pytest.raises(
        ConfigError, match=r"m.yaml:3: not valid YAML: the list opened on this line is not closed"
    ):
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


ONE_FIELD = "version: 1\nforms:\n  - form_id: f\n    lookup: email\n    fields:\n      email:\n{}"


@pytest.mark.parametrize(
    ("body", "line", "says"),
    [
        (
            "        answer: Votre demande : un devis\n",
            7,
            "the title after 'answer:' contains ': ', which YAML reads as a new key; put the title in "
            'quotes: answer: "Votre demande : un devis"',
        ),
        (
            "        template: {{Nom}} {{Prénom}}\n",
            7,
            'put the template in quotes: template: "{{Nom}} {{Prénom}}"',
        ),
        ("        answer: @Nom\n", 7, "starts with '@', which YAML reads as a reserved character"),
        ("        answer: [Obligatoire] Nom\n", 7, 'put the title in quotes: answer: "[Obligatoire] Nom"'),
        ('        answer: "L\'âge" du client\n', 7, "answer: '\"L''âge\" du client'"),
        ("        answer: *Nom\n", 7, "which YAML reads as a reference (alias)"),
        ("\tanswer: E\n", 7, "this line contains a tab; YAML indents with spaces only"),
        (
            "        answer: E\n         steps: [trim]\n",
            8,
            "line 8 is indented more than the lines of the same block (9 spaces; line 7 has 8)",
        ),
        (
            "        answer: E\n       steps: [trim]\n",
            8,
            "line 8 is indented less than the lines of the same block (7 spaces; line 7 has 8)",
        ),
        (
            "        answer: E\n      last_name:\n          answer: Nom\n        steps: [trim]\n",
            9,
            "line 9 is indented more than the lines of the same block (10 spaces; line 10 has 8)",
        ),
        (
            '        answer: "Adresse e-mail\n        steps: [trim]\n',
            7,
            "the quote opened on this line is never",
        ),
        ("        answer: E\n        steps: [trim, lower\n", 8, "the list opened on this line is not closed"),
    ],
)
def test_yaml_errors_say_what_to_change_on_which_line(body: str, line: int, says: str) -> None:
    with pytest.raises(MappingError) as caught:
        parse_mapping(ONE_FIELD.format(body), name="m.yaml")
    assert str(caught.value).startswith(f"m.yaml:{line}: not valid YAML: ")
    assert says in str(caught.value)
    assert [p.line for p in caught.value.problems] == [line]
    assert "\n" not in str(caught.value)  # one line, never the parser's raw report


def test_a_list_key_among_list_items_is_explained() -> None:
    text = "version: 1\nforms:\n  - form_id: f\n  lookup: email\n"
    with pytest.raises(MappingError, match=r"m\.yaml:4: .*line 4 is a key among the '- ' items of a list"):
        parse_mapping(text, name="m.yaml")


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("      nom: {answer: Nom}\n", "unknown Ogust customer field 'nom' (did you mean 'last_name'?)"),
        ("      main_adress.city: {answer: Ville}\n", "(did you mean 'main_address.city'?)"),
        ("      code_postal: {answer: CP}\n", "(did you mean 'main_address.zip'?)"),
        ("      email: {answer: E, steps: [lowr]}\n", "unknown operation 'lowr' (did you mean 'lower'?)"),
        ("      email: {answer: E, steps: [majuscules]}\n", "(did you mean 'upper'?)"),
        ("      email: {anwser: E}\n", "unknown key 'anwser' (did you mean 'answer'?)"),
        ("      email: {answer: E, requried: true}\n", "unknown key 'requried' (did you mean 'required'?)"),
        (
            "      email: {answer: E, on_update: if-empty}\n",
            "'if-empty' is not one of overwrite, if_empty, append (did you mean 'if_empty'?)",
        ),
        (
            "      email: {answer: E, steps: [{phone: national, regon: BE}]}\n",
            "'phone' has no option regon (did you mean 'region'?)",
        ),
        ("      email: {answer: {id: 3, titel: E}}\n", "unknown key 'titel' (did you mean 'title'?)"),
    ],
)
def test_misspelt_names_get_a_did_you_mean(body: str, says: str) -> None:
    text = "version: 1\nforms:\n  - form_id: f\n    lookup: email\n    fields:\n      email: {answer: E}\n"
    replaces = body.startswith("      email")
    text = text.replace("      email: {answer: E}\n", body) if replaces else text + body
    with pytest.raises(MappingError) as caught:
        parse_mapping(text, name="m.yaml")
    assert says in str(caught.value)
    (problem,) = [p for p in caught.value.problems if says in p.message]
    assert problem.line == (6 if replaces else 7)
    assert problem.suggestion is not None


def test_a_mapping_saved_in_another_encoding_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "mapping.yaml"
    path.write_bytes("version: 1\n# Civilité\n".encode("cp1252"))
    with pytest.raises(ConfigError, match=r"mapping\.yaml is not UTF-8 text: save it as UTF-8$"):
        load_mapping(path)


def test_an_empty_mapping_and_a_control_character_are_explained_on_a_line() -> None:
    with pytest.raises(MappingError) as caught:
        parse_mapping("# rien encore\n", name="m.yaml")
    assert caught.value.problems[0].render("m.yaml") == (
        "m.yaml:1: the mapping is empty: it starts with `version: 1`, then `forms:`"
    )
    with pytest.raises(MappingError, match=r"^m\.yaml:2: not valid YAML: .*invisible control character"):
        parse_mapping("version: 1\nforms:\x07\n", name="m.yaml")


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("égal à", "equals"),
        ("equal", "equals"),
        ("différent de", "not_equals"),
        ("parmi", "in"),
        ("contient", "contains"),
        ("vide", "empty"),
        ("supérieur à", "greater_than"),
        ("<", "less_than"),
        ("anwser", "answer"),
    ],
)
def test_an_unknown_condition_operator_gets_the_one_meant_and_the_list(written: str, meant: str) -> None:
    text = (
        "version: 1\nforms:\n  - form_id: f\n    lookup: email\n"
        f'    skip_when: {{answer: Note, "{written}": "2"}}\n    fields:\n      email: {{answer: E-mail}}\n'
    )
    with pytest.raises(MappingError) as caught:
        parse_mapping(text, name="m.yaml")
    (problem,) = caught.value.problems
    assert problem.line == 5
    assert problem.suggestion == meant
    assert f"(did you mean '{meant}'?)" in problem.message
    assert "equals, not_equals, in, not_in, contains, empty, greater_than, less_than" in problem.message
