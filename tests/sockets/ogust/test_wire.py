"""The wire layer the doctor reads Ogust through: the client's signing, body encoding and readers,
with no retry and no interpretation (the sandbox over a real socket, faults injected in it)."""

from __future__ import annotations

import inspect
import socket
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ogust_sandbox import Sandbox
from shared.config import OgustOptions
from shared.errors import OgustAuthError, OgustUnavailableError
from shared.ogust import ClientOptions, OgustClient, OgustWire, Reply
from shared.ogust._encoding import BodyEncoding
from shared.ogust._keys import StaticKeys
from shared.ogust._shapes import search_page, string_map, third_party_values

VARIANTS: list[tuple[BodyEncoding, str]] = [
    ("json", "Europe/Paris"),
    ("json", "UTC"),
    ("form", "Europe/Paris"),
    ("form", "UTC"),
]


def wire(sandbox: Sandbox, encoding: BodyEncoding = "json", zone: str = "Europe/Paris") -> OgustWire:
    return OgustWire(sandbox.url, StaticKeys(*sandbox.keys), timeout=2.0, encoding=encoding, zone=zone)


@pytest.mark.parametrize(("clock", "body"), [("utc", "form"), ("paris", "any"), ("utc", "any")])
def test_the_wire_and_the_client_are_accepted_by_the_same_getToken_variants(
    sandbox: Sandbox, clock: str, body: str
) -> None:
    sandbox.set_modes(signing_clock=clock, body=body)
    raw = wire(sandbox)
    try:
        by_wire = {variant: raw.get_token(*variant).token is not None for variant in VARIANTS}
    finally:
        raw.close()
    by_client = {}
    for encoding, zone in VARIANTS:
        options = ClientOptions(body_encoding=encoding, token_timezone=zone)
        with OgustClient(sandbox.url, StaticKeys(*sandbox.keys), **options.client_keywords()) as client:
            try:
                client.get_list("customer.origin")
                by_client[encoding, zone] = True
            except OgustAuthError:
                by_client[encoding, zone] = False
    assert by_wire == by_client
    assert any(by_wire.values())
    assert not all(by_wire.values())


def test_a_server_error_is_answered_as_it_came_and_never_repeated(sandbox: Sandbox) -> None:
    raw = wire(sandbox)
    try:
        raw.token()
        sandbox.inject_status(503, count=5, method="getList")
        reply = raw.call("getList", {"key": "customer.origin"})
    finally:
        raw.close()
    assert reply.http_status == 503
    assert not reply.ok
    assert sandbox.calls()["getList"] == 1  # the client would have tried 3 times
    assert reply.list_entries() is None
    assert reply.page() == ([], None)


def test_a_ko_is_handed_out_with_its_text_not_raised(sandbox: Sandbox) -> None:
    raw = wire(sandbox)
    try:
        reply = raw.call("setCustomer", {"id_customer": "999999999", "last_name": "Lefèvre"})
    finally:
        raw.close()
    assert reply.ko
    assert reply.message == "Client introuvable : 999999999"


def test_no_answer_at_all_is_unavailable_naming_the_method() -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    raw = OgustWire(
        f"http://127.0.0.1:{port}/", StaticKeys("pub-clé", "privée"), timeout=1.0, encoding="json", zone="UTC"
    )
    with pytest.raises(OgustUnavailableError, match=r"calling getToken on 127\.0\.0\.1") as caught:
        raw.get_token("json", "UTC")
    raw.close()
    assert caught.value.method == "getToken"
    assert "privée" not in str(caught.value)


def test_custom_fields_are_read_as_the_client_reads_them(sandbox: Sandbox) -> None:
    sandbox.set_modes(custom_fields_paging=True)  # refused without the client's nbperpage/pagenum
    id_customer = sandbox.seed_customer({"last_name": "Lefèvre", "first_name": "Zoé"})
    keys = StaticKeys(*sandbox.keys)
    with OgustClient(sandbox.url, keys) as client:
        client.set_third_party_informations("C", id_customer, {"NIVEAU": "GIR 4", "AIDANT": "Fille, Hélène"})
        by_client = client.get_third_party_informations("C", id_customer)
    raw = wire(sandbox)
    try:
        paged = raw.read_custom("C", id_customer)
        plain = raw.read_custom("C", id_customer, paged=False)
    finally:
        raw.close()
    assert paged.custom_values() == by_client == {"NIVEAU": "GIR 4", "AIDANT": "Fille, Hélène"}
    assert not plain.ok
    assert plain.custom_values() == {}


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
)
RECORD = st.dictionaries(st.sampled_from(["id_customer", "last_name", "email"]), SCALARS, max_size=3)
RESULT = st.one_of(
    SCALARS, st.lists(st.one_of(RECORD, SCALARS), max_size=3), st.dictionaries(st.text(max_size=2), RECORD)
)
ENVELOPE = st.fixed_dictionaries(
    {"status": st.sampled_from(["OK", "KO"])},
    optional={
        "array_customer": st.one_of(
            SCALARS,
            st.fixed_dictionaries(
                {},
                optional={
                    "result": RESULT,
                    "pagination": st.one_of(SCALARS, st.dictionaries(st.just("count"), SCALARS)),
                },
            ),
        ),
        "thirdPartyInformations": st.one_of(
            SCALARS,
            st.dictionaries(
                st.just("array_values"), st.one_of(SCALARS, st.dictionaries(st.text(max_size=4), SCALARS))
            ),
        ),
        "list": st.one_of(SCALARS, st.dictionaries(st.text(max_size=4), SCALARS)),
        "message": st.text(max_size=20),
    },
)


@given(ENVELOPE, st.sampled_from([200, 400, 503]))
def test_a_reply_reads_any_envelope_exactly_as_the_client_does(envelope: dict[str, Any], status: int) -> None:
    reply = Reply(status, envelope)
    if envelope["status"] == "OK":
        assert reply.page() == search_page(envelope)
        assert reply.custom_values() == third_party_values(envelope)
        entries = envelope.get("list")
        assert reply.list_entries() == (string_map(entries) if isinstance(entries, dict) else None)
    else:
        assert reply.page() == ([], None)
        assert reply.custom_values() == {}
        assert reply.list_entries() is None
        assert reply.message == str(envelope.get("message") or "")


def test_the_client_the_settings_and_the_options_share_one_set_of_defaults() -> None:
    defaults = ClientOptions().client_keywords()
    signature = inspect.signature(OgustClient).parameters
    assert {name: signature[name].default for name in defaults} == defaults
    assert OgustOptions().client() == ClientOptions()
