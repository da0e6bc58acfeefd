"""LEASE_SECONDS against the longest a delivery can take: calls × (timeout × attempts + backoff),
checked when a function starts, which refuses to run with a lease a slow Ogust could outlast."""

from __future__ import annotations

import pytest

from ogust_sandbox import Sandbox
from shared.errors import ConfigError
from shared.exactly_once import lease_problem
from shared.exactly_once._lease_budget import longest_delivery, ogust_calls
from shared.http import Runtime
from shared.mapping import load_mapping
from tests.support.function import ROOT, sync_env

QUOTE_REQUEST = ROOT / "examples" / "quote-request.yaml"


def test_the_quote_request_example_makes_eight_calls_so_245_s_at_the_default_timeout() -> None:
    (form,) = load_mapping(QUOTE_REQUEST).forms
    assert ogust_calls(form) == {
        "getToken": 1,
        "getList": 1,  # the origin, a label of an Ogust list
        "searchCustomer": 3,  # the e-mail, then the phone in its two spellings
        "getCustomer": 1,
        "setCustomer": 1,
        "setAddress": 1,
    }
    assert longest_delivery(form, 10.0) == pytest.approx(8 * (10 * 3 + 0.2 + 0.4))


def test_custom_fields_add_their_read_and_their_write() -> None:
    (form,) = load_mapping(ROOT / "examples" / "registration.yaml").forms
    calls = ogust_calls(form)
    assert (calls["getThirdPartyInformations"], calls["setThirdPartyInformations"]) == (1, 1)


def test_the_problem_names_the_variable_the_form_and_the_minimum() -> None:
    mapping = load_mapping(QUOTE_REQUEST)
    problem = lease_problem(mapping, 120, 10.0)
    assert problem is not None
    assert problem.startswith("LEASE_SECONDS=120 is shorter than the longest a delivery can take")
    assert "'Demande de devis'" in problem
    assert "set LEASE_SECONDS to at least 245" in problem
    assert lease_problem(mapping, 245, 10.0) is None
    assert lease_problem(mapping, 120, 4.0) is None  # 8 × (4 × 3 + 0.6) = 100.8 s


@pytest.mark.parametrize("role_env", [{}, {"FUNCTION_TARGET": "process_submission"}])
def test_a_function_refuses_to_start_with_a_lease_a_slow_ogust_could_outlast(
    sandbox: Sandbox, role_env: dict[str, str]
) -> None:
    env = {**sync_env(sandbox), "MAPPING_FILE": str(QUOTE_REQUEST), "DEAD_LETTER_TOPIC": "t", **role_env}
    env.update(GOOGLE_CLOUD_PROJECT="demo-bail", OGUST_TIMEOUT_SECONDS="10", LEASE_SECONDS="120")
    with pytest.raises(ConfigError, match=r"LEASE_SECONDS=120 .* at least 245"):
        Runtime.from_env(env)
    Runtime.from_env({**env, "LEASE_SECONDS": "245"})  # long enough: it starts
    Runtime.from_env({**env, "OGUST_TIMEOUT_SECONDS": "4"})  # or a shorter Ogust timeout


def test_the_default_lease_covers_every_example_at_ogusts_default_timeout() -> None:
    for mapping in sorted((ROOT / "examples").glob("*.yaml")):
        assert lease_problem(load_mapping(mapping), 300, 10.0) is None, mapping.name
