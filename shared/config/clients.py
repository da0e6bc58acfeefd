"""The Ogust client as the settings describe it, for the functions and the command-line tool."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, TextIO

from shared.config.ogust_options import OgustOptions
from shared.config.secrets import Secrets
from shared.config.settings import Settings
from shared.errors import ConfigError

if TYPE_CHECKING:  # the client (and httpx) are imported when a client is built, not at start
    import httpx

    from shared.ogust import OgustClient


def ogust_client(
    settings: Settings,
    secrets: Secrets,
    *,
    transport: httpx.BaseTransport | None = None,
    options: OgustOptions | None = None,
    log_stream: TextIO | None = None,
) -> OgustClient:
    """An Ogust client configured like the function's: URL, timeout, keys from the environment or
    Secret Manager, the account's OGUST_* options (or `options`, the doctor's recommendation)."""
    if not settings.ogust_api_url:
        raise ConfigError(f"the {settings.role} has no OGUST_API_URL: it must not call Ogust")
    options = options or settings.ogust_options
    from shared.ogust import OgustClient

    return OgustClient(
        settings.ogust_api_url,
        secrets,
        timeout=settings.ogust_timeout,
        transport=transport,
        log_stream=log_stream,
        **options.client_options(),
    )


def tool_ogust_client(
    *, transport: httpx.BaseTransport | None = None, options: OgustOptions | None = None
) -> OgustClient:
    """The Ogust client of the command-line tool, from the same environment variables as the function.

    Its warnings go to stderr: stdout is the command's own output (often --json).
    """
    env = dict(os.environ)
    settings = Settings.from_env(env, role="tool")
    return ogust_client(
        settings, Secrets(settings, env), transport=transport, options=options, log_stream=sys.stderr
    )
