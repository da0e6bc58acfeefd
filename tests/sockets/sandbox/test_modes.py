"""The sandbox's strict modes: each unknown of a real account (docs/ogust-api.md §8, §9) as a switch."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from ogust_sandbox import Modes, Sandbox
from tests.sockets.sandbox.helpers import TIME, call, post, post_form, signature, token
from tests.support.functions import wait_until

ZOE = {
    "title": "Mme",
    "last_name": "Lefèvre",
    "first_name": "Zoé",
    "email": "Zoe.Lefevre@example.fr",
    "type": "C",
    "exoneration": "D",
    "main_address": {"line": "12, rue de l'Église", "zip": "75011", "city": "Paris"},
}


def raw_call(sandbox: Sandbox, method: str, params: dict[str, Any]) -> httpx.Response:
    return httpx.post(sandbox.url, params={"method": method}, json={**params, "token": token(sandbox)})


def test_default_modes_are_the_loose_sandbox() -> None:
    assert Modes() == Modes(
        required_on_create=("last_name",),
        page_size_cap=None,
        ko_status=200,
        search_status="any",
        write_only=("exoneration",),
        search_match="contains",
        signing_clock="any",
        body="any",
    )


def test_required_fields_on_create_name_the_missing_field(sandbox: Sandbox) -> None:
    sandbox.set_modes(required_on_create=["last_name", "type", "exoneration", "main_address.city"])
    without_type = {k: v for k, v in ZOE.items() if k != "type"}
    assert call(sandbox, "setCustomer", without_type) == {
        "status": "KO",
        "message": "Le champ type est obligatoire",
    }
    no_city = {**ZOE, "main_address": {"line": "12, rue de l'Église", "zip": "75011"}}
    assert call(sandbox, "setCustomer", no_city)["message"] == "Le champ main_address.city est obligatoire"
    assert call(sandbox, "setCustomer", ZOE)["status"] == "OK"
    assert len(sandbox.customers()) == 1
    # An update needs none of them.
    id_customer = sandbox.customers()[0]["id_customer"]
    assert (
        call(sandbox, "setCustomer", {"id_customer": id_customer, "first_name": "Zoé-Marie"})["status"]
        == "OK"
    )


@pytest.mark.parametrize(("offset", "second_page_first"), [("capped", 20), ("asked", 100)])
def test_page_size_cap_and_where_page_two_starts(
    sandbox: Sandbox, offset: str, second_page_first: int
) -> None:
    sandbox.set_modes(page_size_cap=20, page_offset=offset)
    for n in range(120):
        sandbox.seed_customer({"last_name": "d'Artagnan", "first_name": f"Jean-Pierre {n}"})
    first = call(sandbox, "searchCustomer", {"last_name": "Artagnan", "nbperpage": 100})["array_customer"]
    assert (first["pagination"]["count"], first["pagination"]["nbperpage"], len(first["result"])) == (
        120,
        "20",
        20,
    )
    second = call(sandbox, "searchCustomer", {"last_name": "Artagnan", "nbperpage": 100, "pagenum": 2})
    rows = list(second["array_customer"]["result"].values())
    assert rows[0]["first_name"] == f"Jean-Pierre {second_page_first}"


def test_ko_carried_with_http_500(sandbox: Sandbox) -> None:
    sandbox.set_modes(ko_status=500)
    response = raw_call(sandbox, "getSalary", {})
    assert response.status_code == 500
    assert response.json()["status"] == "KO"
    assert raw_call(sandbox, "getList", {"key": "customer.origin"}).status_code == 200


def test_ko_fault_with_a_status_and_applied_first(sandbox: Sandbox) -> None:
    sandbox.inject_ko("Erreur interne", status=503, method="setCustomer", apply=True)
    response = raw_call(sandbox, "setCustomer", ZOE)
    assert (response.status_code, response.json()) == (503, {"status": "KO", "message": "Erreur interne"})
    assert len(sandbox.writes()) == 1


def test_slow_fault_applies_then_answers_late(sandbox: Sandbox) -> None:
    sandbox.inject_slow(2000, method="setCustomer")
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(
            sandbox.url, params={"method": "setCustomer"}, json={**ZOE, "token": token(sandbox)}, timeout=0.3
        )
    assert len(sandbox.writes()) == 1


def test_a_held_write_is_applied_only_when_released_after_the_client_gave_up(sandbox: Sandbox) -> None:
    sandbox.inject_held(method="setCustomer")
    body = {**ZOE, "token": token(sandbox)}
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(sandbox.url, params={"method": "setCustomer"}, json=body, timeout=0.3)
    assert sandbox.customers() == [], "held: not applied yet"
    sandbox.release_held()
    wait_until(lambda: len(sandbox.customers()) == 1, 10, "the held create to land once released")
    assert [w["method"] for w in sandbox.writes()] == ["setCustomer"]
    # Released means released: a call of that fault arriving later is not held.
    sandbox.inject_held(method="setCustomer")
    sandbox.release_held()
    assert raw_call(sandbox, "setCustomer", {**ZOE, "email": "zoe.autre@example.fr"}).status_code == 200
    assert len(sandbox.customers()) == 2


def test_only_active_customers_come_back_unless_a_status_is_asked(sandbox: Sandbox) -> None:
    sandbox.set_modes(search_status="active_only")
    sandbox.seed_customer({"last_name": "Lefèvre", "status": "A"})
    sandbox.seed_customer({"last_name": "Lefèvre", "status": "S"})
    found = call(sandbox, "searchCustomer", {"last_name": "Lefèvre"})["array_customer"]
    assert found["pagination"]["count"] == 1
    others = call(sandbox, "searchCustomer", {"last_name": "Lefèvre", "status": "@!=|A"})["array_customer"]
    assert [c["status"] for c in others["result"].values()] == ["S"]


def test_status_filter_required(sandbox: Sandbox) -> None:
    sandbox.set_modes(search_status="required")
    sandbox.seed_customer({"last_name": "Lefèvre", "status": "A"})
    assert call(sandbox, "searchCustomer", {"last_name": "Lefèvre"}) == {
        "status": "KO",
        "message": "Le paramètre status est obligatoire",
    }
    found = call(sandbox, "searchCustomer", {"last_name": "Lefèvre", "status": "A"})
    assert found["array_customer"]["pagination"]["count"] == 1


def test_write_only_fields_are_stored_but_never_returned(sandbox: Sandbox) -> None:
    id_customer = call(sandbox, "setCustomer", ZOE)["customer"]["id_customer"]
    assert sandbox.customers()[0]["exoneration"] == "D"
    assert "exoneration" not in call(sandbox, "getCustomer", {"id_customer": id_customer})["customer"]
    sandbox.set_modes(write_only=["exoneration", "comment"])
    shown = call(sandbox, "searchCustomer", {"last_name": "Lefèvre"})["array_customer"]["result"]["0"]
    assert "comment" not in shown
    sandbox.set_modes(write_only=[])
    assert call(sandbox, "getCustomer", {"id_customer": id_customer})["customer"]["exoneration"] == "D"


@pytest.mark.parametrize(
    ("match", "query", "found"),
    [
        ("contains", "lefèv", True),
        ("contains", "LEFÈVRE", True),
        ("like", "Lefè%", True),
        ("like", "lefèvre", True),
        ("like", "Lefè", False),
        ("exact", "LEFÈVRE", True),
        ("exact", "Lefèv", False),
        ("case_sensitive", "Lefèvre", True),
        ("case_sensitive", "LEFÈVRE", False),
    ],
)
def test_search_matching_modes(sandbox: Sandbox, match: str, query: str, found: bool) -> None:
    sandbox.set_modes(search_match=match)
    sandbox.seed_customer({"last_name": "Lefèvre", "first_name": "Zoé"})
    count = call(sandbox, "searchCustomer", {"last_name": query})["array_customer"]["pagination"]["count"]
    assert count == (1 if found else 0)


def test_phone_with_spaces_is_not_found_without_them_in_strict_matching(sandbox: Sandbox) -> None:
    sandbox.set_modes(search_match="exact")
    sandbox.seed_customer({"last_name": "Lefèvre", "mobile_phone": "06 12 34 56 78"})
    assert call(sandbox, "searchCustomer", {"mobile_phone": "0612345678"})["array_customer"]["result"] == {}


def token_request(sandbox: Sandbox, time_str: str) -> dict[str, str]:
    return {
        "key": sandbox.keys.public_key,
        "request": "GET_TOKEN",
        "time": time_str,
        "api_signature": signature(*sandbox.keys, time_str=time_str),
    }


@pytest.mark.parametrize(
    ("clock", "time_str", "accepted"),
    [
        ("utc", "20240115120005.123456", True),
        ("utc", TIME, False),  # TIME is Paris wall time: an hour ahead in January
        ("paris", TIME, True),
        ("paris", "20240115120005.123456", False),
        ("any", "20240115120005.123456", True),
        ("any", "20190117141530.482913", True),
    ],
)
def test_signing_clock_modes(clock: str, time_str: str, accepted: bool) -> None:
    noon = datetime(2024, 1, 15, 12, 0, 5, tzinfo=UTC)
    with Sandbox(modes=Modes(signing_clock=clock), wall_clock=lambda: noon) as sandbox:  # type: ignore[arg-type]
        answer = post(sandbox, "getToken", token_request(sandbox, time_str))
    assert (answer["status"] == "OK") is accepted
    if not accepted:
        assert answer["message"] == "Paramètre time hors délai"


def test_token_refused_text_is_a_mode(sandbox: Sandbox) -> None:
    sandbox.set_modes(token_refused_text="Session expirée, reconnectez-vous")
    answer = post(sandbox, "getList", {"token": "0" * 40, "key": "customer.origin"})
    assert answer == {"status": "KO", "message": "Session expirée, reconnectez-vous"}


def test_form_body_only_reads_no_json(sandbox: Sandbox) -> None:
    sandbox.set_modes(body="form")
    request = token_request(sandbox, TIME)
    assert post(sandbox, "getToken", request) == {"status": "KO", "message": "Paramètre key manquant"}
    answer = post_form(sandbox, "getToken", request)
    assert answer["status"] == "OK"


def test_shapes_null_for_empty_list_result_no_address_id(sandbox: Sandbox) -> None:
    sandbox.set_modes(empty_as_null=True, result_as_list=True, search_without_address_id=True)
    id_customer = sandbox.seed_customer({"last_name": "Lefèvre"})
    result = call(sandbox, "searchCustomer", {"last_name": "Lefèvre"})["array_customer"]["result"]
    assert isinstance(result, list)
    assert result[0]["maiden_name"] is None
    assert "id_address" not in result[0]["main_address"]
    got = call(sandbox, "getCustomer", {"id_customer": id_customer})["customer"]
    assert got["main_address"]["id_address"]
    assert got["email"] is None


def test_control_api_sets_shows_and_reset_restores_modes(sandbox: Sandbox) -> None:
    base = sandbox.base_url + "/_sandbox/"
    answer = httpx.post(base + "modes", json={"page_size_cap": 10, "required_on_create": "last_name,type"})
    assert answer.json()["modes"]["page_size_cap"] == 10
    shown = httpx.get(base + "modes").json()["modes"]
    assert shown["required_on_create"] == ["last_name", "type"]
    assert httpx.get(base + "state").json()["modes"]["page_size_cap"] == 10
    assert httpx.post(base + "modes", json={"meteor": 1}).status_code == 400
    assert httpx.post(base + "modes", json={"search_match": "fuzzy"}).status_code == 400
    httpx.post(base + "reset")
    assert sandbox.modes == Modes()


def test_a_sandbox_started_strict_resets_to_strict() -> None:
    with Sandbox(modes=Modes.realistic()) as sandbox:
        sandbox.set_modes(page_size_cap=None)
        sandbox.reset()
        assert sandbox.modes.page_size_cap == 50
        assert (
            call(sandbox, "setCustomer", {"last_name": "Lefèvre"})["message"]
            == "Le champ type est obligatoire"
        )


# --- the unknowns of a first real run, second pass (issue 22) -------------------------------------


def test_prospect_type_gives_codes_by_kind_and_refuses_other_types(sandbox: Sandbox) -> None:
    sandbox.set_modes(prospect_type="R")
    assert call(sandbox, "setCustomer", {**ZOE, "type": "R"})["status"] == "OK"
    assert call(sandbox, "setCustomer", {**ZOE, "last_name": "d'Artagnan", "type": "C"})["status"] == "OK"
    assert call(sandbox, "setCustomer", {**ZOE, "type": "P"}) == {
        "status": "KO",
        "message": "Type de client inconnu : P",
    }
    codes = {c["type"]: c["code"] for c in sandbox.customers()}
    assert codes["R"].startswith("00")
    assert codes["C"].startswith("CLI")


def test_by_default_any_type_is_accepted_and_every_code_is_a_client_code(sandbox: Sandbox) -> None:
    assert call(sandbox, "setCustomer", {**ZOE, "type": "P"})["status"] == "OK"
    assert sandbox.customers()[0]["code"].startswith("CLI")


def test_an_ignored_filter_returns_every_customer(sandbox: Sandbox) -> None:
    sandbox.seed_customer({**ZOE, "mobile_phone": "0612345678"})
    sandbox.seed_customer({"last_name": "Ménard", "mobile_phone": "0798765432"})
    nobody = {"mobile_phone": "0000000000", "nbperpage": 10, "pagenum": 1}
    assert call(sandbox, "searchCustomer", nobody)["array_customer"]["pagination"]["count"] == 0
    sandbox.set_modes(ignored_filters="mobile_phone")
    assert call(sandbox, "searchCustomer", nobody)["array_customer"]["pagination"]["count"] == 2
    sandbox.set_modes(refused_filters="mobile_phone")
    assert call(sandbox, "searchCustomer", nobody) == {
        "status": "KO",
        "message": "Paramètre inconnu : mobile_phone",
    }
    by_email = {"email": "nobody@example.invalid", "nbperpage": 10, "pagenum": 1}
    assert call(sandbox, "searchCustomer", by_email)["array_customer"]["pagination"]["count"] == 0


def test_custom_fields_merge_or_replace(sandbox: Sandbox) -> None:
    id_customer = sandbox.seed_customer(ZOE)
    base = {"third_party": "C", "third_party_id": id_customer}
    call(sandbox, "setThirdPartyInformations", {**base, "array_values": {"GIR": "4", "NOTE": "3"}})
    call(sandbox, "setThirdPartyInformations", {**base, "array_values": {"NOTE": "5"}})
    assert sandbox.third_party_values(id_customer) == {"GIR": "4", "NOTE": "5"}
    sandbox.set_modes(custom_fields_replace=True)
    call(sandbox, "setThirdPartyInformations", {**base, "array_values": {"NOTE": "2"}})
    assert sandbox.third_party_values(id_customer) == {"NOTE": "2"}


def test_custom_fields_read_without_paging_refused_in_paging_mode(sandbox: Sandbox) -> None:
    id_customer = sandbox.seed_customer(ZOE)
    base = {"third_party": "C", "third_party_id": id_customer}
    sandbox.set_modes(custom_fields_paging=True)
    assert call(sandbox, "getThirdPartyInformations", base) == {
        "status": "KO",
        "message": "Le paramètre nbperpage est obligatoire",
    }
    assert (
        call(sandbox, "getThirdPartyInformations", {**base, "nbperpage": 10, "pagenum": 1})["status"] == "OK"
    )


def test_escaped_text_and_capped_comments(sandbox: Sandbox) -> None:
    sandbox.set_modes(escape_html=True, comment_max_length=30)
    comment = 'J\'ai dit "merci" & <3 à Zoé 😊\nLigne 2 qui dépasse la limite'
    assert call(sandbox, "setCustomer", {**ZOE, "comment": comment})["status"] == "OK"
    (stored,) = sandbox.customers()
    assert stored["comment"] == "J&#039;ai dit &quot;merci&quot"  # cut inside an entity, as a byte cap does
    assert stored["main_address"]["line"] == "12, rue de l&#039;Église"
