"""`forms-to-ogust validate` and `preview`, as a person and a script use them."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from cli.main import main
from ogust_sandbox import Sandbox

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"

FIVE_MISTAKES = """\
version: 1
forms:
  - form_id: 1SatisfactionExempleOgust2026
    lookup: [email, telephone]
    fields:
      email:
        answer: Adresse e-mail
        steps: [trim, lowr]
      nom:
        answer: Nom
      comment:
        template: "Note {{@note}}"
      first_name:
        answer: Prénom
        steps:
          - date: "%d/%m/%Y"
            input: ["JJ/MM/AAAA"]
      title:
        answer: Civilité
        steps:
          - replace: {"(": ""}
            regex: true
"""


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.output


def test_validate_reports_five_mistakes_with_lines_and_fails(tmp_path: Path) -> None:
    path = tmp_path / "mapping.yaml"
    path.write_text(FIVE_MISTAKES)
    code, out = run("validate", str(path))
    assert code == 1
    for expected in (
        ":4: forms.0.lookup.1: lookup field 'telephone' is not mapped",
        ":8: forms.0.fields.email.steps.1: unknown operation 'lowr'",
        ":9: forms.0.fields.nom: unknown Ogust customer field 'nom'",
        ":12: forms.0.fields.comment.template: unknown template value '{{@note}}'",
        ":16: forms.0.fields.first_name.steps.0: 'date': input date format 'JJ/MM/AAAA' has no % directive",
        ":21: forms.0.fields.title.steps.0: '(' is not a valid regular expression",
    ):
        assert expected in out
    assert "6 error(s)" in out


def test_validate_with_form_passes_and_says_so() -> None:
    code, out = run(
        "validate", str(EXAMPLES / "satisfaction.yaml"), "--form", str(EXAMPLES / "satisfaction-form.json")
    )
    assert code == 0
    assert "valid (1 form(s), 9 field(s))" in out


def test_validate_json_for_scripts_has_the_file_and_line_of_every_finding(tmp_path: Path) -> None:
    path = tmp_path / "mapping.yaml"
    path.write_text(FIVE_MISTAKES)
    code, out = run("validate", str(path), "--json")
    data = json.loads(out)
    assert (code, data["ok"], len(data["findings"])) == (1, False, 6)
    assert [(f["file"], f["line"]) for f in data["findings"]] == [
        (str(path), line) for line in (4, 8, 9, 12, 16, 21)
    ]
    step = data["findings"][1]
    assert (step["path"], step["field"], step["suggestion"]) == (
        "forms.0.fields.email.steps.1",
        "email",
        "lower",
    )
    assert step["message"] == "unknown operation 'lowr' (did you mean 'lower'?)"


def test_validate_explains_an_unquoted_title_in_the_users_terms(tmp_path: Path) -> None:
    path = tmp_path / "mapping.yaml"
    path.write_text(
        "version: 1\nforms:\n  - form_id: f\n    lookup: email\n    fields:\n      email: {answer: E}\n"
        "      origin:\n        answer: Comment nous avez-vous connus : bouche à oreille ?\n",
        encoding="utf-8",
    )
    code, out = run("validate", str(path))
    assert code == 1
    assert (
        f"{path}:8: not valid YAML: the title after 'answer:' contains ': ', which YAML reads as a new key; "
        'put the title in quotes: answer: "Comment nous avez-vous connus : bouche à oreille ?"'
    ) in out


def test_preview_offline_shows_the_values() -> None:
    code, out = run(
        "preview", str(EXAMPLES / "satisfaction.yaml"), str(EXAMPLES / "submissions" / "01-new-customer.json")
    )
    assert code == 0
    assert "mobile_phone" in out
    assert "0612345678" in out
    assert "lookup: email=marie-helene.darnoux@exemple.fr" in out


def test_preview_of_a_rejected_submission_names_the_field(tmp_path: Path) -> None:
    data = json.loads((EXAMPLES / "submissions" / "01-new-customer.json").read_text())
    data["answers"][4]["value"] = "06 12"
    path = tmp_path / "sub.json"
    path.write_text(json.dumps(data))
    code, out = run("preview", str(EXAMPLES / "satisfaction.yaml"), str(path), "--json")
    assert code == 1
    assert json.loads(out)["field"] == "mobile_phone"


def test_preview_with_ogust_diffs_an_existing_customer_and_writes_nothing(
    sandbox: Sandbox, ogust_env: dict[str, str]
) -> None:
    customer_id = sandbox.seed_customer(
        {
            "email": "marie-helene.darnoux@exemple.fr",
            "last_name": "D'ARNOUX",
            "first_name": "Marie-Hélène",
            "mobile_phone": "0699999999",
            "main_address": {"line": "12, rue de l'Église", "zip": "94240", "city": "L'HAŸ-LES-ROSES"},
        }
    )
    args = [
        "preview",
        str(EXAMPLES / "satisfaction.yaml"),
        str(EXAMPLES / "submissions" / "01-new-customer.json"),
    ]
    code, out = run(*args, "--ogust", env=ogust_env)
    assert code == 0
    assert f"UPDATE customer #{customer_id}" in out
    for line in ("- D'ARNOUX", "+ D'ARNOUX-LEFÈVRE", "- 0699999999", "+ 0612345678"):
        assert line in out
    code, out = run(*args, "--ogust", "--json", env=ogust_env)
    rows = {r["field"]: r for r in json.loads(out)["fields"]}
    assert rows["first_name"]["change"] == "same"
    assert rows["last_name"] == {
        "field": "last_name",
        "current": "D'ARNOUX",
        "new": "D'ARNOUX-LEFÈVRE",
        "change": "set",
    }
    assert sandbox.writes() == []
    assert sandbox.calls()["setCustomer"] == 0


def test_preview_with_ogust_for_a_new_person_says_create(sandbox: Sandbox, ogust_env: dict[str, str]) -> None:
    args = [
        "preview",
        str(EXAMPLES / "satisfaction.yaml"),
        str(EXAMPLES / "submissions" / "03-another-person.json"),
    ]
    code, out = run(*args, "--ogust", env=ogust_env)
    assert (code, out.splitlines()[0].split()[0]) == (0, "CREATE")
    assert sandbox.writes() == []


def test_preview_with_ogust_needs_the_keys() -> None:
    args = [
        "preview",
        str(EXAMPLES / "satisfaction.yaml"),
        str(EXAMPLES / "submissions" / "03-another-person.json"),
    ]
    code, _ = run(
        *args, "--ogust", env={"OGUST_API_URL": "", "OGUST_PUBLIC_KEY": "", "OGUST_PRIVATE_KEY": ""}
    )
    assert code == 3


def test_preview_warns_about_a_mapped_question_the_submission_lacks(tmp_path: Path) -> None:
    mapping = tmp_path / "satisfaction.yaml"
    text = (EXAMPLES / "satisfaction.yaml").read_text(encoding="utf-8")
    mapping.write_text(text.replace("answer: {id: 1008, title: Ville}", "answer: Vile"), encoding="utf-8")
    sub = str(EXAMPLES / "submissions" / "01-new-customer.json")
    result = CliRunner().invoke(main, ["preview", str(mapping), sub])
    assert result.exit_code == 0
    assert result.stderr.startswith(
        f"warning {mapping}:37: question 'Vile' (field main_address.city) is not in the submission "
        "01-new-customer.json (an unanswered choice question is left out too): the field gets no value "
        "from it (did you mean 'Ville'?)"
    )
    assert "main_address.city" not in result.stdout
    data = json.loads(CliRunner().invoke(main, ["preview", str(mapping), sub, "--json"]).stdout)
    (warning,) = data["warnings"]
    assert (warning["file"], warning["line"], warning["field"]) == (str(mapping), 37, "main_address.city")


def test_preview_json_of_an_invalid_mapping_lists_the_findings_with_lines(tmp_path: Path) -> None:
    path = tmp_path / "mapping.yaml"
    path.write_text(FIVE_MISTAKES)
    sub = str(EXAMPLES / "submissions" / "01-new-customer.json")
    result = CliRunner().invoke(main, ["preview", str(path), sub, "--json"])
    data = json.loads(result.stdout)
    assert (result.exit_code, data["action"], len(data["findings"])) == (1, "invalid mapping", 6)
    assert all(f["line"] for f in data["findings"])
