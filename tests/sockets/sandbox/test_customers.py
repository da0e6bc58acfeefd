"""The sandbox's customer, address, list and third-party methods (docs/ogust-api.md §3, §4)."""

from __future__ import annotations

import pytest

from ogust_sandbox import Sandbox
from ogust_sandbox.store import CUSTOMER_FIELDS
from tests.sockets.sandbox.helpers import call, post, post_form, token

ZOE = {
    "title": "Mme",
    "last_name": "Lefèvre",
    "first_name": "Zoé",
    "email": "Zoe.Lefevre@example.fr",
    "main_address": {"line": "12, rue de l'Église", "zip": "75011", "city": "Paris"},
}


def test_create_answers_only_the_customer_id(sandbox: Sandbox) -> None:
    answer = call(sandbox, "setCustomer", ZOE)
    assert answer == {"status": "OK", "customer": {"id_customer": "344563872"}}


def test_created_customer_has_every_field_as_a_string(sandbox: Sandbox) -> None:
    id_customer = call(sandbox, "setCustomer", {**ZOE, "mobile_phone": 612345678})["customer"]["id_customer"]
    customer = call(sandbox, "getCustomer", {"id_customer": id_customer})["customer"]
    assert all(isinstance(customer[name], str) for name in CUSTOMER_FIELDS)
    assert (customer["code"], customer["status"], customer["type"]) == ("CLI00001", "A", "C")
    assert customer["mobile_phone"] == "612345678"
    assert customer["maiden_name"] == ""
    address = customer["main_address"]
    assert address["id_address"]
    assert (address["type"], address["country"], address["line"]) == ("Adrpri", "FR", "12, rue de l'Église")
    assert customer["billing_address"] == {}


def test_create_without_last_name_is_ko(sandbox: Sandbox) -> None:
    answer = call(sandbox, "setCustomer", {"first_name": "Zoé"})
    assert answer["status"] == "KO"
    assert sandbox.customers() == []


def test_update_changes_only_the_given_fields(sandbox: Sandbox) -> None:
    id_customer = sandbox.seed_customer(ZOE)
    call(sandbox, "setCustomer", {"id_customer": id_customer, "first_name": "Zoé-Marie", "comment": ""})
    customer = call(sandbox, "getCustomer", {"id_customer": id_customer})["customer"]
    assert (customer["first_name"], customer["last_name"]) == ("Zoé-Marie", "Lefèvre")


def test_update_of_unknown_customer_is_ko(sandbox: Sandbox) -> None:
    answer = call(sandbox, "setCustomer", {"id_customer": "1", "last_name": "Lefèvre"})
    assert answer == {"status": "KO", "message": "Client introuvable : 1"}


def test_get_unknown_customer_is_an_empty_object(sandbox: Sandbox) -> None:
    assert call(sandbox, "getCustomer", {"id_customer": "1"}) == {"status": "OK", "customer": {}}


def test_set_address_updates_and_unknown_address_is_ko(sandbox: Sandbox) -> None:
    id_customer = sandbox.seed_customer(ZOE)
    id_address = sandbox.customers()[0]["main_address"]["id_address"]
    answer = call(sandbox, "setAddress", {"id_address": id_address, "city": "Saint-Étienne", "zip": "42000"})
    assert answer["status"] == "OK"
    address = call(sandbox, "getCustomer", {"id_customer": id_customer})["customer"]["main_address"]
    assert (address["city"], address["zip"], address["line"]) == (
        "Saint-Étienne",
        "42000",
        "12, rue de l'Église",
    )
    assert call(sandbox, "setAddress", {"id_address": "9", "city": "Lyon"})["status"] == "KO"


def test_search_matches_loosely_case_insensitive_contains(sandbox: Sandbox) -> None:
    sandbox.seed_customer(ZOE)
    sandbox.seed_customer({"last_name": "Lefèvre-d'Artagnan", "email": "jp@example.fr"})
    sandbox.seed_customer({"last_name": "Martin", "email": "zoe.lefevre@example.fr.invalid"})
    by_name = call(sandbox, "searchCustomer", {"last_name": "lefèvre"})["array_customer"]
    assert by_name["pagination"]["count"] == 2
    by_email = call(sandbox, "searchCustomer", {"email": "zoe.lefevre@example.fr"})["array_customer"]
    assert by_email["pagination"]["count"] == 2  # clients must compare exactly on their side


def test_search_not_equal_operator(sandbox: Sandbox) -> None:
    sandbox.seed_customer({**ZOE, "status": "A"})
    sandbox.seed_customer({"last_name": "Martin", "status": "S"})
    found = call(sandbox, "searchCustomer", {"status": "@!=|s"})["array_customer"]["result"]
    assert [c["last_name"] for c in found.values()] == ["Lefèvre"]


