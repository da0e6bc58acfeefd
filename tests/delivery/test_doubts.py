"""Writes in doubt: the store's contract (in this process and in the Firestore emulator) and the
settling rule (a create found by a search, or any doubt once the grace period has passed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.delivery import Doubt, grace_seconds, still_in_doubt
from tests.delivery.stores import Stores

AT = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
MARIE = ["person:email:marie-helene", "person:mobile_phone:0612345678"]


def test_a_doubt_is_found_under_every_key_of_the_person_by_another_instance(stores: Stores) -> None:
    stores.doubts().record(MARIE, "create", "setCustomer", AT)
    found = stores.doubts().pending([*MARIE, "person:email:quelqu-un-d-autre"])
    assert sorted(d.key for d in found) == sorted(MARIE)
    assert {(d.kind, d.at, d.method) for d in found} == {("create", AT, "setCustomer")}


def test_doubts_on_one_key_merge_into_the_latest_time_and_the_stronger_kind(stores: Stores) -> None:
    doubts = stores.doubts()
    doubts.record(MARIE[:1], "create", "setCustomer", AT)
    doubts.record(MARIE[:1], "update", "setAddress", AT + timedelta(seconds=5))
    (doubt,) = stores.doubts().pending(MARIE)
    assert (doubt.kind, doubt.at, doubt.method) == ("create", AT + timedelta(seconds=5), "setAddress")


def test_settling_forgets_what_was_seen_and_keeps_a_later_doubt(stores: Stores) -> None:
    doubts = stores.doubts()
    doubts.record(MARIE[:1], "create", "setCustomer", AT)
    doubts.record(MARIE[1:], "update", "setAddress", AT + timedelta(seconds=10))
    stores.doubts().settle(MARIE, AT + timedelta(seconds=1))
    # The later doubt was recorded after the settling search began: it stays for the next delivery.
    assert [(d.key, d.kind) for d in stores.doubts().pending(MARIE)] == [(MARIE[1], "update")]
    stores.doubts().settle(MARIE, AT + timedelta(seconds=10))
    assert stores.doubts().pending(MARIE) == []


def doubt(kind: str, seconds_ago: float, now: datetime = AT) -> Doubt:
    return Doubt("k", "create" if kind == "create" else "update", now - timedelta(seconds=seconds_ago), "m")


def test_a_doubtful_create_is_settled_by_a_search_that_finds_the_person() -> None:
    assert still_in_doubt([doubt("create", 1)], found=True, searched_at=AT, grace=60) == []
    assert still_in_doubt([doubt("create", 1)], found=False, searched_at=AT, grace=60) == [doubt("create", 1)]


def test_a_doubtful_update_is_settled_only_by_the_grace_period() -> None:
    # The customer existed before the update: finding it proves nothing about the update.
    assert still_in_doubt([doubt("update", 1)], found=True, searched_at=AT, grace=60) == [doubt("update", 1)]
    assert still_in_doubt([doubt("update", 60)], found=True, searched_at=AT, grace=60) == []


@given(
    kinds=st.lists(st.sampled_from(["create", "update"]), min_size=1, max_size=4),
    ages=st.lists(st.floats(min_value=0, max_value=600), min_size=4, max_size=4),
    found=st.booleans(),
    grace=st.floats(min_value=1, max_value=600),
)
def test_nothing_is_settled_before_the_grace_period_unless_a_create_was_found(
    kinds: list[str], ages: list[float], found: bool, grace: float
) -> None:
    doubts = [doubt(kind, age) for kind, age in zip(kinds, ages, strict=False)]
    left = still_in_doubt(doubts, found=found, searched_at=AT, grace=grace)
    for d in doubts:
        age = (AT - d.at).total_seconds()
        settled = age >= grace or (d.kind == "create" and found)
        assert (d not in left) == settled


@pytest.mark.parametrize(("timeout", "grace"), [(0.5, 60.0), (2.0, 60.0), (10.0, 60.0), (30.0, 180.0)])
def test_the_grace_period_follows_ogusts_timeout(timeout: float, grace: float) -> None:
    assert grace_seconds(timeout) == grace
    assert grace_seconds(timeout, configured=7.5) == 7.5
