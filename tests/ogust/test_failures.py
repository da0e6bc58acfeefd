"""KO answers, retries and duplicate safety, with faults injected in the sandbox."""

from __future__ import annotations

import pytest

from ogust_sandbox import Sandbox
from shared.errors import OgustAuthError, OgustRejectedError, OgustUnavailableError
from shared.ogust import OgustClient, StaticKeys

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


def test_write_answered_500_is_not_repeated(sandbox: Sandbox, ogust_client: OgustClient) -> None:
    ogust_client.get_list("customer.origin")
    sandbox.inject_status(500, count=1, method="setCustomer", apply=True)
    with pytest.raises(OgustUnavailableError, match="may have been applied") as caught:
        ogust_client.set_customer(NEW_CUSTOMER)
    assert caught.value.retryable
    assert sandbox.calls()["setCustomer"] == 1
    assert len(sandbox.writes()) == 1  # applied once, and only once


@pytest.mark.parametrize("status", [502, 504])
def test_write_answered_other_gateway_errors_is_not_repeated(
    sandbox: Sandbox, ogust_client: OgustClient, status: int
) -> None:
    sandbox.inject_status(status, count=5, method="setAddress")
    with pytest.raises(OgustUnavailableError):
        ogust_client.set_address({"id_address": "412000001", "city": "Lyon"})
    assert sandbox.calls()["setAddress"] == 1


def test_write_answered_503_is_repeated(sandbox: Sandbox, ogust_client: OgustClient) -> None:
    sandbox.inject_status(503, count=1, method="setCustomer")
    id_customer = ogust_client.set_customer(NEW_CUSTOMER)
    assert sandbox.calls()["setCustomer"] == 2
    assert [w["params"]["last_name"] for w in sandbox.writes()] == ["d'Artagnan"]
    assert sandbox.customers()[0]["id_customer"] == id_customer


def test_write_answered_429_is_repeated(sandbox: Sandbox, ogust_client: OgustClient) -> None:
    sandbox.inject_status(429, count=2, method="setCustomer")
    ogust_client.set_customer(NEW_CUSTOMER)
    assert sandbox.calls()["setCustomer"] == 3
    assert len(sandbox.writes()) == 1


def test_write_whose_connection_drops_is_not_repeated(sandbox: Sandbox, ogust_client: OgustClient) -> None:
    ogust_client.get_list("customer.origin")
    sandbox.inject_drop(count=1, method="setCustomer", apply=True)
    with pytest.raises(OgustUnavailableError):
        ogust_client.set_customer(NEW_CUSTOMER)
    assert sandbox.calls()["setCustomer"] == 1
    assert len(sandbox.writes()) == 1


def test_write_timing_out_is_not_repeated(sandbox: Sandbox) -> None:
    with OgustClient(sandbox.url, StaticKeys(*sandbox.keys), timeout=0.2) as client:
        client.get_list("customer.origin")
        sandbox.inject_latency(600)
        with pytest.raises(OgustUnavailableError):
            client.set_customer(NEW_CUSTOMER)
    assert client.calls["setCustomer"] == 1


def test_write_that_cannot_connect_is_repeated() -> None:
    sandbox = Sandbox()
    with sandbox:
        client = OgustClient(sandbox.url, StaticKeys(*sandbox.keys), sleep=lambda _: None)
        client.get_list("customer.origin")
    with client, pytest.raises(OgustUnavailableError, match="could not connect"):
        client.set_customer(NEW_CUSTOMER)  # the port is closed now: the request never left
    assert client.calls["setCustomer"] == 3


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
