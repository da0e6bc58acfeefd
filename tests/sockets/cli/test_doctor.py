"""`forms-to-ogust doctor` against the sandbox in each strict mode: its verdicts, its recommended
settings, and the write test (docs/ogust-api.md §9)."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from ogust_sandbox import Modes, Sandbox
from ogust_sandbox.modes import USUAL_REQUIRED
from shared.ogust._options import DEFAULT_TOKEN_ERROR_PATTERN
from tests.support.doctor import DEFAULT_SETTINGS, QUOTE, check, doctor, env_of, seed

COMPLETE = """\
version: 1
forms:
  - name: Demande de devis
    form_id: 1ContactDevisExemple2026
    lookup: email
    fields:
      last_name: {answer: Nom, steps: [upper], required: true}
      first_name: {answer: Prénom, steps: [title_case]}
      email: {answer: E-mail, steps: [email], required: true}
      mobile_phone: {answer: Téléphone, steps: [phone]}
      main_address.line: {answer: Adresse}
      main_address.zip: {answer: Code postal, steps: [postal_code]}
      main_address.city: {answer: Ville, steps: [trim, upper]}
      comment: {template: "Demande : {{Services}}"}
%(extra_fields)s
    on_create:
      type: C
      exoneration: D
      origin: {value: Formulaire Google, ogust_list: customer.origin}
