"""How long a delivery can take at worst, so that a lease (LEASE_SECONDS) is never shorter: checked
when a function starts, which refuses to run with a lease that a slow Ogust could outlast.

    longest delivery = Ogust calls of the form × (OGUST_TIMEOUT_SECONDS × attempts + backoff)

with attempts = 3 and backoff = 0.2 + 0.4 s (the client's retries), and the calls a first delivery
of the form makes when every call is needed: getToken, one getList per Ogust list, one search per
lookup key and spelling (two for a phone), getCustomer (the address id), getThirdPartyInformations
and setThirdPartyInformations (custom fields), setCustomer, setAddress. Each search is counted as
one page.
"""

from __future__ import annotations

import math
from collections import Counter

from shared.mapping import FormMapping, MappingFile, search_spellings
from shared.ogust import ClientOptions

DEFAULT_MAX_ATTEMPTS, DEFAULT_BACKOFF = ClientOptions().max_attempts, ClientOptions().backoff
"""The client's retry policy (its defaults: the settings do not change it)."""

SAMPLE_PHONE = "0612345678"
"""A number to ask the engine how many spellings a phone is searched with."""


def ogust_calls(form: FormMapping) -> Counter[str]:
    """The Ogust calls of one delivery of `form` at most, by method (one search page each)."""
    targets = form.rules
    parts = {target.part for target in targets}
    calls: Counter[str] = Counter(getToken=1, setCustomer=1)
    calls["getList"] = len({rule.ogust_list for rule in targets.values() if rule.ogust_list})
    calls["searchCustomer"] = sum(
        len(search_spellings(t, SAMPLE_PHONE)) if t.is_phone else 1 for t in form.lookup_targets
    )
    if "address" in parts:
        calls.update(getCustomer=1, setAddress=1)
    if "custom" in parts:
        calls.update(getThirdPartyInformations=1, setThirdPartyInformations=1)
    return +calls


def longest_delivery(
    form: FormMapping,
    ogust_timeout: float,
    *,
    attempts: int = DEFAULT_MAX_ATTEMPTS,
    backoff: float = DEFAULT_BACKOFF,
) -> float:
    """Seconds one delivery of `form` may spend in Ogust calls when every attempt times out."""
    per_call = ogust_timeout * attempts + sum(backoff * 2**i for i in range(attempts - 1))
    return float(sum(ogust_calls(form).values()) * per_call)


def lease_problem(mapping: MappingFile, lease_seconds: float, ogust_timeout: float) -> str | None:
    """Why LEASE_SECONDS is too short for the slowest form of `mapping`, or None."""
    slowest = max(mapping.forms, key=lambda form: longest_delivery(form, ogust_timeout))
    longest = longest_delivery(slowest, ogust_timeout)
    if lease_seconds >= longest:
        return None
    calls = sum(ogust_calls(slowest).values())
    return (
        f"LEASE_SECONDS={lease_seconds:g} is shorter than the longest a delivery can take: form "
        f"{slowest.label} makes up to {calls} Ogust calls × (OGUST_TIMEOUT_SECONDS={ogust_timeout:g} s "
        f"× {DEFAULT_MAX_ATTEMPTS} attempts + backoff) = {longest:.1f} s; "
        f"set LEASE_SECONDS to at least {math.ceil(longest)} (or lower OGUST_TIMEOUT_SECONDS)"
    )
