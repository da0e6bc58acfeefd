"""The objects a running function needs, built once per instance: settings, mapping, secrets,
and lazily the Ogust client, the Pub/Sub publisher, the ledger and the leases, and for the
reconciler the Forms API client and the watermarks."""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING

from shared.config import Role, Secrets, Settings, ogust_client
from shared.delivery import (
    FirestoreLeases,
    FirestoreLedger,
    FirestoreWatermarks,
    Guard,
    Leases,
    Ledger,
    MemoryLeases,
    MemoryLedger,
    MemoryWatermarks,
    Publisher,
    PubSubPublisher,
    Reconciler,
    Watermarks,
    topic_path,
)
from shared.mapping import MappingFile, load_mapping

if TYPE_CHECKING:  # the HTTP clients are imported when first built: a function pays only for its own
    from shared.forms import FormsClient
    from shared.ogust import OgustClient


class Runtime:
    """Settings and mapping are read at start (a bad mapping stops the deploy); clients come lazily."""

    def __init__(
        self,
        settings: Settings,
        mapping: MappingFile,
        secrets: Secrets,
        *,
        publisher: Publisher | None = None,
        ledger: Ledger | None = None,
        leases: Leases | None = None,
        forms: FormsClient | None = None,
        watermarks: Watermarks | None = None,
    ) -> None:
        self.settings = settings
        self.mapping = mapping
        self.secrets = secrets
        self._ogust: OgustClient | None = None
        self._publisher = publisher
        self._ledger = ledger
        self._leases = leases
        self._forms = forms
        self._watermarks = watermarks
        self._lock = threading.Lock()

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, role: Role | None = None) -> Runtime:
        """Build from environment variables; ConfigError says what is missing or invalid.

        The role (what must be configured) follows FUNCTION_TARGET and DELIVERY_MODE unless given.
        """
        env = dict(os.environ if env is None else env)
        settings = Settings.from_env(env, role=role)
        return cls(settings, load_mapping(settings.mapping_file), Secrets(settings, env))

    def ogust(self) -> OgustClient:
        """The instance's one Ogust client: its token and connections are shared by every request."""
        with self._lock:
            if self._ogust is None:
                self._ogust = ogust_client(self.settings, self.secrets)
            return self._ogust

    def publisher(self) -> Publisher:
        """The instance's Pub/Sub publisher (the client itself is created on the first publish)."""
        with self._lock:
            if self._publisher is None:
                self._publisher = PubSubPublisher()
            return self._publisher

    def ledger(self) -> Ledger:
        """Where every response's history is kept: Firestore (LEDGER=firestore) or this process."""
        with self._lock:
            if self._ledger is None:
                if self.settings.ledger == "firestore":
                    self._ledger = FirestoreLedger(self.settings.project, self.settings.firestore_database)
                else:
                    self._ledger = MemoryLedger()
            return self._ledger

    def guard(self) -> Guard:
        """The ledger and the leases, beside it (Firestore, shared by every instance, or this process)."""
        ledger = self.ledger()
        with self._lock:
            if self._leases is None:
                if self.settings.ledger == "firestore":
                    self._leases = FirestoreLeases(self.settings.project, self.settings.firestore_database)
                else:
                    self._leases = MemoryLeases()
            return Guard(ledger, self._leases, lease_ttl=self.settings.lease_seconds)

    def forms(self) -> FormsClient:
        """The Forms API client: FORMS_API_ENDPOINT (a local fake, no token) or Google's, with the
        function's own service account (created on first use: google-auth is imported then)."""
        with self._lock:
            if self._forms is None:
                from shared.forms import FormsClient

                self._forms = FormsClient(self.settings.forms_api_endpoint)
            return self._forms

    def watermarks(self) -> Watermarks:
        """Where the reconciler keeps each form's watermark: beside the ledger."""
        with self._lock:
            if self._watermarks is None:
                if self.settings.ledger == "firestore":
                    self._watermarks = FirestoreWatermarks(
                        self.settings.project, self.settings.firestore_database
                    )
                else:
                    self._watermarks = MemoryWatermarks()
            return self._watermarks

    def reconciler(self) -> Reconciler:
        """A reconciler on the instance's clients (cheap: built per run)."""
        settings = self.settings
        watch_topic = settings.forms_watch_topic
        return Reconciler(
            mapping=self.mapping,
            forms=self.forms(),
            ledger=self.ledger(),
            watermarks=self.watermarks(),
            publisher=self.publisher(),
            topic=topic_path(settings.project, settings.submissions_topic or ""),
            watch_topic=topic_path(settings.project, watch_topic) if watch_topic else None,
        )
