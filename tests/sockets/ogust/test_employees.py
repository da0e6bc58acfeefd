"""Worker (intervenant) calls of the client, against the sandbox over HTTP: candidates and salariés."""

from __future__ import annotations

import pytest

from ogust_sandbox import Sandbox
from shared.errors import OgustRejectedError
from shared.ogust import OgustClient

CHLOE = {
    "title": "Mme",
    "last_name": "N'Diaye-Lefèvre",
    "first_name": "Chloé",
    "email": "chloe.ndiaye@example.fr",
    "mobile_phone": "0611223344",
    "nature": "C",
    "main_address": {"line": "3, allée des Tilleuls", "zip": "69003", "city": "Lyon"},
}


def test_a_candidate_is_created_with_a_CA_number_and_read_back(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    id_employee = ogust_client.set_employee(CHLOE)
    record = ogust_client.get_employee(id_employee)
    assert record is not None
    assert record.id == id_employee
    assert record.fields["nature"] == "C"
    assert record.fields["number"].startswith("CA")
    assert record.fields["last_name"] == "N'Diaye-Lefèvre"
    assert record.address["city"] == "Lyon"
    assert record.address_id
    assert sandbox.customers() == []  # a worker is no customer


def test_search_never_filters_on_nature_so_candidates_are_found(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    sandbox.seed_employee({**CHLOE})
    sandbox.seed_employee({**CHLOE, "first_name": "Hélène", "email": "helene@example.fr", "nature": "S"})
    found = ogust_client.search_employees(email="chloe.ndiaye@example.fr")
    assert [r.fields["first_name"] for r in found] == ["Chloé"]
    searches = [w for w in sandbox.writes() if w["method"] == "searchEmployee"]
    assert searches == []  # a read: never in the write log
    # The public client's trap: nature=S hides every candidate.
    assert ogust_client.search_employees(email="chloe.ndiaye@example.fr", nature="S") == []


def test_an_update_changes_only_what_is_sent(ogust_client: OgustClient) -> None:
    id_employee = ogust_client.set_employee(CHLOE)
    change = {"id_employee": id_employee, "mobile_phone": "0699887766"}
    assert ogust_client.set_employee(change) == id_employee
    record = ogust_client.get_employee(id_employee)
    assert record is not None
    assert record.fields["mobile_phone"] == "0699887766"
    assert record.fields["email"] == "chloe.ndiaye@example.fr"


def test_a_create_without_a_required_field_is_refused_naming_it(ogust_client: OgustClient) -> None:
    with pytest.raises(OgustRejectedError, match="title"):
        ogust_client.set_employee({k: v for k, v in CHLOE.items() if k != "title"})


def test_an_unknown_nature_code_is_refused(ogust_client: OgustClient) -> None:
    with pytest.raises(OgustRejectedError, match="Nature d'intervenant inconnue : CAND"):
        ogust_client.set_employee({**CHLOE, "nature": "CAND"})


def test_rem_employee_removes_the_worker(sandbox: Sandbox, ogust_client: OgustClient) -> None:
    id_employee = ogust_client.set_employee(CHLOE)
    ogust_client.rem_employee(id_employee)
    assert ogust_client.get_employee(id_employee) is None
    assert sandbox.employees() == []
    with pytest.raises(OgustRejectedError, match="Intervenant introuvable"):
        ogust_client.rem_employee(id_employee)


def test_search_follows_every_page_of_workers(sandbox: Sandbox, ogust_client: OgustClient) -> None:
    for n in range(130):
        sandbox.seed_employee({"last_name": "Dupont-Aignan", "first_name": f"Zoé {n}", "nature": "C"})
    found = ogust_client.search_employees(last_name="Dupont-Aignan")
    assert len({r.id for r in found}) == 130
    assert ogust_client.calls["searchEmployee"] == 2
