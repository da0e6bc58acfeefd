"""The objects a running function needs, built once per instance: settings, mapping, secrets, Ogust."""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping

from shared.config import Secrets, Settings
from shared.mapping import MappingFile, load_mapping
from shared.ogust import OgustClient


class Runtime:
    """Settings and mapping are read at start (a bad mapping stops the deploy); clients come lazily."""

    def __init__(self, settings: Settings, mapping: MappingFile, secrets: Secrets) -> None:
        self.settings = settings
        self.mapping = mapping
        self.secrets = secrets
        self._ogust: OgustClient | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Runtime:
        """Build from environment variables; ConfigError says what is missing or invalid."""
        env = dict(os.environ if env is None else env)
        settings = Settings.from_env(env)
        return cls(settings, load_mapping(settings.mapping_file), Secrets(settings, env))

    def ogust(self) -> OgustClient:
        """The instance's one Ogust client: its token and connections are shared by every request."""
        with self._lock:
            if self._ogust is None:
                self._ogust = OgustClient(
                    self.settings.ogust_api_url, self.secrets, timeout=self.settings.ogust_timeout
                )
            return self._ogust
