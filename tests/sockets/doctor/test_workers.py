"""The doctor reads the account's workers read-only for an employee form: the natures in use with
their staff-number prefixes, so the code of Candidat can be read off (a seeded sandbox)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from ogust_sandbox import Sandbox
from shared.doctor.workers import _the_code, natures_of
from tests.support.doctor import QUOTE, check, doctor, seed

JOBS = Path(__file__).resolve().parents[3] / "examples" / "job-application.yaml"


def seed_workers(sandbox: Sandbox) -> None:
    seed(sandbox)
    for first, nature in (("Aïssatou", "S"), ("Loïc", "S"), ("Zoé", "C"), ("Jean-Baptiste", "C")):
        sandbox.seed_employee(
            {"title": "Mme", "last_name": "N'Diaye-Ménard", "first_name": first, "nature": nature}
        )


def test_the_natures_of_a_seeded_account_are_read_and_the_candidate_code_named(sandbox: Sandbox) -> None:
    seed_workers(sandbox)
    code, report = doctor(sandbox, "--mapping", str(JOBS))
    workers = check(report, "workers")
    assert workers["details"]["natures"] == {"S": {"SA": 2}, "C": {"CA": 2}}
    assert workers["details"]["candidateNature"] == "C"
    assert "candidates: nature C (numbers CA…)" in workers["summary"]
    assert workers["verdict"] == "ok"  # the example writes C, the candidates' code here
    assert code == 0
    assert sandbox.writes() == []  # read only
    searches = sandbox.calls()["searchEmployee"]
    assert searches == 1


def test_a_nature_the_account_does_not_give_candidates_is_a_warning_with_the_fix(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    seed(sandbox)
    sandbox.seed_employee({"last_name": "Lefèvre", "nature": "S"})
    sandbox.seed_employee({"last_name": "Dupont", "nature": "C", "number": "CA2611001"})
    sandbox.seed_employee({"last_name": "Martin", "nature": "C", "number": "CA2611002"})
    mapping = tmp_path / "jobs.yaml"
    mapping.write_text(JOBS.read_text(encoding="utf-8").replace("nature: C ", "nature: S "), encoding="utf-8")
    _, report = doctor(sandbox, "--mapping", str(mapping))
    workers = check(report, "workers")
    assert workers["verdict"] == "warning"
    assert "an employee form creating candidates: on_create: {nature: C}" in workers["fix"]


def test_no_worker_leaves_the_code_unknown_and_a_customer_mapping_reads_no_worker(sandbox: Sandbox) -> None:
    seed(sandbox)
    _, report = doctor(sandbox, "--mapping", str(JOBS))
    assert check(report, "workers")["verdict"] == "unknown"
    sandbox.reset()
    seed(sandbox)
    _, report = doctor(sandbox, "--mapping", str(QUOTE))
    assert all(c["id"] != "workers" for c in report["checks"])
    assert sandbox.calls()["searchEmployee"] == 0


@given(st.lists(st.tuples(st.sampled_from(["S", "C", "I", ""]), st.sampled_from(["SA01", "CA02", "12", ""]))))
def test_natures_count_each_workers_prefix(rows: list[tuple[str, str]]) -> None:
    natures = natures_of([{"nature": n, "number": number} for n, number in rows])
    assert sum(sum(c.values()) for c in natures.values()) == sum(1 for n, _ in rows if n)
    assert set(natures) == {n for n, _ in rows if n}
    assert all(isinstance(c, Counter) for c in natures.values())


def test_the_write_test_of_an_employee_form_creates_one_test_candidate_then_removes_it(
    sandbox: Sandbox,
) -> None:
    seed_workers(sandbox)
    _, report = doctor(sandbox, "--mapping", str(JOBS), "--write-test")
    test = check(report, "write-test")
    assert test["verdict"] == "ok", test
    assert test["details"]["number"].startswith("CA")
    assert test["details"]["removed"] is True
    assert [w["method"] for w in sandbox.writes()] == ["setEmployee", "remEmployee"]  # no customer
    assert all("TEST FORMS-TO-OGUST" not in w["last_name"] for w in sandbox.employees())


def jobs_with_custom_fields(tmp_path: Path) -> Path:
    """The job-application example with two custom fields of the candidate (« informations tierces »)."""
    text = JOBS.read_text(encoding="utf-8")
    on_create = "    on_create:\n      nature: C"
    assert on_create in text
    custom = (
        "    custom_fields:\n"
        "      DISPO:\n        answer: Disponibilités\n"
        "      VEHICULE:\n        answer: Véhiculé(e)\n"
    )
    path = tmp_path / "candidatures.yaml"
    path.write_text(text.replace(on_create, custom + on_create, 1), encoding="utf-8")
    return path


def test_the_write_test_writes_a_candidates_custom_fields_and_reads_them_back(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    seed_workers(sandbox)
    _, report = doctor(sandbox, "--mapping", str(jobs_with_custom_fields(tmp_path)), "--write-test")
    test = check(report, "write-test")
    assert test["verdict"] == "ok", test
    assert test["details"]["thirdParty"] == "S"
    assert test["details"]["customFields"] == ["DISPO", "VEHICULE"]
    assert test["details"]["customFieldsBack"] == "same"
    assert "DISPO, VEHICULE read back as sent (third_party: S)" in test["summary"]
    assert [w["method"] for w in sandbox.writes()] == [
        "setEmployee",
        "setThirdPartyInformations",
        "remEmployee",
    ]
    assert test["details"]["removed"] is True


def test_custom_fields_refused_under_the_forms_code_fail_the_write_test_and_name_the_code(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    sandbox.set_modes(employee_third_party="I")  # the account files them under I, the form says S
    seed_workers(sandbox)
    _, report = doctor(sandbox, "--mapping", str(jobs_with_custom_fields(tmp_path)), "--write-test")
    test = check(report, "write-test")
    assert test["verdict"] == "failed"
    assert test["details"]["customFieldsBack"] == "refused"
    assert "refused under third_party S" in test["summary"]
    assert any("third_party: S" in fix for fix in test["fix"])
    assert test["details"]["removed"] is True  # the test candidate is removed all the same
    assert all("TEST FORMS-TO-OGUST" not in w["last_name"] for w in sandbox.employees())


def test_the_write_test_names_the_field_an_account_requires_of_a_worker(sandbox: Sandbox) -> None:
    seed_workers(sandbox)
    sandbox.set_modes(employee_required_on_create=["title", "last_name", "nationality"])
    _, report = doctor(sandbox, "--mapping", str(JOBS), "--write-test")
    test = check(report, "write-test")
    assert test["verdict"] == "failed"
    assert "Le champ nationality est obligatoire" in test["summary"]
    assert any("(nationality)" in fix for fix in test["fix"])
    assert len(sandbox.employees()) == 4  # the seeded ones only


def test_numbers_on_every_worker_leave_the_create_unknown_and_custom_fields_read_with_the_code_ogust_takes(
    sandbox: Sandbox,
) -> None:
    seed_workers(sandbox)
    _, report = doctor(sandbox, "--mapping", str(JOBS))
    numbers = check(report, "worker-numbers")
    assert (numbers["verdict"], numbers["details"]["numberOnCreate"]) == ("unknown", "unknown")
    assert any("--write-test" in fix for fix in numbers["fix"])
    custom = check(report, "worker-custom-fields")
    assert (custom["verdict"], custom["details"]["thirdParty"]) == ("ok", "S")
    assert custom["details"]["accepted"] == {"S": 0}
    assert sandbox.writes() == []  # read only


def test_an_account_filing_workers_custom_fields_under_another_code_gets_the_third_party_line(
    sandbox: Sandbox,
) -> None:
    sandbox.set_modes(employee_third_party="I")
    seed_workers(sandbox)
    _, report = doctor(sandbox, "--mapping", str(JOBS))
    custom = check(report, "worker-custom-fields")
    assert custom["verdict"] == "warning"
    assert custom["details"]["thirdParty"] == "I"
    assert set(custom["details"]["refused"]) == {"S", "E"}
    assert "under the form 1CandidatureExemple2026: third_party: I" in custom["fix"]
    assert sandbox.writes() == []


def test_with_no_worker_the_custom_field_code_is_unknown_not_guessed(sandbox: Sandbox) -> None:
    seed(sandbox)
    _, report = doctor(sandbox, "--mapping", str(JOBS))
    custom = check(report, "worker-custom-fields")
    assert (custom["verdict"], custom["details"]["thirdParty"]) == ("unknown", None)
    assert sandbox.calls()["getThirdPartyInformations"] == 0


@given(st.dictionaries(st.sampled_from(["S", "E", "I", "T"]), st.integers(0, 3)))
def test_the_code_is_named_only_when_ogust_tells_it_apart(accepted: dict[str, int]) -> None:
    found = _the_code(accepted)
    if found is not None:
        assert found in accepted
        assert len(accepted) == 1 or [c for c, n in accepted.items() if n] == [found]
    else:
        assert len(accepted) != 1


def test_a_worker_without_a_number_shows_the_account_does_not_require_one(sandbox: Sandbox) -> None:
    sandbox.set_modes(employee_number="optional")
    seed_workers(sandbox)
    _, report = doctor(sandbox, "--mapping", str(JOBS))
    numbers = check(report, "worker-numbers")
    assert numbers["verdict"] == "ok"
    assert numbers["details"] == {"workersRead": 4, "withoutNumber": 4, "numberOnCreate": "not-required"}


def test_the_write_test_proves_an_account_requires_the_staff_number(sandbox: Sandbox) -> None:
    sandbox.set_modes(employee_number="required")
    seed(sandbox)
    for first in ("Aïssatou", "Zoé"):
        sandbox.seed_employee(
            {"title": "Mme", "last_name": "N'Diaye", "first_name": first, "number": "CA0001"}
        )
    _, report = doctor(sandbox, "--mapping", str(JOBS), "--write-test")
    test = check(report, "write-test")
    assert test["verdict"] == "failed"
    assert test["details"]["numberRequired"] is True
    assert "requires a staff number on create and does not make one" in test["summary"]
    assert any("`number`" in fix for fix in test["fix"])
    assert len(sandbox.employees()) == 2  # nothing created


def test_the_write_test_shows_an_account_that_makes_no_number_and_requires_none(sandbox: Sandbox) -> None:
    sandbox.set_modes(employee_number="optional")
    seed_workers(sandbox)
    _, report = doctor(sandbox, "--mapping", str(JOBS), "--write-test")
    test = check(report, "write-test")
    assert test["verdict"] == "warning"
    assert (test["details"]["numberMadeByOgust"], test["details"]["numberRequired"]) == (False, False)
    assert test["details"]["removed"] is True
    assert len(sandbox.employees()) == 4
