"""The account options (OGUST_*): read from the environment, and each one against a strict sandbox."""

from __future__ import annotations

import re
from datetime import UTC

import pytest

from ogust_sandbox import Sandbox
from shared.config import OgustOptions, tool_ogust_client
from shared.config.settings import OPTIONAL_ENV
from shared.errors import ConfigError, OgustAuthError, OgustRejectedError
from shared.ogust import OgustClient
from shared.ogust._encoding import form_pairs
from shared.ogust._keys import StaticKeys, token_time
from shared.ogust._options import DEFAULT_TOKEN_ERROR_PATTERN

ZOE = {
    "title": "Mme",
    "last_name": "Lefèvre",
    "first_name": "Zoé",
    "main_address": {"line": "12, rue de l'Église", "zip": "75011", "city": "Paris"},
}


def test_defaults_without_any_variable() -> None:
    assert OgustOptions.from_env({}) == OgustOptions()
    assert OgustOptions().as_env() == {
        "OGUST_BODY_ENCODING": "json",
        "OGUST_TOKEN_TIMEZONE": "Europe/Paris",
        "OGUST_PAGE_SIZE": "100",
        "OGUST_TOKEN_ERROR_PATTERN": "",  # the built-in pattern
        "OGUST_SEARCH_STATUS": "",
        "OGUST_IGNORED_FILTERS": "",
        "OGUST_ACCEPT_FULL_SCAN": "false",
        "OGUST_TEXT_ESCAPING": "none",
    }
    assert OgustOptions.from_env(OgustOptions().as_env()).token_error_pattern == DEFAULT_TOKEN_ERROR_PATTERN
    assert set(OgustOptions().as_env()) <= OPTIONAL_ENV


def test_every_variable_is_read() -> None:
    options = OgustOptions.from_env(
        {
            "OGUST_BODY_ENCODING": "FORM",
            "OGUST_TOKEN_TIMEZONE": "utc",
            "OGUST_PAGE_SIZE": "50",
            "OGUST_TOKEN_ERROR_PATTERN": "^Jeton expiré$",
            "OGUST_SEARCH_STATUS": "a",
            "OGUST_IGNORED_FILTERS": "mobile_phone, landline,mobile_phone",
            "OGUST_ACCEPT_FULL_SCAN": "TRUE",
            "OGUST_TEXT_ESCAPING": "HTML",
        }
    )
    ignored = ("mobile_phone", "landline")
    assert options == OgustOptions("form", "UTC", 50, "^Jeton expiré$", "A", ignored, True, "html")
    assert OgustOptions.from_env(options.as_env()) == options  # what the doctor prints reads back


def test_every_invalid_variable_is_named_at_once() -> None:
    with pytest.raises(ConfigError) as caught:
        OgustOptions.from_env(
            {
                "OGUST_BODY_ENCODING": "xml",
                "OGUST_TOKEN_TIMEZONE": "Europe/Berlin",
                "OGUST_PAGE_SIZE": "0",
                "OGUST_TOKEN_ERROR_PATTERN": "(token",
                "OGUST_SEARCH_STATUS": "actif ou pas",
            }
        )
    for name in ("BODY_ENCODING", "TOKEN_TIMEZONE", "PAGE_SIZE", "TOKEN_ERROR_PATTERN", "SEARCH_STATUS"):
        assert f"OGUST_{name}" in str(caught.value)


def test_php_style_form_pairs() -> None:
    pairs = form_pairs(
        {"a": "é", "main_address": {"line": "1, rue", "zip": 75011}, "l": ["x", "y"], "n": None, "b": True}
    )
    assert pairs == [
        ("a", "é"),
        ("main_address[line]", "1, rue"),
        ("main_address[zip]", "75011"),
        ("l[0]", "x"),
        ("l[1]", "y"),
        ("b", "1"),
    ]


def test_form_encoding_reaches_an_account_that_reads_only_form_bodies(sandbox: Sandbox) -> None:
    sandbox.set_modes(body="form")
    keys = StaticKeys(*sandbox.keys)
    with OgustClient(sandbox.url, keys) as json_client, pytest.raises(OgustAuthError):
        json_client.get_list("customer.origin")
    with OgustClient(sandbox.url, keys, body_encoding="form") as client:
        id_customer = client.set_customer(ZOE)
        customer = client.get_customer(id_customer)
        client.set_third_party_informations("C", id_customer, {"NIVEAU": "GIR 4"})
    assert customer is not None
    assert customer.address["line"] == "12, rue de l'Église"
    assert sandbox.third_party_values(id_customer) == {"NIVEAU": "GIR 4"}


def test_token_time_zone_utc_for_an_account_that_reads_utc(sandbox: Sandbox) -> None:
    sandbox.set_modes(signing_clock="utc")
    keys = StaticKeys(*sandbox.keys)
    with OgustClient(sandbox.url, keys) as paris, pytest.raises(OgustAuthError):
        paris.get_list("customer.origin")
    with OgustClient(sandbox.url, keys, token_zone=UTC) as utc:
        assert utc.get_list("customer.origin")


def test_token_time_in_utc() -> None:
    from datetime import datetime

    assert token_time(datetime(2024, 7, 1, 23, 30, tzinfo=UTC), zone=UTC).startswith("20240701233000.")


def test_search_status_is_sent_when_the_account_requires_it(sandbox: Sandbox) -> None:
    sandbox.set_modes(search_status="required")
    sandbox.seed_customer({"last_name": "Lefèvre", "status": "A"})
    keys = StaticKeys(*sandbox.keys)
    with OgustClient(sandbox.url, keys) as plain, pytest.raises(OgustRejectedError, match="status"):
        plain.search_customers(last_name="Lefèvre")
    with OgustClient(sandbox.url, keys, search_status="A") as client:
        assert len(client.search_customers(last_name="Lefèvre")) == 1
        assert client.search_customers(last_name="Lefèvre", status="S") == []  # a caller's status wins


def test_the_tool_client_reads_the_options(
    sandbox: Sandbox, ogust_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox.set_modes(body="form", signing_clock="utc", search_status="required", page_size_cap=5)
    for name, value in {
        **ogust_env,
        "OGUST_BODY_ENCODING": "form",
        "OGUST_TOKEN_TIMEZONE": "UTC",
        "OGUST_SEARCH_STATUS": "A",
        "OGUST_PAGE_SIZE": "5",
    }.items():
        monkeypatch.setenv(name, value)
    for n in range(7):
        sandbox.seed_customer({"last_name": "d'Artagnan", "first_name": f"Jean-Pierre {n}"})
    with tool_ogust_client() as client:
        assert len(client.search_customers(last_name="d'Artagnan")) == 7
    assert sandbox.calls()["searchCustomer"] == 2  # pages of 5: no cap to discover


def test_a_custom_token_pattern_from_the_environment(
    sandbox: Sandbox, ogust_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {**ogust_env, "OGUST_TOKEN_ERROR_PATTERN": re.escape("Session API close")}.items():
        monkeypatch.setenv(name, value)
    sandbox.inject_ko("Session API close", count=1, method="getList")
    with tool_ogust_client() as client:
        assert client.get_list("customer.origin")
        assert client.calls["getToken"] == 2
