"""Typed settings, read once from the environment (names are public: README, Terraform, scripts)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from shared.errors import ConfigError

DEFAULT_SECRET_TTL = 600.0
"""Secrets are re-read at most every 10 minutes, so a rotation reaches running instances quickly."""

DEFAULT_OGUST_TIMEOUT = 10.0
"""Seconds per Ogust call; the Apps Script sender itself gives up after about 30 s."""


@dataclass(frozen=True)
class Settings:
    """Everything the function needs to know besides the secret values themselves."""

    ogust_api_url: str
    mapping_file: Path
    project: str | None = None
    ogust_keys_secret: str | None = None
    """Secret Manager secret holding {"public_key": …, "private_key": …}; unset = env keys."""
    webhook_secret_name: str | None = None
    """Secret Manager secret holding the whsec_ webhook secret(s); unset = WEBHOOK_SECRET."""
    secret_manager_endpoint: str | None = None
    secret_ttl: float = DEFAULT_SECRET_TTL
    ogust_timeout: float = DEFAULT_OGUST_TIMEOUT

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read the settings; ConfigError names every missing or invalid variable."""
        env = os.environ if env is None else env
        problems: list[str] = []
        url = env.get("OGUST_API_URL", "").strip()
        if not url.startswith(("https://", "http://")):
            problems.append(
                "OGUST_API_URL must be the Ogust API URL, e.g. https://api.ogust.com/api/v2/apiogust.php"
            )
        mapping = env.get("MAPPING_FILE", "").strip()
        if not mapping:
            problems.append("MAPPING_FILE must name the mapping YAML file")
        keys_secret = env.get("OGUST_KEYS_SECRET", "").strip() or None
        webhook_secret = env.get("WEBHOOK_SECRET_NAME", "").strip() or None
        project = (env.get("GOOGLE_CLOUD_PROJECT") or env.get("GCP_PROJECT") or "").strip() or None
        if keys_secret is None and not (env.get("OGUST_PUBLIC_KEY") and env.get("OGUST_PRIVATE_KEY")):
            problems.append(
                "set OGUST_PUBLIC_KEY and OGUST_PRIVATE_KEY, or OGUST_KEYS_SECRET (Secret Manager)"
            )
        if webhook_secret is None and not env.get("WEBHOOK_SECRET"):
            problems.append("set WEBHOOK_SECRET, or WEBHOOK_SECRET_NAME (Secret Manager)")
        if (
            (keys_secret or webhook_secret)
            and project is None
            and not _all_full_names(keys_secret, webhook_secret)
        ):
            problems.append("GOOGLE_CLOUD_PROJECT is needed to find secrets given by short name")
        ttl = _number(env, "SECRET_TTL_SECONDS", DEFAULT_SECRET_TTL, problems)
        timeout = _number(env, "OGUST_TIMEOUT_SECONDS", DEFAULT_OGUST_TIMEOUT, problems)
        if problems:
            raise ConfigError("invalid settings:\n  " + "\n  ".join(problems))
        return cls(
            ogust_api_url=url,
            mapping_file=Path(mapping),
            project=project,
            ogust_keys_secret=keys_secret,
            webhook_secret_name=webhook_secret,
            secret_manager_endpoint=env.get("SECRET_MANAGER_ENDPOINT", "").strip() or None,
            secret_ttl=ttl,
            ogust_timeout=timeout,
        )


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
