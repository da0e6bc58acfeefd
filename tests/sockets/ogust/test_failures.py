"""KO answers, retries and duplicate safety, with faults injected in the sandbox."""

from __future__ import annotations

import pytest

from ogust_sandbox import Sandbox
from shared.errors import OgustAuthError, OgustRejectedError, OgustUnavailableError
from shared.ogust import OgustClient
from shared.ogust._keys import StaticKeys

NEW_CUSTOMER = {"title": "M.", "last_name": "d'Artagnan", "first_name": "Jean-Pierre"}


def test_ko_raises_rejected_error_with_method_and_message(ogust_client: OgustClient) -> None:
    with pytest.raises(OgustRejectedError) as caught:
        ogust_client.set_customer({"id_customer": "999999999", "last_name": "Lefèvre"})
    error = caught.value
    assert error.method == "setCustomer"
    assert error.ogust_message == "Client introuvable : 999999999"
    assert "Client introuvable" in str(error)
    assert not error.retryable


def test_read_succeeds_after_two_503(sandbox: Sandbox, ogust_client: OgustClient) -> None:
    sandbox.seed_customer({"last_name": "Lefèvre"})
    sandbox.inject_status(503, count=2, method="searchCustomer")
    assert len(ogust_client.search_customers(last_name="Lefèvre")) == 1
    assert ogust_client.calls["searchCustomer"] == 3


def test_503_forever_raises_unavailable_after_max_attempts(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    sandbox.inject_status(503, count=100, method="getCustomer")
    with pytest.raises(OgustUnavailableError) as caught:
        ogust_client.get_customer("344563872")
    assert caught.value.method == "getCustomer"
    assert caught.value.retryable
    assert sandbox.calls()["getCustomer"] == 3


def test_backoff_doubles_between_attempts(sandbox: Sandbox) -> None:
    sleeps: list[float] = []
    sandbox.inject_status(502, count=100, method="getList")
    keys = StaticKeys(*sandbox.keys)
    client = OgustClient(sandbox.url, keys, max_attempts=4, backoff=0.5, sleep=sleeps.append)
    with client, pytest.raises(OgustUnavailableError):
        client.get_list("customer.origin")
    assert sleeps == [0.5, 1.0, 2.0]


def test_read_survives_a_dropped_connection(sandbox: Sandbox, ogust_client: OgustClient) -> None:
    id_customer = sandbox.seed_customer({"last_name": "Lefèvre", "first_name": "Zoé"})
    sandbox.inject_drop(count=1, method="getCustomer")
    assert ogust_client.get_customer(id_customer) is not None
    assert sandbox.calls()["getCustomer"] == 2


def test_latency_beyond_the_timeout_raises_unavailable(sandbox: Sandbox) -> None:
    with OgustClient(sandbox.url, StaticKeys(*sandbox.keys), timeout=0.2, max_attempts=2) as client:
        client.get_list("customer.origin")
        sandbox.inject_latency(600)
        with pytest.raises(OgustUnavailableError) as caught:
            client.search_customers(last_name="Lefèvre")
    assert caught.value.method == "searchCustomer"
    assert client.calls["searchCustomer"] == 2


def test_non_json_answer_on_a_read_is_retried_then_unavailable(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    sandbox.inject_raw("<html>Maintenance en cours</html>", status=200, count=5, method="getList")
    with pytest.raises(OgustUnavailableError):
        ogust_client.get_list("customer.origin")
    assert ogust_client.calls["getList"] == 3


def test_wrong_api_url_is_rejected_without_retry(sandbox: Sandbox) -> None:
    client = OgustClient(sandbox.base_url + "/api/v2/nope.php", StaticKeys(*sandbox.keys))
    with client, pytest.raises(OgustRejectedError, match="HTTP 404"):
        client.get_list("customer.origin")
    assert client.calls["getToken"] == 1


def maybe_applied(error: OgustUnavailableError) -> bool:
    """Declared on the error, and told to whoever reads its details."""
    assert error.details().get("maybeApplied", False) is error.maybe_applied
    return error.maybe_applied


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429])
def test_write_answered_5xx_or_429_that_ogust_applied_is_not_repeated(
    sandbox: Sandbox, ogust_client: OgustClient, status: int
) -> None:
    ogust_client.get_list("customer.origin")
    sandbox.inject_status(status, count=5, method="setCustomer", apply=True)
    with pytest.raises(OgustUnavailableError, match="may have been applied") as caught:
        ogust_client.set_customer(NEW_CUSTOMER)
    assert caught.value.retryable
    assert maybe_applied(caught.value)
    assert sandbox.calls()["setCustomer"] == 1
    assert [w["params"]["last_name"] for w in sandbox.writes()] == ["d'Artagnan"]  # once, only once


