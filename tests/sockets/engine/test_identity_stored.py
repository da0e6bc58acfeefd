"""The identity searched is the identity stored: whatever spelling of an e-mail arrives first, and
whatever the mapping's steps make of it, the customer holds the canonical address, so the clean
spelling that follows finds it. On the sandbox, counting customers."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ogust_sandbox import Sandbox
from shared.exactly_once._apply import apply_once, guard_for
from shared.mapping import MappingFile
from shared.mapping.formats import canonical_email
from shared.mapping.load import parse_mapping
from shared.ogust import OgustClient
from shared.ogust._keys import StaticKeys
from shared.webhook import Submission
from tests.support.email_spellings import ADDRESSES, spelt_differently
from tests.support.function import example

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = (ROOT / "examples" / "satisfaction.yaml").read_text(encoding="utf-8")


def mapping(email_steps: str) -> MappingFile:
    """The satisfaction example with the e-mail shaped by `email_steps` (what the issue found:
    `[trim, lower]` stored the address as typed)."""
    original = "        steps: [email]                  # the canonical address, as it is searched\n"
    assert original in EXAMPLE
    text = EXAMPLE.replace(original, f"        steps: {email_steps}\n")
    return parse_mapping(text, name="satisfaction.yaml")


MAPPINGS = {
    "[email]": mapping("[email]"),
    "[trim, lower]": mapping("[trim, lower]"),
    "[trim]": mapping("[trim]"),
}
ODD_SPELLINGS = [
    "MARIE-HELENE.DARNOUX@EXEMPLE.FR",  # uppercase
    "marie-helene.darnoux＠exemple.fr",  # fullwidth at sign
    "marie-helene.dar\u200bnoux@exemple.fr",  # zero-width space
    "\ufeffmarie-helene.darnoux@exemple.fr",  # a byte-order mark from a spreadsheet
    "marie-helene.darnoux@exemple.fr.",  # a final dot on the domain
    "\u00a0marie-helene.darnoux@exemple.fr\u202f",  # non-breaking spaces around
    "ｍａｒｉｅ-helene.darnoux@exemple.fr",  # fullwidth letters
]


def answer(n: int, email: str) -> Submission:
    at = datetime(2026, 10, 1, 8, tzinfo=UTC) + timedelta(minutes=n)
    stamp = at.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    payload = example(
        "01-new-customer",
        responseId=f"2_ABaGraphie{n:02d}",
        submittedAt=stamp,
        answers={"Adresse e-mail": email},
    )
    return Submission.model_validate(payload)


@pytest.mark.parametrize("steps", list(MAPPINGS))
def test_every_odd_spelling_first_then_the_clean_one_is_one_customer_holding_the_canonical_email(
    sandbox: Sandbox, ogust_client: OgustClient, steps: str
) -> None:
    for odd in ODD_SPELLINGS:
        sandbox.reset()
        guard = guard_for(None)
        apply_once(answer(0, odd), MAPPINGS[steps], ogust_client, guard)
        apply_once(answer(1, "marie-helene.darnoux@exemple.fr"), MAPPINGS[steps], ogust_client, guard)
        (customer,) = sandbox.customers()
        assert customer["email"] == "marie-helene.darnoux@exemple.fr", odd


def test_a_decomposed_accent_first_then_the_composed_one_is_one_customer(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    guard = guard_for(None)
    composed = "hélène.lefèvre@exemple.fr"
    for n, email in enumerate([unicodedata.normalize("NFD", composed), composed]):
        apply_once(answer(n, email), MAPPINGS["[trim, lower]"], ogust_client, guard)
    (customer,) = sandbox.customers()
    assert customer["email"] == composed


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data(), ADDRESSES, st.sampled_from(list(MAPPINGS)))
def test_any_spelling_first_then_the_address_itself_is_one_customer(
    sandbox_server: Sandbox, data: st.DataObject, address: str, steps: str
) -> None:
    sandbox_server.reset()
    odd = data.draw(spelt_differently(address))
    with OgustClient(
        sandbox_server.url, StaticKeys(*sandbox_server.keys), timeout=2.0, sleep=lambda _: None
    ) as ogust:
        guard = guard_for(None)
        apply_once(answer(0, odd), MAPPINGS[steps], ogust, guard)
        apply_once(answer(1, address), MAPPINGS[steps], ogust, guard)
    (customer,) = sandbox_server.customers()
    assert customer["email"] == canonical_email(address)
