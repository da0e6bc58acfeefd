"""Typed settings, read once from the environment (names are public: README, Terraform, scripts).

What a process must be given depends on its role (`ROLES`): the receiver in queue mode never sees
an Ogust key, the worker never sees the webhook secret (least privilege). One table says what each
role needs; small readers check one concern each and report every problem at once.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from shared.config.ogust_options import OgustOptions
from shared.errors import ConfigError

DEFAULT_SECRET_TTL = 600.0
"""Secrets are re-read at most every 10 minutes, so a rotation reaches running instances quickly."""

DEFAULT_OGUST_TIMEOUT = 10.0
"""Seconds per Ogust call; the Apps Script sender itself gives up after about 30 s."""

DEFAULT_LEASE_SECONDS = 300.0
"""How long a per-person lease lives when its holder died: longer than one delivery may take with
the default Ogust timeout (the function refuses to start otherwise: shared.delivery.lease_problem)."""

DEFAULT_BODY_TIMEOUT = 10.0
"""Seconds a sender has to deliver the body it announced: a slow one must not hold a worker thread."""

DEFAULT_FIRESTORE_DATABASE = "(default)"

DeliveryMode = Literal["sync", "queue"]
LedgerKind = Literal["memory", "firestore"]
Role = Literal["sync", "receiver", "worker", "reconciler", "tool"]
"""sync: receive_submission applying to Ogust at once; receiver: receive_submission publishing to
Pub/Sub; worker: process_submission; reconciler: reconcile_forms; tool: the command-line tool."""

Need = Literal["ogust", "webhook", "mapping", "submissions_topic", "dead_letter_topic", "watch_topic"]

ROLES: dict[Role, frozenset[Need]] = {
    "sync": frozenset({"ogust", "webhook", "mapping"}),
    "receiver": frozenset({"webhook", "mapping", "submissions_topic"}),
    "worker": frozenset({"ogust", "mapping", "dead_letter_topic"}),
    "reconciler": frozenset({"mapping", "submissions_topic", "watch_topic"}),
    "tool": frozenset({"ogust"}),  # the command-line tool takes the mapping as an argument
}
"""What each role must be given; anything else it is given is ignored."""

RECEIVER_ENTRY_POINT = "receive_submission"
WORKER_ENTRY_POINT = "process_submission"
RECONCILER_ENTRY_POINT = "reconcile_forms"
DOCTOR_ENTRY_POINT = "probe_ogust"
"""The doctor's probes from the function's environment: the command-line tool's role, deployed."""

ENTRY_POINT_ENV: dict[str, frozenset[str]] = {
    RECEIVER_ENTRY_POINT: frozenset(
        {"DELIVERY_MODE", "MAPPING_FILE", "GOOGLE_CLOUD_PROJECT", "WEBHOOK_SECRET_NAME", "SUBMISSIONS_TOPIC"}
    ),
    WORKER_ENTRY_POINT: frozenset(
        {
            "OGUST_API_URL",
            "MAPPING_FILE",
            "GOOGLE_CLOUD_PROJECT",
            "OGUST_KEYS_SECRET",
            "DEAD_LETTER_TOPIC",
            "LEDGER",
            "FIRESTORE_DATABASE",
            "LEASE_SECONDS",
            "MAX_DELIVERY_ATTEMPTS",
        }
    ),
    DOCTOR_ENTRY_POINT: frozenset(
        {"OGUST_API_URL", "MAPPING_FILE", "GOOGLE_CLOUD_PROJECT", "OGUST_KEYS_SECRET"}
    ),
    RECONCILER_ENTRY_POINT: frozenset(
        {
            "MAPPING_FILE",
            "GOOGLE_CLOUD_PROJECT",
            "SUBMISSIONS_TOPIC",
            "LEDGER",
            "FIRESTORE_DATABASE",
            "FORMS_WATCH_TOPIC",
        }
    ),
}
"""The environment each deployed entry point (queue mode, in the cloud) is given, and nothing more."""

