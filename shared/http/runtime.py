"""The objects a running function needs, built once per instance: settings, mapping, secrets,
and lazily the Ogust client, the Pub/Sub publisher, the ledger and the leases, and for the
reconciler the Forms API client and the watermarks."""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Generic, TypeVar

from shared.config import Role, Secrets, Settings, ogust_client
from shared.delivery import Publisher, PubSubPublisher, Reconciler, Watermarks, topic_path, watermarks_in
from shared.errors import ConfigError
from shared.exactly_once import Guard, Leases, Ledger, guard_from, lease_problem
from shared.mapping import MappingFile, load_checked_mapping

if TYPE_CHECKING:  # the HTTP clients are imported when first built: a function pays only for its own
    from shared.delivery import FormRun
    from shared.exactly_once import LedgerEntry
    from shared.forms import FormsClient
    from shared.ogust import OgustClient
    from shared.sheets import SheetsClient
    from shared.tracking import Tracker
    from shared.webhook import Submission

T = TypeVar("T")


class Once(Generic[T]):
    """A value built on first use, once per instance however many threads ask (or given up front)."""

    def __init__(self, value: T | None = None) -> None:
        self._value = value
        self._lock = threading.Lock()

    def get(self, build: Callable[[], T]) -> T:
        with self._lock:
            if self._value is None:
                self._value = build()
            return self._value


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
        sheets: SheetsClient | None = None,
    ) -> None:
        self.settings = settings
        self.mapping = mapping
        self.secrets = secrets
        self._ogust: Once[OgustClient] = Once()
        self._publisher = Once(publisher)
        self._given = (ledger, leases)
        self._stores: Once[Guard] = Once()
        self._forms = Once(forms)
        self._watermarks = Once(watermarks)
        self._sheets = Once(sheets)
        self._tracker: Once[Tracker] = Once()

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, role: Role | None = None) -> Runtime:
        """Build from environment variables; ConfigError says what is missing or invalid.

        The role (what must be configured) follows FUNCTION_TARGET and DELIVERY_MODE unless given.
        """
        env = dict(os.environ if env is None else env)
        settings = Settings.from_env(env, role=role)
        mapping = load_checked_mapping(settings.mapping_file)  # checked when the artifact was built
        if settings.role in ("sync", "worker"):
            # A lease a slow Ogust could outlast lets a second delivery of the person in: refuse.
            problem = lease_problem(mapping, settings.lease_seconds, settings.ogust_timeout)
            if problem is not None:
                raise ConfigError(f"invalid settings ({settings.role}):\n  {problem}")
            # A lookup key Ogust does not filter on would read every customer per lookup: refused here.
            settings.ogust_options.refuse_full_scans(
                (form.label, key) for form in mapping.forms for key in form.lookup
            )
        return cls(settings, mapping, Secrets(settings, env))

    def ogust(self) -> OgustClient:
        """The instance's one Ogust client: its token and connections are shared by every request."""
        return self._ogust.get(lambda: ogust_client(self.settings, self.secrets))

    def publisher(self) -> Publisher:
        """The instance's Pub/Sub publisher (the client itself is created on the first publish)."""
        return self._publisher.get(PubSubPublisher)

    def _guard(self) -> Guard:
        """The instance's ledger, leases and writes in doubt, where the settings keep them
        (`guard_from`: Firestore, shared by every instance, or this process); the ledger and the
        leases given to the runtime, if any, in their place."""

        def build() -> Guard:
            guard = guard_from(self.settings)
            ledger, leases = self._given
            return dataclasses.replace(
                guard,
                ledger=guard.ledger if ledger is None else ledger,
                leases=guard.leases if leases is None else leases,
            )

        return self._stores.get(build)

    def ledger(self) -> Ledger:
        """Where every response's history is kept: Firestore (LEDGER=firestore) or this process."""
        return self._guard().ledger

    def guard(self) -> Guard:
        """The ledger, the leases and the writes in doubt, side by side (Firestore, shared by every
        instance, or this process), with the agency's tab told of every attempt."""
        return dataclasses.replace(self._guard(), observer=self._observer())

    def _observer(self) -> Callable[[Submission, LedgerEntry | None], None] | None:
        """Told of every attempt: the agency's tab, when a form of the mapping has one."""
        tracker = self.tracker()
        return tracker.attempted if tracker is not None else None

    def leases(self) -> Leases:
        """The instance's leases (the agency's tab takes one on itself beside the persons')."""
        return self._guard().leases

    def tracker(self) -> Tracker | None:
        """The agency's tracking tab, when a form of the mapping has one (`tracking_tab: true`)."""
        if not any(f.tracking_tab for f in self.mapping.forms):
            return None

        def build() -> Tracker:
            from shared.sheets import SheetsClient
            from shared.tracking import Tracker

            sheets = self._sheets.get(lambda: SheetsClient(self.settings.sheets_api_endpoint, timeout=5.0))
            return Tracker(self.mapping, sheets, self.ledger(), self.leases(), self.forms)

        return self._tracker.get(build)

    def forms(self) -> FormsClient:
        """The Forms API client: FORMS_API_ENDPOINT (a local fake, no token) or Google's, with the
        function's own service account (created on first use: google-auth is imported then)."""

        def build() -> FormsClient:
            from shared.forms import FormsClient

            return FormsClient(self.settings.forms_api_endpoint)

        return self._forms.get(build)

    def watermarks(self) -> Watermarks:
        """Where the reconciler keeps each form's watermark: beside the ledger."""
        return self._watermarks.get(lambda: watermarks_in(self.settings.firestore))

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
            after=self._keep_tab(),
        )

    def _keep_tab(self) -> Callable[[FormRun], None] | None:
        """After each form's reconciliation, its tab "Suivi Ogust" (boxes resent, rows from the ledger)."""
        tracker = self.tracker()
        if tracker is None:
            return None
        topic = topic_path(self.settings.project, self.settings.submissions_topic or "")
        return tracker.after_run(self.publisher(), topic)
