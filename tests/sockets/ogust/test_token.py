"""Token reuse, sharing across threads, expiry and refusal, against the sandbox over HTTP."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from ogust_sandbox import Sandbox
from shared.errors import OgustAuthError, OgustRejectedError
from shared.ogust import OgustClient, OgustKeys
from shared.ogust._keys import StaticKeys

WRONG_KEYS = StaticKeys("98765432109876543210", "FEDCBA9876543210")


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class RotatingKeys:
    """A provider whose cached keys are stale until invalidated (like a rotated secret)."""

    def __init__(self, stale: OgustKeys, fresh: OgustKeys) -> None:
        self.current, self.fresh, self.invalidations = stale, fresh, 0

    def keys(self) -> OgustKeys:
        return self.current

    def invalidate(self) -> None:
        self.invalidations += 1
        self.current = self.fresh


def test_many_calls_share_one_token(sandbox: Sandbox, ogust_client: OgustClient) -> None:
    sandbox.seed_customer({"last_name": "Lefèvre", "first_name": "Zoé"})
    for _ in range(5):
        ogust_client.search_customers(last_name="Lefèvre")
    ogust_client.get_list("customer.origin")
    assert ogust_client.calls["getToken"] == 1
    assert sandbox.calls()["getToken"] == 1
    assert sandbox.calls()["searchCustomer"] == 5


def test_eight_threads_without_token_cause_exactly_one_get_token(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    sandbox.inject_latency(50)  # widens the window in which the threads wait for the token
    barrier = threading.Barrier(8)

    def search() -> int:
        barrier.wait()
        return len(ogust_client.search_customers(last_name="d'Artagnan"))

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: search(), range(8)))
    assert results == [0] * 8
    assert ogust_client.calls["getToken"] == 1
    assert sandbox.calls()["searchCustomer"] == 8


def test_token_is_renewed_after_its_ttl(sandbox: Sandbox) -> None:
    clock = FakeClock()
    with OgustClient(sandbox.url, StaticKeys(*sandbox.keys), clock=clock, token_ttl=540.0) as client:
        client.search_customers(email="zoe.lefevre@example.fr")
        clock.now += 539.0
        client.search_customers(email="zoe.lefevre@example.fr")
        assert client.calls["getToken"] == 1
        clock.now += 2.0
        client.search_customers(email="zoe.lefevre@example.fr")
        assert client.calls["getToken"] == 2


def test_token_expired_by_ogust_is_refreshed_once_then_the_call_succeeds(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    id_customer = sandbox.seed_customer({"last_name": "Lefèvre", "first_name": "Zoé"})
    assert ogust_client.get_customer(id_customer) is not None
    sandbox.expire_tokens()
    customer = ogust_client.get_customer(id_customer)
    assert customer is not None
    assert customer.fields["first_name"] == "Zoé"
    assert ogust_client.calls["getToken"] == 2
    assert ogust_client.calls["getCustomer"] == 3  # OK, refused (token), OK


def test_write_refused_for_its_token_is_repeated_once_and_applied_once(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    ogust_client.get_list("customer.origin")
    sandbox.expire_tokens()
    ogust_client.set_customer({"title": "M.", "last_name": "d'Artagnan", "first_name": "Jean-Pierre"})
    assert [w["method"] for w in sandbox.writes()] == ["setCustomer"]
    assert ogust_client.calls["getToken"] == 2


def test_token_refused_again_after_refresh_raises_auth_error(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    sandbox.inject_ko("Token invalide ou expiré", count=2, method="getCustomer")
    with pytest.raises(OgustAuthError) as caught:
        ogust_client.get_customer("344563872")
    assert caught.value.method == "getCustomer"
    assert caught.value.retryable
    assert ogust_client.calls["getToken"] == 2


@pytest.mark.parametrize(
    "message",
    ["Token invalide ou expiré", "Jeton périmé", "token expiré", "Invalid token", "TOKEN INCONNU"],
)
def test_token_refusals_in_usual_words_fetch_a_fresh_token(
    sandbox: Sandbox, ogust_client: OgustClient, message: str
) -> None:
    sandbox.inject_ko(message, count=1, method="searchCustomer")
    assert ogust_client.search_customers(last_name="Lefèvre") == []
    assert ogust_client.calls["getToken"] == 2
    assert sandbox.calls()["searchCustomer"] == 2


@pytest.mark.parametrize(
    "message",
    [
        "Le champ token_ref est invalide",
        "Valeur invalide pour le champ token_client",
        "Le champ tokenisation est obligatoire",
        "Le champ custom.token est inconnu",
        "Paramètre id_customer invalide",
    ],
)
def test_data_ko_naming_a_token_field_is_a_refusal_not_an_expired_token(
    sandbox: Sandbox, ogust_client: OgustClient, message: str
) -> None:
    ogust_client.get_list("customer.origin")
    sandbox.inject_ko(message, count=1, method="setCustomer")
    with pytest.raises(OgustRejectedError) as caught:
        ogust_client.set_customer({"last_name": "Lefèvre", "token_ref": "x"})
    assert caught.value.ogust_message == message
    assert ogust_client.calls["getToken"] == 1  # no fresh token was asked for
    assert sandbox.calls()["setCustomer"] == 1  # and the refused write was not repeated


def test_token_error_pattern_is_configurable(sandbox: Sandbox) -> None:
    sandbox.inject_ko("Jeton périmé", count=1, method="searchCustomer")
    keys = StaticKeys(*sandbox.keys)
    with OgustClient(sandbox.url, keys, token_error_pattern=r"jeton|token") as client:
        assert client.search_customers(last_name="Lefèvre") == []
        assert client.calls["getToken"] == 2


def test_wrong_keys_raise_auth_error_that_names_no_key(sandbox: Sandbox) -> None:
    with OgustClient(sandbox.url, WRONG_KEYS) as client, pytest.raises(OgustAuthError) as caught:
        client.search_customers(last_name="Lefèvre")
    error = caught.value
    assert error.method == "getToken"
    assert "keys" in str(error)
    for shown in (str(error), repr(error), error.ogust_message or ""):
        for secret in (WRONG_KEYS.public_key, WRONG_KEYS.private_key, *sandbox.keys):
            assert secret not in shown
    assert client.calls["getToken"] == 2  # once, then once more after re-reading the keys
    assert sandbox.calls()["searchCustomer"] == 0


def test_refused_keys_are_reread_once_and_the_fresh_ones_used(sandbox: Sandbox) -> None:
    provider = RotatingKeys(stale=WRONG_KEYS, fresh=OgustKeys(*sandbox.keys))
    with OgustClient(sandbox.url, provider) as client:
        assert client.search_customers(last_name="Lefèvre") == []
    assert provider.invalidations == 1
    assert client.calls["getToken"] == 2


def test_keys_echoed_by_ogust_are_masked_in_errors(sandbox: Sandbox, ogust_client: OgustClient) -> None:
    ogust_client.get_list("customer.origin")
    sandbox.inject_ko(f"Clé {sandbox.keys.private_key} incohérente", method="setCustomer")
    with pytest.raises(OgustRejectedError) as caught:
        ogust_client.set_customer({"last_name": "Lefèvre"})
    assert sandbox.keys.private_key not in str(caught.value)
    assert "***" in str(caught.value)


def test_no_key_or_token_in_logs_or_errors(
    sandbox: Sandbox, ogust_client: OgustClient, capsys: pytest.CaptureFixture[str]
) -> None:
    ogust_client.search_customers(last_name="Lefèvre")
    sandbox.inject_status(503, count=1, method="searchCustomer")
    sandbox.expire_tokens()
    ogust_client.search_customers(last_name="Lefèvre")
    sandbox.inject_ko(f"Token invalide ou expiré ({sandbox.tokens()[-1]})", count=2, method="searchCustomer")
    with pytest.raises(OgustAuthError) as caught:
        ogust_client.search_customers(last_name="Lefèvre")
    out = capsys.readouterr().out
    assert [json.loads(line)["severity"] for line in out.splitlines()] == ["WARNING", "INFO", "INFO"]
    tokens = sandbox.tokens()
    assert tokens
    for secret in (*sandbox.keys, *tokens):
        assert secret not in out
        assert secret not in str(caught.value)
        assert secret not in (caught.value.ogust_message or "")
        assert secret not in repr(ogust_client)