def test_search_pages_have_the_documented_shape(sandbox: Sandbox) -> None:
    for n in range(45):
        sandbox.seed_customer({"last_name": "d'Artagnan", "first_name": f"Jean-Pierre {n}"})
    default = call(sandbox, "searchCustomer", {"last_name": "Artagnan"})["array_customer"]
    assert default["pagination"] == {"count": 45, "nbperpage": "20", "pagenum": "1"}
    assert list(default["result"]) == [str(i) for i in range(20)]
    last = call(sandbox, "searchCustomer", {"last_name": "Artagnan", "nbperpage": 20, "pagenum": "3"})
    assert [c["first_name"] for c in last["array_customer"]["result"].values()] == [
        f"Jean-Pierre {n}" for n in range(40, 45)
    ]
    beyond = call(sandbox, "searchCustomer", {"nbperpage": "20", "pagenum": 4})["array_customer"]
    assert beyond["result"] == {}


def test_search_with_bad_page_number_is_ko(sandbox: Sandbox) -> None:
    assert call(sandbox, "searchCustomer", {"pagenum": "zéro"})["status"] == "KO"


def test_form_encoded_bodies_with_php_style_nesting(sandbox: Sandbox) -> None:
    fields = {
        "token": token(sandbox),
        "last_name": "d'Artagnan",
        "first_name": "Jean-Pierre",
        "main_address[line]": "1, place de l'Hôtel-de-Ville",
        "main_address[city]": "Créteil",
    }
    answer = post_form(sandbox, "setcustomer", fields)
    assert answer["status"] == "OK"
    customer = sandbox.customers()[0]
    assert customer["first_name"] == "Jean-Pierre"
    assert customer["main_address"]["line"] == "1, place de l'Hôtel-de-Ville"
    assert customer["main_address"]["city"] == "Créteil"


def test_unreadable_body_is_ko(sandbox: Sandbox) -> None:
    answer = post(sandbox, "getList", content=b"[1, 2]", headers={"Content-Type": "application/json"})
    assert answer["status"] == "KO"


@pytest.mark.parametrize(
    ("key", "code", "label"),
    [
        ("customer.origin", "253195735", "Bouche à oreille"),
        ("customer.method_of_payment", "112539", "Prélèvement"),
        ("customer.manager", "302007671", "Zoé Lefèvre"),
        ("customer.sector", "1a*", "Paris Nord"),
    ],
)
def test_default_lists(sandbox: Sandbox, key: str, code: str, label: str) -> None:
    assert call(sandbox, "getList", {"key": key})["list"][code] == label


def test_lists_are_configurable_and_unknown_list_is_ko(sandbox: Sandbox) -> None:
    sandbox.set_list("customer.origin", {"1": "Salon des seniors"})
    assert call(sandbox, "getList", {"key": "customer.origin"})["list"] == {"1": "Salon des seniors"}
    assert call(sandbox, "getList", {"key": "employee.sector"})["status"] == "KO"
    sandbox.reset()
    assert "253195735" in call(sandbox, "getList", {"key": "customer.origin"})["list"]


def test_third_party_informations_merge_and_need_an_existing_customer(sandbox: Sandbox) -> None:
    id_customer = sandbox.seed_customer(ZOE)
    target = {"third_party": "C", "third_party_id": id_customer}
    call(sandbox, "setThirdPartyInformations", {**target, "array_values": {"NIVEAU": "GIR 2"}})
    call(sandbox, "setThirdPartyInformations", {**target, "array_values": {"COMMNIV": "Très autonome"}})
    values = call(sandbox, "getThirdPartyInformations", target)["thirdPartyInformations"]["array_values"]
    assert values == {"NIVEAU": "GIR 2", "COMMNIV": "Très autonome"}
    unknown = call(sandbox, "getThirdPartyInformations", {"third_party": "C", "third_party_id": "1"})
    assert unknown["status"] == "KO"
    employee = call(sandbox, "getThirdPartyInformations", {"third_party": "S", "third_party_id": id_customer})
    assert employee["status"] == "KO"


def test_write_log_has_successful_writes_without_the_token(sandbox: Sandbox) -> None:
    call(sandbox, "setCustomer", ZOE)
    call(sandbox, "setCustomer", {"id_customer": "1", "last_name": "Inconnu"})
    call(sandbox, "getCustomer", {"id_customer": "344563872"})
    assert sandbox.writes() == [{"method": "setCustomer", "params": ZOE}]