OPTIONAL_ENV = frozenset(
    {
        "SECRET_TTL_SECONDS",
        "OGUST_TIMEOUT_SECONDS",
        "SHEETS_API_ENDPOINT",
        "SECRET_MANAGER_ENDPOINT",
        "BODY_TIMEOUT_SECONDS",
        "FORMS_API_ENDPOINT",
        "OGUST_WRITE_GRACE_SECONDS",
        # What the Ogust account expects (OgustOptions; `forms-to-ogust doctor` recommends values).
        "OGUST_BODY_ENCODING",
        "OGUST_TOKEN_TIMEZONE",
        "OGUST_PAGE_SIZE",
        "OGUST_TOKEN_ERROR_PATTERN",
        "OGUST_SEARCH_STATUS",
        "OGUST_IGNORED_FILTERS",
        "OGUST_ACCEPT_FULL_SCAN",
        "OGUST_TEXT_ESCAPING",
    }
)
"""Variables an entry point accepts but does not need (FORMS_API_ENDPOINT: local runs only)."""

_ROLE_OF_ENTRY_POINT: dict[str, Role] = {
    WORKER_ENTRY_POINT: "worker",
    RECONCILER_ENTRY_POINT: "reconciler",
    DOCTOR_ENTRY_POINT: "tool",
}


