"""Durations and sizes from the environment: a value no one means (nan, inf, 1e-9, a year, "²") is
refused naming the variable and what it accepts."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.config import Settings
from shared.config.settings import SECONDS_RANGES
from shared.errors import ConfigError
from tests.support.envs import LOCAL

DURATIONS = ("SECRET_TTL_SECONDS", "OGUST_TIMEOUT_SECONDS", "LEASE_SECONDS", "BODY_TIMEOUT_SECONDS")


@pytest.mark.parametrize("name", DURATIONS)
@pytest.mark.parametrize("raw", ["nan", "NaN", "inf", "-inf", "1e-9", "0", "-5", "1e9", "dix", "1,5"])
def test_a_duration_that_is_no_plausible_number_of_seconds_is_refused_naming_the_variable(
    name: str, raw: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({**LOCAL, name: raw})
    (line,) = [line for line in str(caught.value).splitlines() if name in line]
    assert line.strip().startswith(f"{name} must be a number of seconds")
    assert repr(raw) in line


@given(st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(DURATIONS))
def test_a_duration_is_taken_only_when_finite_and_in_its_range(value: float, name: str) -> None:
    low, high = SECONDS_RANGES.get(name, (0.1, 86_400.0))
    env = {**LOCAL, name: repr(value)}
    if math.isfinite(value) and low <= value <= high:
        assert math.isfinite(float(getattr(Settings.from_env(env), FIELDS[name])))
    else:
        with pytest.raises(ConfigError, match=name):
            Settings.from_env(env)


FIELDS = {
    "SECRET_TTL_SECONDS": "secret_ttl",
    "OGUST_TIMEOUT_SECONDS": "ogust_timeout",
    "LEASE_SECONDS": "lease_seconds",
    "BODY_TIMEOUT_SECONDS": "body_timeout",
}


@pytest.mark.parametrize("raw", ["²", "１０", "0", "1001", "1e3", "10.0", "-1", "nan"])
def test_a_page_size_that_is_no_plain_whole_number_in_range_is_refused_naming_it(raw: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({**LOCAL, "OGUST_PAGE_SIZE": raw})
    assert f"OGUST_PAGE_SIZE must be a whole number from 1 to 1000, not {raw!r}" in str(caught.value)
