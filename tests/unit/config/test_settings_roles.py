"""Role-aware settings: each entry point needs its own variables and nothing more."""

from __future__ import annotations

import pytest

from shared.config import Settings
from shared.config.settings import ENTRY_POINT_ENV, OPTIONAL_ENV
from shared.errors import ConfigError
from tests.support.envs import LOCAL, WORKER

RECEIVER_QUEUE = {
    "DELIVERY_MODE": "queue",
    "MAPPING_FILE": "mapping.yaml",
    "GOOGLE_CLOUD_PROJECT": "agence-demo",
    "WEBHOOK_SECRET_NAME": "webhook-secret",
    "SUBMISSIONS_TOPIC": "form-submissions",
}


def test_catalogue_lists_exactly_what_each_entry_point_is_given() -> None:
    assert set(RECEIVER_QUEUE) == ENTRY_POINT_ENV["receive_submission"]
    assert set(WORKER) == ENTRY_POINT_ENV["process_submission"]
    assert {
        "SECRET_TTL_SECONDS",
        "OGUST_TIMEOUT_SECONDS",
        "SHEETS_API_ENDPOINT",
        "SECRET_MANAGER_ENDPOINT",
        "BODY_TIMEOUT_SECONDS",
        "FORMS_API_ENDPOINT",
        "OGUST_WRITE_GRACE_SECONDS",
        "OGUST_BODY_ENCODING",
        "OGUST_TOKEN_TIMEZONE",
        "OGUST_PAGE_SIZE",
        "OGUST_TOKEN_ERROR_PATTERN",
        "OGUST_SEARCH_STATUS",
        "OGUST_IGNORED_FILTERS",
        "OGUST_ACCEPT_FULL_SCAN",
        "OGUST_TEXT_ESCAPING",
    } == OPTIONAL_ENV


def test_receiver_in_queue_mode_needs_no_ogust_setting() -> None:
    settings = Settings.from_env(RECEIVER_QUEUE)
    assert (settings.role, settings.delivery_mode, settings.ogust_api_url) == ("receiver", "queue", "")
    assert settings.ogust_keys_secret is None


def test_worker_needs_no_webhook_secret() -> None:
    settings = Settings.from_env({**WORKER, "FUNCTION_TARGET": "process_submission"})
    assert (settings.role, settings.ledger, settings.webhook_secret_name) == ("worker", "firestore", None)
    assert settings.dead_letter_topic == "form-submissions-dead-letters"


def test_worker_role_ignores_a_webhook_secret_name_it_was_given_anyway() -> None:
    env = {**WORKER, "WEBHOOK_SECRET_NAME": "webhook-secret"}
    assert Settings.from_env(env, role="worker").webhook_secret_name is None


def test_every_missing_worker_setting_is_named_at_once() -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"LEDGER": "redis"}, role="worker")
    message = str(caught.value)
    for expected in ("OGUST_API_URL", "MAPPING_FILE", "OGUST_KEYS_SECRET", "DEAD_LETTER_TOPIC", "LEDGER"):
        assert expected in message
    assert "WEBHOOK_SECRET" not in message


def test_receiver_in_queue_mode_without_topic_or_secret() -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"DELIVERY_MODE": "queue", "MAPPING_FILE": "m.yaml"})
    message = str(caught.value)
    assert "SUBMISSIONS_TOPIC" in message
    assert "WEBHOOK_SECRET" in message
    assert "OGUST" not in message


def test_unknown_delivery_mode_is_refused() -> None:
    with pytest.raises(ConfigError, match="DELIVERY_MODE"):
        Settings.from_env({**RECEIVER_QUEUE, "DELIVERY_MODE": "pubsub"})


def test_sync_mode_is_the_default_and_unchanged() -> None:
    settings = Settings.from_env(LOCAL)
    assert (settings.role, settings.delivery_mode, settings.ledger) == ("sync", "sync", "memory")
