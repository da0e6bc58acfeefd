"""The sandbox's getToken and token checks (docs/ogust-api.md §2)."""

from __future__ import annotations

import re

import pytest

from ogust_sandbox import Sandbox
from tests.sockets.sandbox.helpers import TIME, call, post, signature, token


def token_request(sandbox: Sandbox, **override: str) -> dict[str, str]:
    public_key, private_key = sandbox.keys
    request = {
        "key": public_key,
        "request": "GET_TOKEN",
        "time": TIME,
        "api_signature": signature(public_key, private_key),
    }
    return {**request, **override}


def test_signed_request_gets_a_40_character_token(sandbox: Sandbox) -> None:
    answer = post(sandbox, "getToken", token_request(sandbox))
    assert answer["status"] == "OK"
    assert re.fullmatch(r"[A-Z0-9]{40}", answer["token"])


def test_default_keys_have_the_documented_formats() -> None:
    keys = Sandbox().keys
    assert re.fullmatch(r"\d{20}", keys.public_key)
    assert re.fullmatch(r"[0-9A-F]{16}", keys.private_key)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"api_signature": "0" * 40}, "Signature invalide"),
        ({"key": "98765432109876543210"}, "Clé publique inconnue"),
        ({"request": "GET_TOKENS"}, "request"),
        ({"time": "20240115130005"}, "time"),
        ({"time": "20241315130005.123456"}, "time"),
    ],
    ids=["wrong-signature", "unknown-key", "wrong-request", "time-without-random", "impossible-date"],
)
def test_bad_token_request_is_ko(sandbox: Sandbox, override: dict[str, str], message: str) -> None:
    answer = post(sandbox, "getToken", token_request(sandbox, **override))
    assert answer["status"] == "KO"
    assert message in answer["message"]


def test_lowercase_signature_is_refused(sandbox: Sandbox) -> None:
    lowercase = signature(*sandbox.keys).lower()
    assert post(sandbox, "getToken", token_request(sandbox, api_signature=lowercase))["status"] == "KO"


def test_signature_made_with_another_time_is_refused(sandbox: Sandbox) -> None:
    other = signature(*sandbox.keys, time_str="20240115130005.654321")
    assert (
        post(sandbox, "getToken", token_request(sandbox, api_signature=other))["message"]
        == "Signature invalide"
    )


@pytest.mark.parametrize("sent", [None, "", "NOTATOKEN"], ids=["missing", "empty", "unknown"])
def test_calls_without_a_valid_token_are_ko_naming_the_token(sandbox: Sandbox, sent: str | None) -> None:
    params = {} if sent is None else {"token": sent}
    answer = post(sandbox, "getList", {**params, "key": "customer.origin"})
    assert answer["status"] == "KO"
    assert "token" in answer["message"].lower()


def test_tokens_expire_after_their_ttl() -> None:
    now = [0.0]
    with Sandbox(token_ttl=600.0, clock=lambda: now[0]) as sandbox:
        valid = token(sandbox)
        now[0] = 599.0
        assert post(sandbox, "getList", {"token": valid, "key": "customer.origin"})["status"] == "OK"
        now[0] = 600.0
        assert post(sandbox, "getList", {"token": valid, "key": "customer.origin"})["status"] == "KO"


def test_expire_tokens_fault_invalidates_every_token(sandbox: Sandbox) -> None:
    valid = token(sandbox)
    sandbox.expire_tokens()
    answer = post(sandbox, "getList", {"token": valid, "key": "customer.origin"})
    assert answer == {"status": "KO", "message": "Token invalide ou expiré"}


@pytest.mark.parametrize("name", ["getlist", "GETLIST", "getList"])
def test_method_names_are_case_insensitive(sandbox: Sandbox, name: str) -> None:
    assert call(sandbox, name, {"key": "customer.sector"})["status"] == "OK"
    assert sandbox.calls()["getList"] == 1


def test_unknown_method_is_ko(sandbox: Sandbox) -> None:
    answer = call(sandbox, "getSalary", {"id_employee": "1"})
    assert answer["status"] == "KO"
    assert "getSalary" in answer["message"]
