"""Search paging by `count`, with a server cap on `nbperpage` and servers that misbehave (docs/ogust-api.md
§9)."""

from __future__ import annotations

import json

import pytest

from ogust_sandbox import Sandbox
from shared.errors import OgustUnavailableError
from shared.ogust import OgustClient
from shared.ogust._keys import StaticKeys


def seed(sandbox: Sandbox, n: int) -> None:
    for i in range(n):
        sandbox.seed_customer({"last_name": "d'Artagnan", "first_name": f"Jean-Pierre {i}"})


def client_of(sandbox: Sandbox, page_size: int = 100) -> OgustClient:
    return OgustClient(sandbox.url, StaticKeys(*sandbox.keys), page_size=page_size, sleep=lambda _: None)


@pytest.mark.parametrize("offset", ["capped", "asked"])
def test_a_capped_page_size_hides_no_match(sandbox: Sandbox, offset: str) -> None:
    sandbox.set_modes(page_size_cap=20, page_offset=offset)
    seed(sandbox, 45)
    with client_of(sandbox) as client:
        found = client.search_customers(last_name="d'Artagnan")
    assert sorted(c.fields["first_name"] for c in found) == sorted(f"Jean-Pierre {i}" for i in range(45))
    assert client.calls["searchCustomer"] == 3  # 20 (asked 100), then pages of 20: 20 and 5


def test_the_cap_is_remembered_and_reported_once(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    sandbox.set_modes(page_size_cap=20)
    seed(sandbox, 30)
    with client_of(sandbox) as client:
        assert len(client.search_customers(last_name="d'Artagnan")) == 30
        assert len(client.search_customers(last_name="d'Artagnan")) == 30
    assert client.calls["searchCustomer"] == 4  # 2 per search: the second asks 20 at once
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(e["severity"], e["pageSizeGiven"]) for e in lines] == [("WARNING", 20)]
    assert "OGUST_PAGE_SIZE=20" in lines[0]["message"]


def test_without_count_a_short_page_ends_the_search(sandbox: Sandbox, ogust_client: OgustClient) -> None:
    def page(*ids: str) -> str:
        result = {str(i): {"id_customer": v, "last_name": "Lefèvre"} for i, v in enumerate(ids)}
        return json.dumps({"status": "OK", "array_customer": {"result": result}})

    with OgustClient(sandbox.url, StaticKeys(*sandbox.keys), page_size=2) as client:
        sandbox.inject_raw(page("1", "2"), method="searchCustomer")
        sandbox.inject_raw(page("3"), method="searchCustomer")
        assert [c.id for c in client.search_customers(last_name="Lefèvre")] == ["1", "2", "3"]
    assert sandbox.calls()["searchCustomer"] == 2


def test_a_server_ignoring_pagenum_is_an_error_not_a_partial_answer(sandbox: Sandbox) -> None:
    body = {
        "status": "OK",
        "array_customer": {
            "pagination": {"count": "5", "nbperpage": "2", "pagenum": "1"},
            "result": {"0": {"id_customer": "1"}, "1": {"id_customer": "2"}},
        },
    }
    sandbox.inject_raw(json.dumps(body), count=10, method="searchCustomer")
    with client_of(sandbox, page_size=2) as client, pytest.raises(OgustUnavailableError, match="pagenum"):
        client.search_customers(last_name="Lefèvre")
    assert sandbox.calls()["searchCustomer"] == 2


def test_count_keeps_paging_after_a_short_middle_page(sandbox: Sandbox) -> None:
    def page(count: int, *ids: str) -> str:
        result = [{"id_customer": v} for v in ids]
        return json.dumps(
            {"status": "OK", "array_customer": {"pagination": {"count": count}, "result": result}}
        )

    for body in (page(5, "1", "2"), page(5, "3"), page(5, "4", "5")):
        sandbox.inject_raw(body, method="searchCustomer")
    with client_of(sandbox, page_size=2) as client:
        assert [c.id for c in client.search_customers(last_name="Lefèvre")] == ["1", "2", "3", "4", "5"]