@dataclass(frozen=True)
class Settings:
    """Everything the function needs to know besides the secret values themselves."""

    ogust_api_url: str
    """Empty for the roles that never call Ogust (the receiver in queue mode, the reconciler)."""
    mapping_file: Path
    project: str | None = None
    ogust_keys_secret: str | None = None
    """Secret Manager secret holding {"public_key": …, "private_key": …}; unset = env keys."""
    webhook_secret_name: str | None = None
    """Secret Manager secret holding the whsec_ webhook secret(s); unset = WEBHOOK_SECRET."""
    secret_manager_endpoint: str | None = None
    secret_ttl: float = DEFAULT_SECRET_TTL
    ogust_timeout: float = DEFAULT_OGUST_TIMEOUT
    delivery_mode: DeliveryMode = "sync"
    role: Role = "sync"
    submissions_topic: str | None = None
    """Pub/Sub topic id (or projects/P/topics/T) the receiver and the reconciler publish to."""
    dead_letter_topic: str | None = None
    """Pub/Sub topic id the worker parks permanently refused submissions on."""
    ledger: LedgerKind = "memory"
    firestore_database: str = DEFAULT_FIRESTORE_DATABASE
    lease_seconds: float = DEFAULT_LEASE_SECONDS
    ogust_write_grace: float | None = None
    """OGUST_WRITE_GRACE_SECONDS: how long a write in doubt may still land in Ogust; None: derived
    from OGUST_TIMEOUT_SECONDS (shared.exactly_once.guard_from)."""
    body_timeout: float = DEFAULT_BODY_TIMEOUT
    forms_watch_topic: str | None = None
    """projects/P/topics/T the Forms API watches publish to (the reconciler creates them)."""
    forms_api_endpoint: str | None = None
    """Another Forms API (a local fake); unset: Google's."""
    sheets_api_endpoint: str | None = None
    """Another Sheets API (a local fake) for the agency's tracking tab; unset: Google's."""
    ogust_options: OgustOptions = field(default_factory=OgustOptions)
    """What this Ogust account expects (OGUST_BODY_ENCODING, OGUST_PAGE_SIZE…)."""
    max_delivery_attempts: int | None = None
    """MAX_DELIVERY_ATTEMPTS: the push subscription's `max_delivery_attempts`. On that attempt the
    worker parks a submission that still fails (the agency is told) rather than leave Pub/Sub to
    dead-letter it unannounced; None: it nacks every retryable failure."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, role: Role | None = None) -> Settings:
        """Read the settings for `role`; ConfigError names every missing or invalid variable.

        Without `role`, the role follows FUNCTION_TARGET (set by functions-framework before main.py
        is loaded) and DELIVERY_MODE: see `role_for`.
        """
        env = os.environ if env is None else env
        problems: list[str] = []
        delivery_mode = _delivery_mode(env, problems)
        role = role or role_for(env.get("FUNCTION_TARGET"), delivery_mode)
        needs = ROLES[role]
        project = _text(env, "GOOGLE_CLOUD_PROJECT") or _text(env, "GCP_PROJECT")
        keys_secret = _ogust(env, needs, problems)
        webhook_secret = _webhook(env, needs, problems)
        secrets = [keys_secret if "ogust" in needs else None, webhook_secret if "webhook" in needs else None]
        if any(secrets) and project is None and not _all_full_names(*secrets):
            problems.append("GOOGLE_CLOUD_PROJECT is needed to find secrets given by short name")
        mapping = _text(env, "MAPPING_FILE") or ""
        if "mapping" in needs and not mapping:
            problems.append("MAPPING_FILE must name the mapping YAML file")
        topics = _topics(env, needs, project, problems)
        ogust_options = _ogust_options(env, needs, problems)
        ledger = _ledger(env, project, problems)
        settings = cls(
            ogust_api_url=(_text(env, "OGUST_API_URL") or "") if "ogust" in needs else "",
            mapping_file=Path(mapping),
            project=project,
            ogust_keys_secret=keys_secret if "ogust" in needs else None,
            webhook_secret_name=webhook_secret if "webhook" in needs else None,
            secret_manager_endpoint=_text(env, "SECRET_MANAGER_ENDPOINT"),
            secret_ttl=_seconds(env, "SECRET_TTL_SECONDS", DEFAULT_SECRET_TTL, problems),
            ogust_timeout=_seconds(env, "OGUST_TIMEOUT_SECONDS", DEFAULT_OGUST_TIMEOUT, problems),
            delivery_mode=delivery_mode,
            role=role,
            submissions_topic=topics.get("SUBMISSIONS_TOPIC"),
            dead_letter_topic=topics.get("DEAD_LETTER_TOPIC"),
            ledger=ledger,
            firestore_database=_text(env, "FIRESTORE_DATABASE") or DEFAULT_FIRESTORE_DATABASE,
            lease_seconds=_seconds(env, "LEASE_SECONDS", DEFAULT_LEASE_SECONDS, problems),
            ogust_write_grace=(
                _seconds(env, "OGUST_WRITE_GRACE_SECONDS", 0.0, problems)
                if _text(env, "OGUST_WRITE_GRACE_SECONDS")
                else None
            ),
            body_timeout=_seconds(env, "BODY_TIMEOUT_SECONDS", DEFAULT_BODY_TIMEOUT, problems),
            forms_watch_topic=topics.get("FORMS_WATCH_TOPIC"),
            forms_api_endpoint=_text(env, "FORMS_API_ENDPOINT"),
            sheets_api_endpoint=_text(env, "SHEETS_API_ENDPOINT"),
            ogust_options=ogust_options,
            max_delivery_attempts=_attempts(env, "MAX_DELIVERY_ATTEMPTS", problems),
        )
        if problems:
            raise ConfigError(f"invalid settings ({role}):\n  " + "\n  ".join(problems))
        return settings

    @property
    def firestore(self) -> tuple[str | None, str] | None:
        """Where the ledger, the leases, the writes in doubt and the watermarks are kept: Firestore's
        project and database (LEDGER=firestore, shared by every instance), or None: this process."""
        return (self.project, self.firestore_database) if self.ledger == "firestore" else None


def role_for(function_target: str | None, delivery_mode: DeliveryMode) -> Role:
    """The role of a process started for `function_target` (None: the receiver)."""
    if function_target in _ROLE_OF_ENTRY_POINT:
        return _ROLE_OF_ENTRY_POINT[function_target]
    return "receiver" if delivery_mode == "queue" else "sync"


def _text(env: Mapping[str, str], name: str) -> str | None:
    return env.get(name, "").strip() or None


def _delivery_mode(env: Mapping[str, str], problems: list[str]) -> DeliveryMode:
    mode = (env.get("DELIVERY_MODE") or "sync").strip().lower()
    if mode not in ("sync", "queue"):
        problems.append(f"DELIVERY_MODE must be 'sync' or 'queue', not {mode!r}")
    return "queue" if mode == "queue" else "sync"


def _ogust(env: Mapping[str, str], needs: frozenset[Need], problems: list[str]) -> str | None:
    """The Ogust URL and where the keys come from; returns the keys' secret name, if any."""
    keys_secret = _text(env, "OGUST_KEYS_SECRET")
    if "ogust" not in needs:
        return None
    if not (_text(env, "OGUST_API_URL") or "").startswith(("https://", "http://")):
        problems.append(
            "OGUST_API_URL must be the Ogust API URL, e.g. https://api.ogust.com/api/v2/apiogust.php"
        )
    if keys_secret is None and not (env.get("OGUST_PUBLIC_KEY") and env.get("OGUST_PRIVATE_KEY")):
        problems.append("set OGUST_PUBLIC_KEY and OGUST_PRIVATE_KEY, or OGUST_KEYS_SECRET (Secret Manager)")
    return keys_secret


