"""MAX_DELIVERY_ATTEMPTS: the push subscription's maximum, so that the worker knows its last chance;
absent, the worker nacks every retryable failure as before."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.config import Settings
from shared.errors import ConfigError
from tests.support.envs import WORKER


def worker(**env: str) -> Settings:
    return Settings.from_env({**WORKER, **env}, role="worker")


def test_the_worker_reads_the_maximum_and_none_when_it_is_not_set() -> None:
    assert worker(MAX_DELIVERY_ATTEMPTS="10").max_delivery_attempts == 10
    assert worker(MAX_DELIVERY_ATTEMPTS=" 5 ").max_delivery_attempts == 5
    without = {k: v for k, v in WORKER.items() if k != "MAX_DELIVERY_ATTEMPTS"}
    assert Settings.from_env(without, role="worker").max_delivery_attempts is None
    assert worker(MAX_DELIVERY_ATTEMPTS="").max_delivery_attempts is None


@pytest.mark.parametrize("raw", ["4", "101", "0", "-5", "10.0", "dix", "1e1", "５"])
def test_a_maximum_pub_sub_would_not_take_is_named_with_its_limits(raw: str) -> None:
    with pytest.raises(ConfigError) as caught:
        worker(MAX_DELIVERY_ATTEMPTS=raw)
    assert (
        f"MAX_DELIVERY_ATTEMPTS must be a whole number from 5 to 100 (Pub/Sub's limits), not {raw!r}"
        in str(caught.value)
    )


@given(st.text(max_size=8))
def test_any_value_is_read_as_pub_sub_would_take_it_or_refused_by_name(raw: str) -> None:
    text = raw.strip()
    if text and not (text.isascii() and text.isdigit() and 5 <= int(text) <= 100):
        with pytest.raises(ConfigError, match="MAX_DELIVERY_ATTEMPTS must be a whole number from 5 to 100"):
            worker(MAX_DELIVERY_ATTEMPTS=raw)
        return
    assert worker(MAX_DELIVERY_ATTEMPTS=raw).max_delivery_attempts == (int(text) if text else None)
