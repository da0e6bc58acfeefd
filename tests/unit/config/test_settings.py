"""Settings from the environment: documented names, and one error listing every problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.config import Settings
from shared.errors import ConfigError
from tests.support.envs import CLOUD, LOCAL


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
