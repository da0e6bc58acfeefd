"""Customer, address, list and third-party calls of the client, against the sandbox over HTTP."""

from __future__ import annotations

import json

import pytest

from ogust_sandbox import Sandbox
from shared.errors import OgustRejectedError
from shared.ogust import CustomerRecord, OgustClient
from shared.ogust._keys import StaticKeys

ZOE = {
    "title": "Mme",
    "last_name": "Lefèvre",
    "first_name": "Zoé",
    "email": "zoe.lefevre@example.fr",
    "mobile_phone": "0612345678",
    "main_address": {"line": "12, rue de l'Église", "zip": "75011", "city": "Paris", "type": "Adrpri"},
}


def test_search_follows_every_page(sandbox: Sandbox) -> None:
    for n in range(250):
        sandbox.seed_customer({"last_name": "d'Artagnan", "first_name": f"Jean-Pierre {n}"})
    sandbox.seed_customer({"last_name": "Lefèvre"})
    with OgustClient(sandbox.url, StaticKeys(*sandbox.keys), page_size=100) as client:
        found = client.search_customers(last_name="d'Artagnan")
    assert len(found) == 250
    assert len({c.id for c in found}) == 250
    assert {c.fields["first_name"] for c in found} == {f"Jean-Pierre {n}" for n in range(250)}
    assert client.calls["searchCustomer"] == 3


def test_search_stops_when_count_is_reached_on_a_full_page(sandbox: Sandbox) -> None:
    for n in range(200):
        sandbox.seed_customer({"last_name": "Lefèvre", "first_name": f"Zoé {n}"})
    with OgustClient(sandbox.url, StaticKeys(*sandbox.keys), page_size=100) as client:
        assert len(client.search_customers(last_name="Lefèvre")) == 200
    assert client.calls["searchCustomer"] == 2


def test_search_without_match_is_empty(ogust_client: OgustClient) -> None:
    assert ogust_client.search_customers(email="personne@example.fr") == []
    assert ogust_client.calls["searchCustomer"] == 1


def test_search_accepts_a_list_result_and_a_string_count(sandbox: Sandbox, ogust_client: OgustClient) -> None:
    page = {
        "pagination": {"count": "2", "nbperpage": "100", "pagenum": "1"},
        "result": [{"id_customer": "1"}, {}],
    }
    sandbox.inject_raw(json.dumps({"status": "OK", "array_customer": page}), method="searchCustomer")
    # A record without id_customer cannot be matched to anything: it is left out.
    assert ogust_client.search_customers(last_name="Lefèvre") == [CustomerRecord("1")]


def test_create_then_get_customer(sandbox: Sandbox, ogust_client: OgustClient) -> None:
    id_customer = ogust_client.set_customer(ZOE)
    customer = ogust_client.get_customer(id_customer)
    assert customer is not None
    assert customer.id == id_customer
    assert (customer.fields["last_name"], customer.fields["first_name"]) == ("Lefèvre", "Zoé")
    assert customer.address["line"] == "12, rue de l'Église"
    assert customer.address_id
    assert [w["method"] for w in sandbox.writes()] == ["setCustomer"]


def test_update_sends_id_customer_and_changes_only_given_fields(ogust_client: OgustClient) -> None:
    id_customer = ogust_client.set_customer(ZOE)
    assert (
        ogust_client.set_customer({"id_customer": id_customer, "landline": "01 23 45 67 89"}) == id_customer
    )
    customer = ogust_client.get_customer(id_customer)
    assert customer is not None
    assert customer.fields["landline"] == "01 23 45 67 89"
    assert customer.fields["email"] == "zoe.lefevre@example.fr"


def test_get_unknown_customer_is_none(ogust_client: OgustClient) -> None:
    assert ogust_client.get_customer("999999999") is None


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"status": "OK", "customer": [{"id_customer": "7", "last_name": "Lefèvre"}]}, "Lefèvre"),
        ({"status": "OK", "customer": []}, None),
        ({"status": "OK"}, None),
        ({"status": "OK", "customer": {}}, None),
    ],
    ids=["list", "empty-list", "missing", "empty-object"],
)
def test_get_customer_reads_every_known_shape(
    sandbox: Sandbox, ogust_client: OgustClient, body: dict[str, object], expected: str | None
) -> None:
    sandbox.inject_raw(json.dumps(body), method="getCustomer")
    customer = ogust_client.get_customer("7")
    assert (customer.fields.get("last_name") if customer else None) == expected


def test_set_address_updates_the_main_address(ogust_client: OgustClient) -> None:
    id_customer = ogust_client.set_customer(ZOE)
    customer = ogust_client.get_customer(id_customer)
    assert customer is not None
    id_address = customer.address_id
    ogust_client.set_address({"id_address": id_address, "line": "3, impasse Saint-Éloi", "zip": "69005"})
    updated = ogust_client.get_customer(id_customer)
    assert updated is not None
    assert updated.address["line"] == "3, impasse Saint-Éloi"
    assert updated.address["city"] == "Paris"


def test_set_address_of_unknown_address_is_rejected(ogust_client: OgustClient) -> None:
    with pytest.raises(OgustRejectedError) as caught:
        ogust_client.set_address({"id_address": "1", "city": "Lyon"})
    assert caught.value.method == "setAddress"


def test_set_address_without_id_is_a_programming_error(ogust_client: OgustClient) -> None:
    with pytest.raises(ValueError, match="id_address"):
        ogust_client.set_address({"city": "Lyon"})


def test_lists_are_fetched_once_per_key(ogust_client: OgustClient) -> None:
    first = ogust_client.get_list("customer.method_of_payment")
    first["112539"] = "modified by the caller"
    assert ogust_client.get_list("customer.method_of_payment")["112539"] == "Prélèvement"
    ogust_client.get_list("customer.manager")
    assert ogust_client.calls["getList"] == 2


def test_third_party_informations_round_trip_and_merge(ogust_client: OgustClient) -> None:
    id_customer = ogust_client.set_customer(ZOE)
    ogust_client.set_third_party_informations(
        "C", id_customer, {"NIVEAU": "GIR 4", "COMMNIV": "Aide à l'été"}
    )
    ogust_client.set_third_party_informations("C", id_customer, {"COMMNIV": "Besoin d'aide le matin"})
    assert ogust_client.get_third_party_informations("C", id_customer) == {
        "NIVEAU": "GIR 4",
        "COMMNIV": "Besoin d'aide le matin",
    }


def test_custom_fields_are_read_with_paging_like_every_public_caller(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    """An account that refuses getThirdPartyInformations without nbperpage/pagenum is read all the same."""
    sandbox.set_modes(custom_fields_paging=True)
    id_customer = ogust_client.set_customer(ZOE)
    ogust_client.set_third_party_informations(
        "C", id_customer, {"NIVEAU": "GIR 4", "COMMNIV": "Aide à l'été"}
    )
    assert ogust_client.get_third_party_informations("C", id_customer) == {
        "NIVEAU": "GIR 4",
        "COMMNIV": "Aide à l'été",
    }
