"""The function as Cloud Functions runs it: functions-framework's app around main.py, on the sandbox."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from functions_framework import create_app

from ogust_sandbox import Sandbox
from tests.support.function import MAIN, SETTINGS_TO_CLEAR, Post, signed_poster, sync_env


@pytest.fixture
def function_env(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    env = sync_env(sandbox)
    for name in SETTINGS_TO_CLEAR:
        monkeypatch.delenv(name, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


@pytest.fixture
def client(function_env: dict[str, str]) -> FlaskClient:
    return create_app("receive_submission", str(MAIN)).test_client()


@pytest.fixture
def post(client: FlaskClient) -> Post:
    """POST a submission signed as the Apps Script sender signs it; header overrides break one thing."""
    return signed_poster(client)
