"""Settings from the environment: documented names, and one error listing every problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.config import Settings
from shared.errors import ConfigError

LOCAL = {
    "OGUST_API_URL": "http://127.0.0.1:8765/api/v2/apiogust.php",
    "OGUST_PUBLIC_KEY": "01234567890123456789",
    "OGUST_PRIVATE_KEY": "0123456789ABCDEF",
    "WEBHOOK_SECRET": "whsec_abc",
    "MAPPING_FILE": "examples/satisfaction.yaml",
}


def test_local_settings() -> None:
    settings = Settings.from_env(LOCAL)
    assert settings.mapping_file == Path("examples/satisfaction.yaml")
    assert settings.ogust_keys_secret is None
    assert settings.secret_ttl == 600.0


def test_cloud_settings_name_secrets_instead_of_values() -> None:
    env = {
        "OGUST_API_URL": "https://api.ogust.com/api/v2/apiogust.php",
        "MAPPING_FILE": "mapping.yaml",
        "GOOGLE_CLOUD_PROJECT": "agence-demo",
        "OGUST_KEYS_SECRET": "ogust-keys",
        "WEBHOOK_SECRET_NAME": "webhook-secret",
        "SECRET_TTL_SECONDS": "60",
    }
    settings = Settings.from_env(env)
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
