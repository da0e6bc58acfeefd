"""Writes in doubt: the settling rule (a create found by a search, or any doubt once the grace
period has passed). The store's contract is in `stores/test_doubts.py`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.exactly_once._doubts import Doubt, grace_seconds, still_in_doubt

AT = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)


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
