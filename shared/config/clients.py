"""The Ogust client as the settings describe it, for the functions and the command-line tool."""

from __future__ import annotations

import os

import httpx

from shared.config.secrets import Secrets
from shared.config.settings import Settings
from shared.errors import ConfigError
from shared.ogust import OgustClient


def ogust_client(
    settings: Settings, secrets: Secrets, *, transport: httpx.BaseTransport | None = None
) -> OgustClient:
    """An Ogust client configured like the function's (URL, timeout, keys from env or Secret Manager)."""
    if not settings.ogust_api_url:
        raise ConfigError(f"the {settings.role} has no OGUST_API_URL: it must not call Ogust")
    return OgustClient(settings.ogust_api_url, secrets, timeout=settings.ogust_timeout, transport=transport)


def tool_ogust_client(*, transport: httpx.BaseTransport | None = None) -> OgustClient:
    """The Ogust client of the command-line tool, from the same environment variables as the function."""
    env = dict(os.environ)
    settings = Settings.from_env(env, role="tool")
    return ogust_client(settings, Secrets(settings, env), transport=transport)
