"""Secrets: env locally; Secret Manager in the cloud, through the real client against a fake server."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from shared.config import Secrets, Settings
from shared.errors import ConfigError, SecretUnavailableError
from tests.support.envs import CLOUD, LOCAL
from tests.support.fakes.secret_manager import FakeSecretManager

KEYS = {"public_key": "01234567890123456789", "private_key": "0123456789ABCDEF"}
WEBHOOK = "whsec_c2VjcmV0LWRlLXRlc3QtZGUtMzItb2N0ZXRzLi4uLi4="


@pytest.fixture
def fake() -> Iterator[FakeSecretManager]:
    server = FakeSecretManager().start()
    server.add_version("ogust-keys", json.dumps(KEYS))
    server.add_version("webhook-secret", WEBHOOK)
    yield server
    server.stop()


def cloud(fake: FakeSecretManager, ttl: str = "600") -> Secrets:
    env = {**CLOUD, "SECRET_MANAGER_ENDPOINT": fake.endpoint, "SECRET_TTL_SECONDS": ttl}
    return Secrets(Settings.from_env(env), env)


def test_env_secrets_locally() -> None:
    env = {
        **LOCAL,
        "OGUST_PUBLIC_KEY": " 01234567890123456789 ",
        "WEBHOOK_SECRET": f"{WEBHOOK} whsec_b2xkLXNlY3JldC1vbGQtc2VjcmV0LW9sZA==",
    }
    secrets = Secrets(Settings.from_env(env), env)
    assert secrets.keys().public_key == "01234567890123456789"
    assert len(secrets.webhook_secrets()) == 2


def test_reads_both_secrets_from_secret_manager(fake: FakeSecretManager) -> None:
    secrets = cloud(fake)
    keys = secrets.keys()
    assert (keys.public_key, keys.private_key) == (KEYS["public_key"], KEYS["private_key"])
    assert secrets.webhook_secrets() == [WEBHOOK]
    assert fake.requests == [
        "/v1/projects/agence-demo/secrets/ogust-keys/versions/latest:access",
        "/v1/projects/agence-demo/secrets/webhook-secret/versions/latest:access",
    ]


def test_values_are_cached_for_the_ttl(fake: FakeSecretManager) -> None:
    secrets = cloud(fake)
    for _ in range(5):
        secrets.keys()
    assert len(fake.requests) == 1


def test_invalidate_rereads_the_latest_version(fake: FakeSecretManager) -> None:
    secrets = cloud(fake)
    assert secrets.keys().private_key == "0123456789ABCDEF"
    fake.add_version("ogust-keys", json.dumps({**KEYS, "private_key": "FEDCBA9876543210"}))
    assert secrets.keys().private_key == "0123456789ABCDEF"
    secrets.invalidate()
    assert secrets.keys().private_key == "FEDCBA9876543210"


def test_missing_secret_is_a_clear_config_error(fake: FakeSecretManager) -> None:
    del fake.secrets["ogust-keys"]
    with pytest.raises(ConfigError, match="secret 'ogust-keys' or its version does not exist"):
        cloud(fake).keys()


def test_permission_error_names_the_secret_and_the_role(fake: FakeSecretManager) -> None:
    fake.denied.add("webhook-secret")
    with pytest.raises(ConfigError, match=r"permission denied on secret 'webhook-secret'.*secretAccessor"):
        cloud(fake).webhook_secrets()


def test_outage_is_transient(fake: FakeSecretManager) -> None:
    fake.unavailable = True
    with pytest.raises(SecretUnavailableError, match="Secret Manager unavailable"):
        cloud(fake).keys()


def test_malformed_key_pair_is_named_but_not_shown(fake: FakeSecretManager) -> None:
    fake.add_version("ogust-keys", '{"public_key": "01234567890123456789", "private": "SECRET-VALUE"}')
    with pytest.raises(ConfigError) as caught:
        cloud(fake).keys()
    assert "ogust-keys" in str(caught.value)
    assert "SECRET-VALUE" not in str(caught.value)
    assert "01234567890123456789" not in str(caught.value)


def test_nothing_secret_in_reprs(fake: FakeSecretManager) -> None:
    secrets = cloud(fake)
    keys = secrets.keys()
    assert "0123456789ABCDEF" not in repr(keys) + str(keys) + repr(secrets)


def test_unreachable_endpoint_is_transient() -> None:
    env = {
        "OGUST_API_URL": "https://x/api",
        "MAPPING_FILE": "m.yaml",
        "OGUST_KEYS_SECRET": "projects/p/secrets/ogust-keys",
        "WEBHOOK_SECRET": WEBHOOK,
        "SECRET_MANAGER_ENDPOINT": "http://127.0.0.1:9",
    }
    with pytest.raises(SecretUnavailableError):
        Secrets(Settings.from_env(env), env).keys()
