"""Settings from the environment: documented names, and one error listing every problem."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.config import Settings
from shared.config.settings import SECONDS_RANGES
from shared.errors import ConfigError
from tests.config.envs import CLOUD, LOCAL


def test_local_settings() -> None:
    settings = Settings.from_env(LOCAL)
    assert settings.mapping_file == Path("examples/satisfaction.yaml")
    assert settings.ogust_keys_secret is None
    assert settings.secret_ttl == 600.0


def test_cloud_settings_name_secrets_instead_of_values() -> None:
    settings = Settings.from_env({**CLOUD, "SECRET_TTL_SECONDS": "60"})
    assert (settings.project, settings.ogust_keys_secret, settings.webhook_secret_name) == (
        "agence-demo",
        "ogust-keys",
        "webhook-secret",
    )
    assert settings.secret_ttl == 60.0


def test_every_problem_is_named_at_once() -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"OGUST_API_URL": "api.ogust.com", "SECRET_TTL_SECONDS": "dix"})
    message = str(caught.value)
    for expected in (
        "OGUST_API_URL",
        "MAPPING_FILE",
        "OGUST_PRIVATE_KEY",
        "WEBHOOK_SECRET",
        "SECRET_TTL_SECONDS",
    ):
        assert expected in message


def test_short_secret_names_need_a_project() -> None:
    env = {**LOCAL, "OGUST_KEYS_SECRET": "ogust-keys"}
    with pytest.raises(ConfigError, match="GOOGLE_CLOUD_PROJECT"):
        Settings.from_env(env)
    assert Settings.from_env({**env, "OGUST_KEYS_SECRET": "projects/p/secrets/ogust-keys"}).project is None


@pytest.mark.parametrize("name", ["LEASE_SECONDS", "OGUST_WRITE_GRACE_SECONDS"])
@pytest.mark.parametrize("raw", ["nan", "inf", "-inf", "1e9", "0"])
def test_a_lease_or_a_grace_period_that_would_block_or_never_protect_a_person_is_refused(
    name: str, raw: str
) -> None:
    with pytest.raises(ConfigError, match=name):
        Settings.from_env({**LOCAL, name: raw})


def test_the_grace_period_is_derived_unless_set() -> None:
    assert Settings.from_env(LOCAL).ogust_write_grace is None
    assert Settings.from_env({**LOCAL, "OGUST_WRITE_GRACE_SECONDS": "90"}).ogust_write_grace == 90.0
    assert Settings.from_env(LOCAL).lease_seconds == 300.0


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
    low, high = SECONDS_RANGES[name]
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
