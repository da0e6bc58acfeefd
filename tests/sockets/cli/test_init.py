"""`forms-to-ogust init`: a draft mapping from a description file, from the form's edit link through the
(fake) Forms API, with the doctor's codes from the (sandbox) Ogust account; nothing overwritten."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from cli.doctor_access import create_codes
from cli.init_command import form_id_of, origin_label
from cli.main import main
from forms_sandbox import FormsSandbox, form_from_apps_script_export
from ogust_sandbox import Sandbox
from shared.errors import ConfigError
from shared.mapping import load_mapping, plan
from shared.webhook import parse_submission

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"
QUOTE_FORM = EXAMPLES / "quote-request-form.json"
EDIT_ID = "1ContactDevisExemple2026"


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.output


def test_init_writes_a_draft_that_validates_and_previews(tmp_path: Path) -> None:
    out = tmp_path / "devis.yaml"
    code, said = run("init", str(QUOTE_FORM), "--out", str(out))
    assert code == 0, said
    assert "last_name" in said
    assert "« Nom complet »" in said
    assert "TO CHECK: title: the answer(s) « Je préfère ne pas répondre »" in said
    code, said = run("validate", str(out), "--form", str(QUOTE_FORM))
    assert code == 0, said
    code, said = run(
        "preview", str(out), str(EXAMPLES / "submissions" / "quote-request" / "01-new-prospect.json")
    )
    assert code == 0, said
    assert "DE LA FONTAINE" in said
    assert "01000" in said
    assert "0698765432" in said


def test_init_never_replaces_a_mapping_without_force(tmp_path: Path) -> None:
    out = tmp_path / "mapping.yaml"
    out.write_text("# the agency's own mapping\n", encoding="utf-8")
    code, said = run("init", str(QUOTE_FORM), "--out", str(out))
    assert code == 1
    assert "exists" in said
    assert "--force" in said
    assert out.read_text(encoding="utf-8") == "# the agency's own mapping\n"
    code, _ = run("init", str(QUOTE_FORM), "--out", str(out), "--force")
    assert code == 0
    assert "form_id: 1ContactDevisExemple2026" in out.read_text(encoding="utf-8")


def test_init_reads_the_form_by_its_edit_link_through_the_forms_api(
    tmp_path: Path, forms_api: FormsSandbox
) -> None:
    forms_api.add_form(form_from_apps_script_export(json.loads(QUOTE_FORM.read_text(encoding="utf-8"))))
    out = tmp_path / "devis.yaml"
    link = f"https://docs.google.com/forms/d/{EDIT_ID}/edit#responses"
    code, said = run("init", link, "--out", str(out), env={"FORMS_API_ENDPOINT": forms_api.url})
    assert code == 0, said
    assert "the Forms API (form 1ContactDevisExemple2026)" in out.read_text(encoding="utf-8")
    mapping = load_mapping(out)
    payload = (EXAMPLES / "submissions" / "quote-request" / "01-new-prospect.json").read_bytes()
    values = plan(mapping.for_form(EDIT_ID), parse_submission(payload)).by_label()
    assert values["last_name"] == "DE LA FONTAINE"
    assert values["email"] == "jp.delafontaine@exemple.fr"


def test_init_names_a_form_the_forms_api_cannot_read(tmp_path: Path, forms_api: FormsSandbox) -> None:
    code, said = run(
        "init", "1FormulaireInconnuDeLAgence2027", "--out", str(tmp_path / "m.yaml"),
        env={"FORMS_API_ENDPOINT": forms_api.url},
    )  # fmt: skip
    assert code != 0
    assert "1FormulaireInconnuDeLAgence2027" in said
    assert not (tmp_path / "m.yaml").exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"https://docs.google.com/forms/d/{EDIT_ID}/edit", EDIT_ID),
        (f"https://docs.google.com/forms/u/0/d/{EDIT_ID}/edit?usp=sharing", EDIT_ID),
        (f"  {EDIT_ID} ", EDIT_ID),
    ],
)
def test_the_form_id_is_read_from_an_edit_link_or_given(text: str, expected: str) -> None:
    assert form_id_of(text) == expected


def test_a_respondents_link_is_refused_with_where_to_find_the_edit_link() -> None:
    with pytest.raises(ConfigError, match="link respondents use"):
        form_id_of("https://docs.google.com/forms/d/e/1FAIpQLSfExempleDeLienPublic/viewform")
    with pytest.raises(ConfigError, match="neither a form description file"):
        form_id_of("mon formulaire")


def test_init_with_ogust_keys_writes_the_doctors_codes(
    tmp_path: Path, sandbox: Sandbox, ogust_env: dict[str, str]
) -> None:
    out = tmp_path / "devis.yaml"
    code, said = run("init", str(QUOTE_FORM), "--out", str(out), "--ogust", env=ogust_env)
    assert code == 0, said
    mapping = load_mapping(out)
    (form,) = mapping.forms
    assert {name: rule.value for name, rule in form.on_create.items()} == {
        "type": "C",
        "exoneration": "D",
        "origin": "Formulaire Google",
    }
    assert form.on_create["origin"].ogust_list == "customer.origin"
    code, said = run("validate", str(out), "--form", str(QUOTE_FORM))
    assert code == 0
    assert "creates customers without" not in said
    assert sandbox.writes() == []  # the doctor only read the account


def test_the_origin_is_the_one_label_naming_the_form_never_the_first_of_several() -> None:
    assert origin_label({"1": "Bouche à oreille", "2": "Site internet", "3": "Formulaire Google"}) == (
        "Formulaire Google"
    )
    assert origin_label({"1": "Site internet", "2": "Prescripteur"}) == "Site internet"
    assert origin_label({"1": "Formulaire papier", "2": "Formulaire Google"}) == (
        "Formulaire papier",
        "Formulaire Google",
    )
    assert origin_label({"1": "Bouche à oreille"}) is None


def _report(*checks: tuple[str, str, dict[str, object]]) -> SimpleNamespace:
    return SimpleNamespace(checks=[SimpleNamespace(id=i, verdict=v, details=d) for i, v, d in checks])


def test_the_accounts_own_codes_win_over_the_usual_ones() -> None:
    report = _report(
        ("create-fields", "warning", {"missing": ["type", "exoneration"]}),
        ("codes", "ok", {"prospectType": "P", "clientType": "C", "exonerations": {"N": 12, "D": 3}}),
    )
    assert create_codes(report, "Demande de devis")[0] == {"type": "P", "exoneration": "N"}
    assert create_codes(report, "Inscription aux services")[0] == {"type": "C", "exoneration": "N"}
    usual, notes = create_codes(
        _report(("create-fields", "warning", {"missing": ["type", "exoneration"]})), "Avis"
    )
    assert usual == {"type": "C", "exoneration": "D"}
    assert any("--write-test" in note for note in notes)
    assert create_codes(_report(("create-fields", "ok", {"missing": []})), "Avis")[0] == {}
