"""Typed settings, read once from the environment (names are public: README, Terraform, scripts).

Which settings are required depends on the role of the process (see `Role`): the receiver in queue
mode never sees an Ogust key, the worker never sees the webhook secret (least privilege).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from shared.errors import ConfigError

DEFAULT_SECRET_TTL = 600.0
"""Secrets are re-read at most every 10 minutes, so a rotation reaches running instances quickly."""

DEFAULT_OGUST_TIMEOUT = 10.0
"""Seconds per Ogust call; the Apps Script sender itself gives up after about 30 s."""

DEFAULT_FIRESTORE_DATABASE = "(default)"

DeliveryMode = Literal["sync", "queue"]
Role = Literal["sync", "receiver", "worker", "tool"]
"""sync: receive_submission applying to Ogust at once; receiver: receive_submission publishing to
Pub/Sub; worker: process_submission; tool: the command-line tool (preview --ogust, backfill)."""

RECEIVER_ENTRY_POINT = "receive_submission"
WORKER_ENTRY_POINT = "process_submission"

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
        }
    ),
}
"""The environment each deployed entry point (queue mode, in the cloud) is given, and nothing more."""

OPTIONAL_ENV = frozenset(
    {
        "SECRET_TTL_SECONDS",
        "OGUST_TIMEOUT_SECONDS",
        "SECRET_MANAGER_ENDPOINT",
        # What the Ogust account expects (shared.config.clients.OgustOptions; `forms-to-ogust doctor`).
        "OGUST_BODY_ENCODING",
        "OGUST_TOKEN_TIMEZONE",
        "OGUST_PAGE_SIZE",
        "OGUST_TOKEN_ERROR_PATTERN",
        "OGUST_SEARCH_STATUS",
    }
)
"""Variables either entry point accepts but does not need."""


@dataclass(frozen=True)
class Settings:
    """Everything the function needs to know besides the secret values themselves."""

    ogust_api_url: str
    """Empty for the receiver in queue mode, which never calls Ogust."""
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
    """Pub/Sub topic id (or projects/P/topics/T) the receiver publishes to in queue mode."""
    dead_letter_topic: str | None = None
    """Pub/Sub topic id the worker parks permanently refused submissions on."""
    ledger: Literal["memory", "firestore"] = "memory"
    firestore_database: str = DEFAULT_FIRESTORE_DATABASE

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, role: Role | None = None) -> Settings:
        """Read the settings for `role`; ConfigError names every missing or invalid variable.

        Without `role`, the role follows FUNCTION_TARGET (set by functions-framework before main.py
        is loaded) and DELIVERY_MODE: process_submission is the worker, anything else the receiver.
        """
        env = os.environ if env is None else env
        problems: list[str] = []
        mode = (env.get("DELIVERY_MODE") or "sync").strip().lower()
        if mode not in ("sync", "queue"):
            problems.append(f"DELIVERY_MODE must be 'sync' or 'queue', not {mode!r}")
            mode = "sync"
        delivery_mode: DeliveryMode = "queue" if mode == "queue" else "sync"
        if role is None:
            role = role_for(env.get("FUNCTION_TARGET"), delivery_mode)
        needs_ogust = role in ("sync", "worker", "tool")
        needs_webhook = role in ("sync", "receiver")

        url = env.get("OGUST_API_URL", "").strip()
        if needs_ogust and not url.startswith(("https://", "http://")):
            problems.append(
                "OGUST_API_URL must be the Ogust API URL, e.g. https://api.ogust.com/api/v2/apiogust.php"
            )
        mapping = env.get("MAPPING_FILE", "").strip()
        if not mapping and role != "tool":  # the command-line tool takes the mapping as an argument
            problems.append("MAPPING_FILE must name the mapping YAML file")
        keys_secret = env.get("OGUST_KEYS_SECRET", "").strip() or None
        webhook_secret = env.get("WEBHOOK_SECRET_NAME", "").strip() or None
        project = (env.get("GOOGLE_CLOUD_PROJECT") or env.get("GCP_PROJECT") or "").strip() or None
        if (
            needs_ogust
            and keys_secret is None
            and not (env.get("OGUST_PUBLIC_KEY") and env.get("OGUST_PRIVATE_KEY"))
        ):
            problems.append(
                "set OGUST_PUBLIC_KEY and OGUST_PRIVATE_KEY, or OGUST_KEYS_SECRET (Secret Manager)"
            )
        if needs_webhook and webhook_secret is None and not env.get("WEBHOOK_SECRET"):
            problems.append("set WEBHOOK_SECRET, or WEBHOOK_SECRET_NAME (Secret Manager)")
        used_secrets = [
            *([keys_secret] if needs_ogust else []),
            *([webhook_secret] if needs_webhook else []),
        ]
        if any(used_secrets) and project is None and not _all_full_names(*used_secrets):
            problems.append("GOOGLE_CLOUD_PROJECT is needed to find secrets given by short name")

        submissions_topic = env.get("SUBMISSIONS_TOPIC", "").strip() or None
        dead_letter_topic = env.get("DEAD_LETTER_TOPIC", "").strip() or None
        if role == "receiver" and submissions_topic is None:
            problems.append("SUBMISSIONS_TOPIC must name the Pub/Sub topic submissions are queued on")
        if role == "worker" and dead_letter_topic is None:
            problems.append("DEAD_LETTER_TOPIC must name the Pub/Sub topic refused submissions are parked on")
        topics = [t for t in (submissions_topic, dead_letter_topic) if t and role in ("receiver", "worker")]
        if topics and project is None and not _all_full_names(*topics):
            problems.append("GOOGLE_CLOUD_PROJECT is needed to find Pub/Sub topics given by short name")

        ledger = (env.get("LEDGER") or "memory").strip().lower()
        if ledger not in ("memory", "firestore"):
            problems.append(f"LEDGER must be 'memory' or 'firestore', not {ledger!r}")
            ledger = "memory"
        if ledger == "firestore" and project is None:
            problems.append("GOOGLE_CLOUD_PROJECT is needed for LEDGER=firestore")

        ttl = _number(env, "SECRET_TTL_SECONDS", DEFAULT_SECRET_TTL, problems)
        timeout = _number(env, "OGUST_TIMEOUT_SECONDS", DEFAULT_OGUST_TIMEOUT, problems)
        if problems:
            raise ConfigError(f"invalid settings ({role}):\n  " + "\n  ".join(problems))
        return cls(
            ogust_api_url=url if needs_ogust else "",
            mapping_file=Path(mapping),
            project=project,
            ogust_keys_secret=keys_secret if needs_ogust else None,
            webhook_secret_name=webhook_secret if needs_webhook else None,
            secret_manager_endpoint=env.get("SECRET_MANAGER_ENDPOINT", "").strip() or None,
            secret_ttl=ttl,
            ogust_timeout=timeout,
            delivery_mode=delivery_mode,
            role=role,
            submissions_topic=submissions_topic,
            dead_letter_topic=dead_letter_topic,
            ledger="firestore" if ledger == "firestore" else "memory",
            firestore_database=env.get("FIRESTORE_DATABASE", "").strip() or DEFAULT_FIRESTORE_DATABASE,
        )


def role_for(function_target: str | None, delivery_mode: DeliveryMode) -> Role:
    """The role of a process started for `function_target` (None: the receiver)."""
    if function_target == WORKER_ENTRY_POINT:
        return "worker"
    return "receiver" if delivery_mode == "queue" else "sync"


def _all_full_names(*names: str | None) -> bool:
    return all(n is None or n.startswith("projects/") for n in names)


def _number(env: Mapping[str, str], name: str, default: float, problems: list[str]) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        problems.append(f"{name} must be a number of seconds, not {raw!r}")
        return default
    if value <= 0:
        problems.append(f"{name} must be positive")
    return value