def test_write_answered_503_that_ogust_did_not_apply_is_not_repeated_either(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    # The client cannot tell the two cases apart: the caller searches again and decides.
    sandbox.inject_status(503, count=1, method="setCustomer")
    with pytest.raises(OgustUnavailableError) as caught:
        ogust_client.set_customer(NEW_CUSTOMER)
    assert maybe_applied(caught.value)
    assert sandbox.calls()["setCustomer"] == 1
    assert sandbox.writes() == []


@pytest.mark.parametrize("status", [502, 504])
def test_address_write_answered_gateway_errors_is_not_repeated(
    sandbox: Sandbox, ogust_client: OgustClient, status: int
) -> None:
    sandbox.inject_status(status, count=5, method="setAddress")
    with pytest.raises(OgustUnavailableError) as caught:
        ogust_client.set_address({"id_address": "412000001", "city": "Lyon"})
    assert maybe_applied(caught.value)
    assert sandbox.calls()["setAddress"] == 1


def test_write_whose_connection_drops_after_ogust_applied_it_is_not_repeated(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    ogust_client.get_list("customer.origin")
    sandbox.inject_drop(count=1, method="setCustomer", apply=True)
    with pytest.raises(OgustUnavailableError) as caught:
        ogust_client.set_customer(NEW_CUSTOMER)
    assert maybe_applied(caught.value)
    assert sandbox.calls()["setCustomer"] == 1
    assert len(sandbox.writes()) == 1


def test_write_timing_out_after_ogust_applied_it_is_not_repeated(sandbox: Sandbox) -> None:
    with OgustClient(sandbox.url, StaticKeys(*sandbox.keys), timeout=0.3, sleep=lambda _: None) as client:
        client.get_list("customer.origin")
        sandbox.inject_slow(1500, method="setCustomer", apply=True)  # applied first, answered late
        with pytest.raises(OgustUnavailableError, match="timeout") as caught:
            client.set_customer(NEW_CUSTOMER)
    assert maybe_applied(caught.value)
    assert client.calls["setCustomer"] == 1
    assert sandbox.calls()["setCustomer"] == 1
    assert len(sandbox.writes()) == 1


def test_third_party_write_answered_500_with_ko_is_not_repeated(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    id_customer = sandbox.seed_customer({"last_name": "Lefèvre"})
    sandbox.inject_ko("Erreur interne", status=500, count=5, method="setThirdPartyInformations", apply=True)
    with pytest.raises(OgustUnavailableError) as caught:
        ogust_client.set_third_party_informations("C", id_customer, {"NIVEAU": "GIR 4"})
    assert (caught.value.ogust_message, maybe_applied(caught.value)) == ("Erreur interne", True)
    assert sandbox.calls()["setThirdPartyInformations"] == 1


def test_write_that_cannot_connect_is_repeated() -> None:
    sandbox = Sandbox()
    with sandbox:
        client = OgustClient(sandbox.url, StaticKeys(*sandbox.keys), sleep=lambda _: None)
        client.get_list("customer.origin")
    with client, pytest.raises(OgustUnavailableError, match="could not connect") as caught:
        client.set_customer(NEW_CUSTOMER)  # the port is closed now: the request never left
    assert client.calls["setCustomer"] == 3
    assert not maybe_applied(caught.value)


@pytest.mark.parametrize("status", [500, 503])
def test_ko_carried_by_a_5xx_is_unavailable_with_ogust_message(
    sandbox: Sandbox, ogust_client: OgustClient, status: int
) -> None:
    sandbox.inject_ko("Base de données indisponible, réessayez", status=status, count=5, method="getCustomer")
    with pytest.raises(OgustUnavailableError) as caught:
        ogust_client.get_customer("344563872")
    error = caught.value
    assert error.retryable
    assert error.ogust_message == "Base de données indisponible, réessayez"
    assert f"HTTP {status}" in str(error)
    assert not maybe_applied(error)  # a read applies nothing
    assert sandbox.calls()["getCustomer"] == 3  # a read keeps its bounded retries


def test_ko_carried_by_a_500_on_a_write_is_unavailable_not_rejected(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    sandbox.inject_ko("Le champ title est invalide", status=500, method="setCustomer")
    with pytest.raises(OgustUnavailableError) as caught:
        ogust_client.set_customer(NEW_CUSTOMER)
    assert caught.value.ogust_message == "Le champ title est invalide"
    assert maybe_applied(caught.value)
    assert sandbox.calls()["setCustomer"] == 1


def test_read_recovers_from_a_500_with_ko(sandbox: Sandbox, ogust_client: OgustClient) -> None:
    sandbox.inject_ko("Erreur interne", status=500, count=2, method="getList")
    assert ogust_client.get_list("customer.sector")
    assert sandbox.calls()["getList"] == 3


def test_ko_with_http_200_is_still_a_data_refusal(sandbox: Sandbox, ogust_client: OgustClient) -> None:
    sandbox.inject_ko("Le champ title est invalide", method="setCustomer")
    with pytest.raises(OgustRejectedError) as caught:
        ogust_client.set_customer(NEW_CUSTOMER)
    assert caught.value.ogust_message == "Le champ title est invalide"
    assert not caught.value.retryable


def test_ok_without_customer_id_is_a_maybe_applied_write(sandbox: Sandbox, ogust_client: OgustClient) -> None:
    sandbox.inject_raw('{"status": "OK", "customer": {}}', method="setCustomer")
    with pytest.raises(OgustUnavailableError) as caught:
        ogust_client.set_customer(NEW_CUSTOMER)
    assert maybe_applied(caught.value)


def test_ko_on_get_token_is_auth_error_even_inside_a_write(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    sandbox.inject_ko("Signature invalide", count=2, method="getToken")
    with pytest.raises(OgustAuthError):
        ogust_client.set_customer(NEW_CUSTOMER)
    assert sandbox.calls()["setCustomer"] == 0


def test_direct_get_token_refused_is_auth_error(ogust_client: OgustClient) -> None:
    with pytest.raises(OgustAuthError) as caught:
        ogust_client.call("getToken", {"key": "98765432109876543210", "request": "GET_TOKEN"})
    assert caught.value.method == "getToken"