%(custom)s
"""


def mapping_file(tmp_path: Path, extra_fields: str = "", custom: str = "", body: str | None = None) -> Path:
    path = tmp_path / "mapping.yaml"
    path.write_text(body if body is not None else COMPLETE % {"extra_fields": extra_fields, "custom": custom})
    return path


def verdict(report: dict[str, Any], check_id: str) -> str:
    (found,) = {c["verdict"] for c in report["checks"] if c["id"] == check_id}
    return str(found)


def doctor_on_account(sandbox: Sandbox, *args: str, **modes: Any) -> tuple[int, dict[str, Any]]:
    """The doctor on the seeded sandbox in `modes`: an account that behaves in one of the ways a real
    one might."""
    seed(sandbox)
    sandbox.set_modes(**modes)
    return doctor(sandbox, *args)


# --- the loose default sandbox -------------------------------------------------------------------


def test_default_sandbox_can_run_the_example_and_nothing_is_written(sandbox: Sandbox, tmp_path: Path) -> None:
    seed(sandbox)
    code, report = doctor(sandbox, "--mapping", str(QUOTE))
    assert code == 0
    assert report["ok"] is True
    for check_id in ("token", "ko-texts", "search-shape", "search-status", "page-size", "paging", "lists"):
        assert verdict(report, check_id) == "ok", check_id
    assert verdict(report, "search-matching") == "ok"
    assert "contains (loose), case-insensitive" in check(report, "search-matching")["summary"]
    assert verdict(report, "create-fields") == "ok"  # the example sends type and exoneration on create
    assert report["settings"] == DEFAULT_SETTINGS
    assert report["changedSettings"] == {}
    assert sandbox.writes() == []
    assert sandbox.calls()["setCustomer"] == 0
    # Without its on_create block, a real account would likely refuse the example's creates.
    code, report = doctor(sandbox, "--mapping", str(without_on_create(tmp_path)))
    assert verdict(report, "create-fields") == "warning"
    assert "on_create: {type: C, exoneration: D}" in check(report, "create-fields")["fix"][0]


def test_text_report_has_one_line_per_check_and_the_settings_to_paste(sandbox: Sandbox) -> None:
    seed(sandbox)
    sandbox.set_modes(page_size_cap=2)
    result = CliRunner().invoke(main, ["doctor", "--mapping", str(QUOTE)], env=env_of(sandbox))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert any(re.match(r"^ok +token +getToken accepted", line) for line in lines)
    assert any(re.match(r"^warning +page-size +Ogust serves at most 2", line) for line in lines)
    assert any("fix: set OGUST_PAGE_SIZE=2" in line for line in lines)
    assert "OGUST_PAGE_SIZE=2" in lines
    assert "OGUST_BODY_ENCODING=json" in lines
    assert lines[-1] == "ok: the mapping can run on this account"


def test_without_mapping_only_the_account_is_checked(sandbox: Sandbox) -> None:
    seed(sandbox)
    code, report = doctor(sandbox)
    assert code == 0
    assert {c["id"] for c in report["checks"]} == {
        "token",
        "ko-texts",
        "search-shape",
        "search-status",
        "page-size",
        "paging",
        "lookup-filters",
        "search-matching",
        "codes",
    }


# --- getToken variants ---------------------------------------------------------------------------


def test_utc_only_account_recommends_utc(sandbox: Sandbox) -> None:
    code, report = doctor_on_account(sandbox, "--mapping", str(QUOTE), signing_clock="utc")
    assert code == 1
    token = check(report, "token")
    assert token["verdict"] == "failed"
    assert token["fix"] == ["set OGUST_TOKEN_TIMEZONE=UTC"]
    assert "JSON body, UTC time" in token["details"]["accepted"]
    assert report["changedSettings"] == {"OGUST_TOKEN_TIMEZONE": "UTC"}
    assert verdict(report, "search-shape") == "ok"  # the other checks ran with the working variant
    code, report = doctor(sandbox, "--mapping", str(QUOTE), **report["changedSettings"])
    assert (code, verdict(report, "token")) == (0, "ok")


def test_paris_only_account_when_utc_is_configured(sandbox: Sandbox) -> None:
    sandbox.set_modes(signing_clock="paris")
    code, report = doctor(sandbox, OGUST_TOKEN_TIMEZONE="UTC")
    assert code == 1
    assert report["changedSettings"] == {"OGUST_TOKEN_TIMEZONE": "Europe/Paris"}


def test_form_body_only_account_recommends_form(sandbox: Sandbox) -> None:
    code, report = doctor_on_account(sandbox, "--mapping", str(QUOTE), body="form")
    assert code == 1
    assert check(report, "token")["fix"] == ["set OGUST_BODY_ENCODING=form"]
    assert report["changedSettings"] == {"OGUST_BODY_ENCODING": "form"}
    assert verdict(report, "lists") == "ok"


def test_refused_keys_stop_the_account_checks_and_name_no_key(sandbox: Sandbox) -> None:
    code, report = doctor(
        sandbox, "--write-test", "--mapping", str(QUOTE), OGUST_PRIVATE_KEY="FEDCBA9876543210"
    )
    assert code == 1
    token = check(report, "token")
    assert token["verdict"] == "failed"
    assert "Signature invalide" in token["summary"]
    assert any("OGUST_PUBLIC_KEY" in fix for fix in token["fix"])
    assert "search-shape" not in {c["id"] for c in report["checks"]}
    assert "FEDCBA9876543210" not in json.dumps(report)
    assert sandbox.calls()["setCustomer"] == 0  # no write test without a token


# --- KO texts ------------------------------------------------------------------------------------


def test_ko_with_http_500_is_a_warning(sandbox: Sandbox) -> None:
    code, report = doctor_on_account(sandbox, ko_status=500)
    ko = check(report, "ko-texts")
    assert ko["verdict"] == "warning"
    assert ko["details"]["unknownMethod"]["http"] == 500
    assert code == 0


def test_unknown_token_text_gets_a_pattern_that_tells_it_from_other_kos(sandbox: Sandbox) -> None:
    code, report = doctor_on_account(
        sandbox, token_refused_text="Session API n°1234 fermée, reconnectez-vous"
    )
    assert code == 1
    assert verdict(report, "ko-texts") == "failed"
    pattern = report["changedSettings"]["OGUST_TOKEN_ERROR_PATTERN"]
    assert re.search(pattern, "Session API n°98 fermée, reconnectez-vous", re.IGNORECASE)
    assert not re.search(pattern, "Méthode inconnue : getFormsToOgustDoctor", re.IGNORECASE)
    assert not re.search(pattern, "Le champ token_ref est invalide", re.IGNORECASE)
    # What the doctor prints, set as it says, passes.
    code, report = doctor(sandbox, OGUST_TOKEN_ERROR_PATTERN=pattern)
    assert (code, verdict(report, "ko-texts")) == (0, "ok")


def test_a_pattern_that_also_matches_data_kos_fails(sandbox: Sandbox) -> None:
    seed(sandbox)
    code, report = doctor(sandbox, OGUST_TOKEN_ERROR_PATTERN="invalide|inconnu")
    assert code == 1
    ko = check(report, "ko-texts")
    assert ko["verdict"] == "failed"
    assert "also matches" in ko["summary"]
    assert DEFAULT_TOKEN_ERROR_PATTERN in report["settings"]["OGUST_TOKEN_ERROR_PATTERN"]


# --- search shapes, status, page size ------------------------------------------------------------


def test_shapes_null_list_and_missing_address_id_are_reported(sandbox: Sandbox) -> None:
    code, report = doctor_on_account(
        sandbox, empty_as_null=True, result_as_list=True, search_without_address_id=True
    )
    shape = check(report, "search-shape")
    assert shape["verdict"] == "warning"
    assert (shape["details"]["result"], shape["details"]["emptyValues"], shape["details"]["addressId"]) == (
        "list",
        "null",
        False,
    )
    assert "id_address" in shape["fix"][0]
    assert code == 0


def test_default_sandbox_shapes(sandbox: Sandbox) -> None:
    seed(sandbox)
    _, report = doctor(sandbox)
    details = check(report, "search-shape")["details"]
    assert (details["result"], details["count"], details["nbperpage"], details["emptyValues"]) == (
        "object",
        "number",
        "string",
        '""',
    )
    assert "main_address" in details["recordKeys"]


def test_empty_account_is_unknown_and_gives_no_advice_from_what_it_could_not_probe(
    sandbox: Sandbox,
) -> None:
    code, report = doctor(sandbox, "--mapping", str(QUOTE))
    assert code == 0
    assert verdict(report, "search-shape") == "warning"
    for check_id in ("search-status", "page-size", "paging", "lookup-filters", "search-matching", "codes"):
        assert verdict(report, check_id) == "unknown", check_id
    assert "OGUST_PAGE_SIZE" not in report["settings"]
    assert report["unverified"] == [
        "search-status",
        "page-size",
        "paging",
        "lookup-filters",
        "search-matching",
        "codes",
    ]
    result = CliRunner().invoke(main, ["doctor", "--mapping", str(QUOTE)], env=env_of(sandbox))
    lines = result.stdout.splitlines()
    assert not any(line.startswith("OGUST_PAGE_SIZE=") for line in lines)
    assert "(not measured on this account, no advice: OGUST_PAGE_SIZE)" in lines
    assert lines[-2] == (
        "unverified (could not be probed on this account; the first real answers will tell): "
        "search-status, page-size, paging, lookup-filters, search-matching, codes"
    )
    assert lines[-1].startswith("ok so far: nothing failed")


def test_status_required_recommends_status_a(sandbox: Sandbox) -> None:
    code, report = doctor_on_account(sandbox, "--mapping", str(QUOTE), search_status="required")
    assert code == 1
    status = check(report, "search-status")
    assert status["verdict"] == "failed"
    assert "Le paramètre status est obligatoire" in status["summary"]
    assert report["changedSettings"] == {"OGUST_SEARCH_STATUS": "A"}
    assert verdict(report, "search-matching") == "ok"  # probed with status=A
    code, _ = doctor(sandbox, "--mapping", str(QUOTE), OGUST_SEARCH_STATUS="A")
    assert code == 0


def test_account_hiding_inactive_customers_is_a_warning(sandbox: Sandbox) -> None:
    seed(sandbox)
    sandbox.seed_customer({"last_name": "Ancien-Client", "status": "S"})
    sandbox.set_modes(search_status="active_only")
    code, report = doctor(sandbox)
    status = check(report, "search-status")
    assert status["verdict"] == "warning"
    assert "active customers only" in status["summary"]
    assert status["details"] == {"withoutStatus": 3, "statusA": 3, "statusNotA": 1}
    assert code == 0


def test_status_a_configured_but_not_needed_hides_former_customers(sandbox: Sandbox) -> None:
    seed(sandbox)
    sandbox.seed_customer({"last_name": "Ancien-Client", "status": "S"})
    code, report = doctor(sandbox, OGUST_SEARCH_STATUS="A")
    assert verdict(report, "search-status") == "warning"
    assert report["changedSettings"] == {"OGUST_SEARCH_STATUS": ""}
    assert code == 0


@pytest.mark.parametrize("offset", ["capped", "asked"])
def test_page_size_cap_is_found_and_recommended(sandbox: Sandbox, offset: str) -> None:
    seed(sandbox, n=30)
    sandbox.set_modes(page_size_cap=20, page_offset=offset)
    code, report = doctor(sandbox)
    page = check(report, "page-size")
    assert page["verdict"] == "warning"
    assert page["details"] == {"asked": 100, "given": 20, "count": 30}
    assert report["changedSettings"] == {"OGUST_PAGE_SIZE": "20"}
    assert verdict(report, "paging") == "ok"
    assert code == 0


def test_server_ignoring_pagenum_fails_paging(sandbox: Sandbox) -> None:
    seed(sandbox)
    page = {
        "status": "OK",
        "array_customer": {
            "pagination": {"count": 3, "nbperpage": 1, "pagenum": 1},
            "result": {"0": {"id_customer": "344563872", "last_name": "Lefèvre"}},
        },
    }
    # The doctor asks: shape, 3 status counts, the page size, then paging pages 1 and 2.
    for _ in range(7):
        sandbox.inject_raw(json.dumps(page), method="searchCustomer")
    code, report = doctor(sandbox)
    assert check(report, "paging")["summary"].startswith("page 2 returned the same customer")
    assert code == 1


# --- how searches match --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("match", "kind", "expected"),
    [
        ("contains", "contains (loose), case-insensitive", "ok"),
        ("like", "LIKE (% wildcard), case-insensitive", "ok"),
        ("exact", "exact, case-insensitive", "ok"),
        ("case_sensitive", "exact, case-sensitive", "warning"),
    ],
)
def test_search_matching_in_each_mode(sandbox: Sandbox, match: str, kind: str, expected: str) -> None:
    code, report = doctor_on_account(sandbox, search_match=match)
    matching = check(report, "search-matching")
    assert kind in matching["summary"]
    assert matching["verdict"] == expected
    if expected == "warning":
        assert "case-sensitive" in matching["fix"][0]
    assert code == 0


def test_phone_stored_with_spaces_is_found_by_the_lookups_second_spelling(sandbox: Sandbox) -> None:
    seed(sandbox, mobile_phone="06 12 34 56 78")
    sandbox.set_modes(search_match="exact")
    _, report = doctor(sandbox)
    matching = check(report, "search-matching")
    details = matching["details"]
    assert (details["phoneDigitsOnly"], details["phoneWithSpaces"], details["phoneLookup"]) == (
        False,
        True,
        True,
    )
    assert matching["verdict"] == "ok"


def test_phone_stored_with_dots_is_a_warning_for_phone_lookups(sandbox: Sandbox) -> None:
    seed(sandbox, mobile_phone="06.12.34.56.78")
    sandbox.set_modes(search_match="exact")
    _, report = doctor(sandbox)
    matching = check(report, "search-matching")
    assert matching["verdict"] == "warning"
    assert matching["details"]["phoneLookup"] is False
    assert "look up by e-mail first" in matching["fix"][0]
    # How the number is written is shown, the customer's number is not.
    assert "'06.**.**.**.78'" in matching["summary"]
    assert "06.12.34.56.78" not in json.dumps(report)


# --- what the mapping needs ----------------------------------------------------------------------


def test_a_label_missing_from_an_ogust_list_fails_and_lists_the_labels(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    seed(sandbox)
    body = QUOTE.read_text(encoding="utf-8").replace("value: Formulaire Google", "value: Salon des seniors")
    code, report = doctor(sandbox, "--mapping", str(mapping_file(tmp_path, body=body)))
    lists = check(report, "lists")
    assert lists["verdict"] == "failed"
    assert "origin: 'Salon des seniors' is neither a label nor a code" in lists["summary"]
    assert "'Formulaire Google'" in lists["fix"][0]
    assert code == 1


def test_an_unknown_list_key_fails(sandbox: Sandbox, tmp_path: Path) -> None:
    seed(sandbox)
    body = QUOTE.read_text(encoding="utf-8").replace(
        "ogust_list: customer.origin", "ogust_list: customer.origine"
    )
    code, report = doctor(sandbox, "--mapping", str(mapping_file(tmp_path, body=body)))
    assert "Liste inconnue : customer.origine" in check(report, "lists")["summary"]
    assert code == 1


def test_on_create_list_codes_are_checked_too(sandbox: Sandbox, tmp_path: Path) -> None:
    seed(sandbox)
    path = mapping_file(
        tmp_path,
        body=(COMPLETE % {"extra_fields": "", "custom": ""}).replace(
            "      origin: {value: Formulaire Google, ogust_list: customer.origin}\n",
            "      manager: '302007679'\n",
        ),
    )
    _, report = doctor(sandbox, "--mapping", str(path))
    assert "manager: '302007679' is neither a label nor a code" in check(report, "lists")["summary"]


def test_custom_field_codes_found_or_not(sandbox: Sandbox, tmp_path: Path) -> None:
    seed(sandbox)
    sandbox.service.store.third_party[("C", sandbox.customers()[0]["id_customer"])] = {"NIVEAU": "GIR 4"}
    custom = "    custom_fields:\n      NIVEAU: {answer: Niveau}\n"
    _, report = doctor(sandbox, "--mapping", str(mapping_file(tmp_path, custom=custom)))
    assert verdict(report, "custom-fields") == "ok"
    custom = "    custom_fields:\n      NIVEAUX: {answer: Niveau}\n"
    _, report = doctor(sandbox, "--mapping", str(mapping_file(tmp_path, custom=custom)))
    missing = check(report, "custom-fields")
    assert missing["verdict"] == "warning"
    assert "NIVEAUX" in missing["summary"]


def test_a_date_of_birth_not_in_ogust_format_is_a_warning(sandbox: Sandbox, tmp_path: Path) -> None:
    seed(sandbox)
    extra = '      date_of_birth: {answer: Date de naissance, steps: [{date: "%d/%m/%Y"}]}\n'
    _, report = doctor(sandbox, "--mapping", str(mapping_file(tmp_path, extra_fields=extra)))
    assert verdict(report, "dates") == "warning"
    extra = "      date_of_birth: {answer: Date de naissance, steps: [{date: ogust}]}\n"
    _, report = doctor(sandbox, "--mapping", str(mapping_file(tmp_path, extra_fields=extra)))
    assert verdict(report, "dates") == "ok"


def test_a_compared_field_ogust_never_returns_is_a_warning(sandbox: Sandbox, tmp_path: Path) -> None:
    _, report = doctor_on_account(
        sandbox, "--mapping", str(mapping_file(tmp_path)), write_only=["exoneration", "comment"]
    )
    returned = check(report, "returned-fields")
    assert returned["verdict"] == "warning"
    assert "comment never appear" in returned["summary"]
    assert "write_only: true" in returned["fix"][0]


# --- the write test ------------------------------------------------------------------------------


def without_on_create(tmp_path: Path) -> Path:
    """The quote request as it would be without its on_create block."""
    bare = tmp_path / "sans-on-create.yaml"
    text = QUOTE.read_text(encoding="utf-8")
    bare.write_text(text[: text.index("    on_create:")], encoding="utf-8")
    return bare


def test_write_test_names_each_missing_field_and_the_on_create_line(sandbox: Sandbox, tmp_path: Path) -> None:
    args = ("--write-test", "--mapping", str(without_on_create(tmp_path)))
    code, report = doctor_on_account(sandbox, *args, required_on_create=list(USUAL_REQUIRED))
    assert code == 1
    write = check(report, "write-test")
    assert write["verdict"] == "failed"
    assert "«Le champ type est obligatoire»" in write["summary"]
    assert "«Le champ exoneration est obligatoire»" in write["summary"]
    assert write["fix"][0] == (
        "form 'Demande de devis' (1ContactDevisExemple2026): on_create: {type: C, exoneration: D}"
    )
    created = [
        w for w in sandbox.writes() if w["method"] == "setCustomer" and "id_customer" not in w["params"]
    ]
    assert len(created) == 1  # ONE test customer; the refused attempts applied nothing
    assert created[0]["params"]["last_name"].startswith("TEST FORMS-TO-OGUST ")
    assert len(sandbox.customers()) == 4  # the three seeded and the test customer
    assert report["testCustomer"]["id"] == write["details"]["customerId"]
    assert verdict(report, "lookup") == "ok"


def test_write_test_of_a_complete_mapping_passes_and_reads_everything_back(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    seed(sandbox)
    sandbox.set_modes(Modes.realistic())  # every docs/ogust-api.md §9 risk at once
    custom = "    custom_fields:\n      NIVEAU: {answer: Niveau}\n"
    code, report = doctor(sandbox, "--write-test", "--mapping", str(mapping_file(tmp_path, custom=custom)))
    assert verdict(report, "write-test") == "ok"
    back = check(report, "read-back")
    assert back["verdict"] == "ok"
    rows = {r["field"]: r["result"] for r in back["details"]["fields"]}
    assert rows["exoneration"] == "not returned (write-only: expected)"
    assert rows["origin"] == rows["main_address.city"] == rows["custom.NIVEAU"] == "same"
    assert verdict(report, "lookup") == "ok"
    assert code == 0
    (customer,) = [c for c in sandbox.customers() if c["last_name"].startswith("TEST FORMS-TO-OGUST")]
    assert (customer["type"], customer["exoneration"], customer["origin"]) == ("C", "D", "253195737")
    assert sandbox.third_party_values(customer["id_customer"]) == {"NIVEAU": "TEST"}


def test_write_test_reports_a_field_ogust_does_not_return(sandbox: Sandbox, tmp_path: Path) -> None:
    args = ("--write-test", "--mapping", str(mapping_file(tmp_path)))
    _, report = doctor_on_account(sandbox, *args, write_only=["exoneration", "comment"])
    back = check(report, "read-back")
    assert back["verdict"] == "warning"
    assert back["fix"] == ["comment: Ogust does not return it: mark it `write_only: true` in the mapping"]


def test_write_test_refused_for_an_unknown_reason_names_ogust_words(sandbox: Sandbox) -> None:
    seed(sandbox)
    sandbox.inject_ko("Le champ Catégorie fiscale est obligatoire", count=5, method="setCustomer")
    code, report = doctor(sandbox, "--write-test", "--mapping", str(QUOTE))
    write = check(report, "write-test")
    assert write["verdict"] == "failed"
    assert any("«Catégorie fiscale»" in fix and "on_create" in fix for fix in write["fix"])
    assert sandbox.writes() == []
    assert code == 1


def test_write_test_unanswered_create_is_never_repeated(sandbox: Sandbox) -> None:
    seed(sandbox)
    sandbox.inject_status(503, count=5, method="setCustomer", apply=True)
    code, report = doctor(sandbox, "--write-test", "--mapping", str(QUOTE))
    write = check(report, "write-test")
    assert "MAY have created" in write["summary"]
    assert sandbox.calls()["setCustomer"] == 1
    assert code == 1


# --- could not run, terraform --------------------------------------------------------------------


def test_missing_settings_could_not_run(sandbox: Sandbox) -> None:
    result = CliRunner().invoke(main, ["doctor", "--json"], env=env_of(sandbox, OGUST_PUBLIC_KEY=""))
    assert result.exit_code == 3
    assert "OGUST_PUBLIC_KEY" in json.loads(result.stdout)["couldNotRun"]


def test_unreachable_ogust_could_not_run(sandbox: Sandbox) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    code, report = doctor(sandbox, OGUST_API_URL=f"http://127.0.0.1:{port}/api/v2/apiogust.php")
    assert code == 3
    assert report["couldNotRun"].startswith("Ogust did not answer")


def test_terraform_lines_for_the_variables_infra_declares(
    sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(sandbox, n=5)
    sandbox.set_modes(page_size_cap=2)
    (tmp_path / "infra" / "terraform").mkdir(parents=True)
    (tmp_path / "infra" / "terraform" / "variables.tf").write_text('variable "ogust_page_size" {\n}\n')
    monkeypatch.chdir(tmp_path)
    _, report = doctor(sandbox)
    assert report["terraform"] == {"ogust_page_size": "2"}


def test_first_run_doc_explains_every_check() -> None:
    root = Path(__file__).resolve().parents[3]
    sources = " ".join(p.read_text(encoding="utf-8") for p in (root / "shared" / "doctor").glob("*.py"))
    ids = set(re.findall(r'Check\(\s*"([a-z-]+)"', sources))
    doc = (root / "docs" / "first-run.md").read_text(encoding="utf-8")
    explained = set(re.findall(r"^### ([a-z-]+)$", doc, re.MULTILINE))
    assert len(ids) >= 14
    assert ids == explained


# --- the unknowns of a first real run, second pass: one strict mode each ---------------------------


def test_codes_of_an_account_seeded_with_prospects_and_clients_are_named(sandbox: Sandbox) -> None:
    sandbox.set_modes(prospect_type="R")
    seed(sandbox, type="C", title="Mme")
    sandbox.seed_customer({"last_name": "Ménard", "first_name": "Loïc", "type": "R", "title": "M."})
    sandbox.seed_customer({"last_name": "N'Diaye", "first_name": "Aïssatou", "type": "R", "title": "Mme"})
    code, report = doctor(sandbox, "--mapping", str(QUOTE))
    codes = check(report, "codes")
    assert codes["details"]["prospectType"] == "R"
    assert codes["details"]["clientType"] == "C"
    assert "prospects: type R (codes 00…)" in codes["summary"]
    assert "clients: type C (codes CLI…)" in codes["summary"]
    assert "a form creating prospects: on_create: {type: R}" in codes["fix"]
    assert "a form creating clients: on_create: {type: C}" in codes["fix"]
    # The example's guess P is no type of this account: said, not silently accepted.
    assert codes["verdict"] == "warning"
    assert any("type 'P' is not a type of this account's customers (C, R)" in fix for fix in codes["fix"])
    assert code == 0


def test_codes_say_plainly_when_the_prospect_code_cannot_be_told(sandbox: Sandbox) -> None:
    seed(sandbox, type="C")
    _, report = doctor(sandbox)
    codes = check(report, "codes")
    assert codes["verdict"] == "unknown"
    assert "prospect type: could not tell" in codes["summary"]
    assert "codes" in report["unverified"]


def test_an_ignored_phone_filter_is_reported_and_recommended(sandbox: Sandbox) -> None:
    code, report = doctor_on_account(sandbox, "--mapping", str(QUOTE), ignored_filters=["mobile_phone"])
    filters = {c["details"]["key"]: c for c in report["checks"] if c["id"] == "lookup-filters"}
    assert filters["email"]["verdict"] == "ok"
    phone = filters["mobile_phone"]
    assert phone["verdict"] == "failed"
    assert "Ogust ignores the mobile_phone filter" in phone["summary"]
    assert phone["details"]["count"] == 3
    assert report["changedSettings"] == {"OGUST_IGNORED_FILTERS": "mobile_phone"}
    # The matching probe no longer claims the phone was "found" by a filter that finds everyone.
    assert "phoneLookup" not in check(report, "search-matching")["details"]
    assert code == 1
    # With the full scan accepted, the same account is a warning.
    code, report = doctor(
        sandbox, "--mapping", str(QUOTE), OGUST_IGNORED_FILTERS="mobile_phone", OGUST_ACCEPT_FULL_SCAN="true"
    )
    phone = next(
        c for c in report["checks"] if c["id"] == "lookup-filters" and c["details"]["key"] == "mobile_phone"
    )
    assert phone["verdict"] == "warning"
    assert code == 0


def test_custom_reads_the_account_needs_paging(sandbox: Sandbox, tmp_path: Path) -> None:
    seed(sandbox)
    first = sandbox.customers()[0]["id_customer"]
    sandbox.service.store.third_party[("C", first)] = {"NIVEAU": "GIR 4", "COMMNIV": "Aide le matin"}
    custom = "    custom_fields:\n      NIVEAU: {answer: Niveau}\n"
    path = mapping_file(tmp_path, custom=custom)
    _, report = doctor(sandbox, "--mapping", str(path))
    assert check(report, "custom-reads")["summary"].startswith("getThirdPartyInformations answers the same")
    sandbox.set_modes(custom_fields_paging=True)
    _, report = doctor(sandbox, "--mapping", str(path))
    reads = check(report, "custom-reads")
    assert reads["verdict"] == "ok"
    assert "the account needs nbperpage/pagenum" in reads["summary"]
    assert verdict(report, "custom-fields") == "ok"


def test_write_test_detects_a_replace_all_custom_field_store(sandbox: Sandbox, tmp_path: Path) -> None:
    seed(sandbox)
    sandbox.set_modes(custom_fields_replace=True)
    custom = "    custom_fields:\n      NIVEAU: {answer: Niveau}\n      COMMNIV: {answer: Commentaire}\n"
    code, report = doctor(sandbox, "--write-test", "--mapping", str(mapping_file(tmp_path, custom=custom)))
    store = check(report, "custom-store")
    assert "Ogust replaces the whole set" in store["summary"]
    assert store["details"]["after"] == {"NIVEAU": "TEST 3", "COMMNIV": None}
    sandbox.set_modes(custom_fields_replace=False)
    _, report = doctor(sandbox, "--write-test", "--mapping", str(mapping_file(tmp_path, custom=custom)))
    assert "Ogust merges a partial set" in check(report, "custom-store")["summary"]
    assert code == 0


def test_write_test_says_how_an_escaping_account_stores_text(sandbox: Sandbox, tmp_path: Path) -> None:
    seed(sandbox)
    sandbox.set_modes(escape_html=True, comment_max_length=255)
    _, report = doctor(sandbox, "--write-test", "--mapping", str(mapping_file(tmp_path)))
    text = check(report, "text-storage")
    assert text["verdict"] == "warning"
    stored = text["details"]["stored"]
    assert stored["apostrophe"] == "&#039;"
    assert stored["double quote"] == "&quot;"
    assert stored["ampersand"] == "&amp;"
    assert stored["less-than"] == "&lt;"
    assert stored["emoji"] == stored["line break"] == "kept"
    assert "cut at 255 characters" in text["summary"]
    assert any("[r:…]" in fix for fix in text["fix"])
    assert report["changedSettings"]["OGUST_TEXT_ESCAPING"] == "html"
    assert text["fix"][0].startswith("set OGUST_TEXT_ESCAPING=html (recommended below)")
    back = check(report, "read-back")["fix"]
    assert (
        "main_address.line: Ogust keeps another value than the one sent: every update will rewrite it" in back
    )
    # An appended comment is not rewritten for it: appends look for their mark (the example appends).
    _, report = doctor(sandbox, "--write-test", "--mapping", str(QUOTE))
    back = check(report, "read-back")["fix"]
    assert any(f.startswith("comment: Ogust keeps another text") and "redelivery" in f for f in back)


def test_write_test_sends_every_output_of_the_mappings_map_steps(sandbox: Sandbox) -> None:
    seed(sandbox)
    _, report = doctor(sandbox, "--write-test", "--mapping", str(QUOTE))
    outputs = check(report, "map-outputs")
    assert outputs["verdict"] == "ok"
    assert outputs["details"]["tried"] == [{"field": "title", "value": "M.", "result": "same"}]
    assert verdict(report, "text-storage") == "ok"


def test_a_refused_phone_filter_is_named_not_taken_for_a_phone_stored_with_dots(sandbox: Sandbox) -> None:
    code, report = doctor_on_account(sandbox, "--mapping", str(QUOTE), refused_filters=["mobile_phone"])
    phone = next(
        c for c in report["checks"] if c["id"] == "lookup-filters" and c["details"]["key"] == "mobile_phone"
    )
    assert phone["verdict"] == "failed"
    assert "Ogust refuses a search by mobile_phone: «Paramètre inconnu : mobile_phone»" in phone["summary"]
    matching = check(report, "search-matching")
    assert "phoneLookup" not in matching["details"]
    assert not any("dots" in fix or "neither as 0612345678" in fix for fix in matching["fix"])
    assert code == 1


def test_an_empty_account_cannot_tell_an_ignored_filter(sandbox: Sandbox) -> None:
    sandbox.set_modes(ignored_filters=["mobile_phone"])
    _, report = doctor(sandbox, "--mapping", str(QUOTE))
    (filters,) = [c for c in report["checks"] if c["id"] == "lookup-filters"]
    assert filters["verdict"] == "unknown"
    assert "OGUST_IGNORED_FILTERS" not in report["changedSettings"]


def test_a_type_the_account_refuses_gets_the_accounts_codes_in_the_fix(sandbox: Sandbox) -> None:
    sandbox.set_modes(prospect_type="R")
    seed(sandbox, type="C")
    sandbox.seed_customer({"last_name": "Ménard", "first_name": "Loïc", "type": "R"})
    code, report = doctor(sandbox, "--write-test", "--mapping", str(QUOTE))  # on_create: type: P
    write = check(report, "write-test")
    assert "«Type de client inconnu : P»" in write["summary"]
    assert any("prospects R, clients C" in fix for fix in write["fix"])
    assert code == 1


def test_a_missing_type_is_suggested_with_the_accounts_own_client_code(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    sandbox.set_modes(prospect_type="R", required_on_create=["last_name", "type"])
    seed(sandbox, type="C")
    sandbox.seed_customer({"last_name": "Ménard", "first_name": "Loïc", "type": "R"})
    _, report = doctor(sandbox, "--write-test", "--mapping", str(without_on_create(tmp_path)))
    write = check(report, "write-test")
    assert "«Le champ type est obligatoire»" in write["summary"]
    assert any("on_create: {type: C" in fix for fix in write["fix"])
    create = check(report, "create-fields")
    assert any("the type read off this account's client codes, see codes" in fix for fix in create["fix"])


def test_codes_read_further_pages_when_the_first_holds_clients_only(sandbox: Sandbox) -> None:
    sandbox.set_modes(prospect_type="R")
    for i in range(5):
        sandbox.seed_customer({"last_name": f"Client {i}", "type": "C"})
    sandbox.seed_customer({"last_name": "Ménard", "first_name": "Loïc", "type": "R"})
    _, report = doctor(sandbox, OGUST_PAGE_SIZE="2")
    codes = check(report, "codes")
    assert (codes["details"]["prospectType"], codes["details"]["clientType"]) == ("R", "C")
    assert codes["details"]["customersRead"] == 6