def _ogust_options(env: Mapping[str, str], needs: frozenset[Need], problems: list[str]) -> OgustOptions:
    if "ogust" not in needs:
        return OgustOptions()
    try:
        return OgustOptions.from_env(env)
    except ConfigError as exc:
        problems.extend(line.strip() for line in str(exc).splitlines()[1:])
        return OgustOptions()


def _webhook(env: Mapping[str, str], needs: frozenset[Need], problems: list[str]) -> str | None:
    name = _text(env, "WEBHOOK_SECRET_NAME")
    if "webhook" in needs and name is None and not env.get("WEBHOOK_SECRET"):
        problems.append("set WEBHOOK_SECRET, or WEBHOOK_SECRET_NAME (Secret Manager)")
    return name


_TOPICS: dict[str, tuple[Need, str]] = {
    "SUBMISSIONS_TOPIC": ("submissions_topic", "the Pub/Sub topic submissions are queued on"),
    "DEAD_LETTER_TOPIC": ("dead_letter_topic", "the Pub/Sub topic refused submissions are parked on"),
    "FORMS_WATCH_TOPIC": ("watch_topic", "the Pub/Sub topic the Forms API watches publish to"),
}


def _topics(
    env: Mapping[str, str], needs: frozenset[Need], project: str | None, problems: list[str]
) -> dict[str, str]:
    """The topics this role uses, by variable name (the others are ignored)."""
    found: dict[str, str] = {}
    for name, (need, meaning) in _TOPICS.items():
        if need not in needs:
            continue
        value = _text(env, name)
        if value is None:
            problems.append(f"{name} must name {meaning}")
        else:
            found[name] = value
    if found and project is None and not _all_full_names(*found.values()):
        problems.append("GOOGLE_CLOUD_PROJECT is needed to find Pub/Sub topics given by short name")
    return found


def _ledger(
    env: Mapping[str, str], project: str | None, problems: list[str]
) -> Literal["memory", "firestore"]:
    ledger = (env.get("LEDGER") or "memory").strip().lower()
    if ledger not in ("memory", "firestore"):
        problems.append(f"LEDGER must be 'memory' or 'firestore', not {ledger!r}")
        return "memory"
    if ledger == "firestore" and project is None:
        problems.append("GOOGLE_CLOUD_PROJECT is needed for LEDGER=firestore")
    return "firestore" if ledger == "firestore" else "memory"


def _all_full_names(*names: str | None) -> bool:
    return all(n is None or n.startswith("projects/") for n in names)


SECONDS_RANGES: dict[str, tuple[float, float]] = {
    "SECRET_TTL_SECONDS": (1.0, 86_400.0),
    "OGUST_TIMEOUT_SECONDS": (0.1, 600.0),
    "LEASE_SECONDS": (0.1, 86_400.0),
    "OGUST_WRITE_GRACE_SECONDS": (0.1, 86_400.0),
    "BODY_TIMEOUT_SECONDS": (0.1, 600.0),
}
"""The plausible range of each duration: outside it (1e-9, a year) it is surely a typing mistake; a
lease or a grace period longer than a day would block a person for good."""


DELIVERY_ATTEMPTS_RANGE = (5, 100)
"""Pub/Sub's bounds of a dead-letter policy's `max_delivery_attempts`."""


def _attempts(env: Mapping[str, str], name: str, problems: list[str]) -> int | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    low, high = DELIVERY_ATTEMPTS_RANGE
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
        problems.append(f"{name} must be a whole number from {low} to {high} (Pub/Sub's limits), not {raw!r}")
        return None
    return int(raw)


def _seconds(env: Mapping[str, str], name: str, default: float, problems: list[str]) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        problems.append(f"{name} must be a number of seconds, not {raw!r}")
        return default
    low, high = SECONDS_RANGES.get(name, (0.1, 86_400.0))
    if not math.isfinite(value) or not low <= value <= high:  # nan, inf, 1e-9, a year
        problems.append(f"{name} must be a number of seconds from {low:g} to {high:g}, not {raw!r}")
        return default
    if value <= 0:
        problems.append(f"{name} must be positive")
    return value
