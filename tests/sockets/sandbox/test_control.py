"""The sandbox's control API (`/_sandbox/`); its command line runs as a process, in
tests/processes/sandbox/test_command_line.py."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from ogust_sandbox import Sandbox
from tests.sockets.sandbox.helpers import call, post, token
from tests.support.functions import wait_until


def control(sandbox: Sandbox, action: str, body: object = None) -> httpx.Response:
    return httpx.post(f"{sandbox.base_url}/_sandbox/{action}", json=body, timeout=5.0)


def test_state_shows_customers_calls_and_writes(sandbox: Sandbox) -> None:
    call(sandbox, "setCustomer", {"last_name": "Lefèvre", "first_name": "Zoé"})
    state = httpx.get(f"{sandbox.base_url}/_sandbox/state", timeout=5.0).json()
    assert [c["last_name"] for c in state["customers"]] == ["Lefèvre"]
    assert state["calls"] == {"getToken": 1, "setCustomer": 1}
    assert [w["method"] for w in state["writes"]] == ["setCustomer"]
    assert state["faults"] == {"latency_ms": 0, "pending": []}


def test_reset_forgets_everything(sandbox: Sandbox) -> None:
    call(sandbox, "setCustomer", {"last_name": "Lefèvre"})
    sandbox.inject_ko("Erreur inattendue")
    assert control(sandbox, "reset").json() == {"status": "OK"}
    assert (sandbox.customers(), sandbox.writes(), sandbox.calls()) == ([], [], {})
    assert sandbox.service.faults.snapshot()["pending"] == []


def test_seeded_customer_is_searchable_and_not_in_the_write_log(sandbox: Sandbox) -> None:
    answer = control(sandbox, "customers", {"last_name": "d'Artagnan", "first_name": "Jean-Pierre"}).json()
    found = call(sandbox, "getCustomer", {"id_customer": answer["id_customer"]})["customer"]
    assert found["first_name"] == "Jean-Pierre"
    assert sandbox.writes() == []


def test_lists_can_be_set(sandbox: Sandbox) -> None:
    control(sandbox, "lists", {"key": "customer.sector", "values": {"75*": "Paris"}})
    assert call(sandbox, "getList", {"key": "customer.sector"})["list"] == {"75*": "Paris"}


def test_status_fault_answers_the_status_for_the_next_calls_of_one_method(sandbox: Sandbox) -> None:
    control(sandbox, "faults", {"fault": "status", "status": 503, "count": 2, "method": "getToken"})
    statuses = [httpx.post(sandbox.url, params={"method": "gettoken"}, json={}).status_code for _ in range(3)]
    assert statuses == [503, 503, 200]


def test_ko_fault_and_clear(sandbox: Sandbox) -> None:
    control(
        sandbox,
        "faults",
        [{"fault": "ko", "message": "Service indisponible", "count": 5}, {"fault": "clear"}],
    )
    assert post(sandbox, "getList", {})["message"] != "Service indisponible"
    control(sandbox, "faults", {"fault": "ko", "message": "Service indisponible"})
    assert post(sandbox, "getList", {}) == {"status": "KO", "message": "Service indisponible"}


def test_drop_fault_closes_the_connection_without_an_answer(sandbox: Sandbox) -> None:
    control(sandbox, "faults", {"fault": "drop"})
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.post(sandbox.url, params={"method": "getList"}, json={}, timeout=5.0)


def test_expire_tokens_and_latency_faults(sandbox: Sandbox) -> None:
    answer = control(sandbox, "faults", [{"fault": "latency", "ms": 5}, {"fault": "expire_tokens"}]).json()
    assert answer["faults"]["latency_ms"] == 5


def test_bad_control_requests_answer_400_or_404(sandbox: Sandbox) -> None:
    assert control(sandbox, "faults", {"fault": "meteor"}).status_code == 400
    assert control(sandbox, "customers", {"id_customer": "abc"}).status_code == 200
    assert control(sandbox, "customers", {"id_customer": "abc"}).status_code == 400
    assert control(sandbox, "nothing").status_code == 404
    assert httpx.get(sandbox.url).status_code == 405
    assert httpx.post(f"{sandbox.base_url}/elsewhere").status_code == 404


def test_a_held_write_is_released_by_the_control_api_and_dropped_unapplied_by_a_reset(
    sandbox: Sandbox,
) -> None:
    zoe = {"last_name": "Lefèvre", "first_name": "Zoé", "token": token(sandbox)}
    with ThreadPoolExecutor(max_workers=1) as pool:
        control(sandbox, "faults", {"fault": "slow", "held": True, "ms": 30_000, "method": "setCustomer"})
        held = pool.submit(httpx.post, sandbox.url, params={"method": "setCustomer"}, json=zoe, timeout=10)
        wait_until(lambda: sandbox.service.faults.pending() == [], 10, "the held call to take its fault")
        assert control(sandbox, "faults", {"fault": "release"}).status_code == 200
        assert held.result(timeout=10).status_code == 200
    assert len(sandbox.customers()) == 1
    with ThreadPoolExecutor(max_workers=1) as pool:
        sandbox.inject_held(method="setCustomer")
        held = pool.submit(httpx.post, sandbox.url, params={"method": "setCustomer"}, json=zoe, timeout=10)
        wait_until(lambda: sandbox.service.faults.pending() == [], 10, "the held call to take its fault")
        sandbox.reset()
        with pytest.raises(httpx.TransportError):
            held.result(timeout=10)  # dropped: no answer
    assert (sandbox.customers(), sandbox.writes()) == ([], []), "a reset never lets a held write land"
