"""Where the Ogust keys and the webhook secret come from: the environment, or Secret Manager.

Values stay inside this module's objects: their reprs show nothing, and errors name the secret,
never its content. Secret Manager values are cached for a TTL and re-read on demand (an Ogust
authentication failure), so a rotation needs no redeploy.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from shared.config.settings import Settings
from shared.errors import ConfigError, SecretUnavailableError
from shared.ogust import OgustKeys

_SECRET_TIMEOUT = 10.0


class Secrets:
    """The Ogust key pair and the webhook secrets, from the environment or Secret Manager."""

    def __init__(
        self, settings: Settings, env: Mapping[str, str], *, store: SecretStore | None = None
    ) -> None:
        self._settings = settings
        self._env = env
        self._store = store
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[float, str]] = {}

    def __repr__(self) -> str:
        return "Secrets(<hidden>)"

    # KeyProvider, for the Ogust client.
    def keys(self) -> OgustKeys:
        """The Ogust key pair."""
        name = self._settings.ogust_keys_secret
        if name is None:
            return OgustKeys(self._env["OGUST_PUBLIC_KEY"].strip(), self._env["OGUST_PRIVATE_KEY"].strip())
        return _parse_key_pair(name, self._read(name))

    def invalidate(self) -> None:
        """Forget the cached key pair, so the next call reads the latest version."""
        if self._settings.ogust_keys_secret is not None:
            with self._lock:
                self._cache.pop(self._settings.ogust_keys_secret, None)

    def webhook_secrets(self) -> list[str]:
        """Every accepted webhook secret; two during a rotation, separated by spaces."""
        name = self._settings.webhook_secret_name
        raw = self._env.get("WEBHOOK_SECRET", "") if name is None else self._read(name)
        secrets = raw.split()
        if not secrets:
            raise ConfigError(f"the webhook secret {name or 'WEBHOOK_SECRET'} is empty")
        return secrets

    def _read(self, name: str) -> str:
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get(name)
            if cached is not None and now - cached[0] < self._settings.secret_ttl:
                return cached[1]
        value = self._secret_store().access(self._resource(name))
        with self._lock:
            self._cache[name] = (now, value)
        return value

    def _resource(self, name: str) -> str:
        if name.startswith("projects/"):
            return name if "/versions/" in name else f"{name}/versions/latest"
        return f"projects/{self._settings.project}/secrets/{name}/versions/latest"

    def _secret_store(self) -> SecretStore:
        with self._lock:
            if self._store is None:
                self._store = SecretManagerStore(endpoint=self._settings.secret_manager_endpoint)
            return self._store


class SecretStore(Protocol):
    """Reads one secret version as text."""

    def access(self, resource: str) -> str: ...


class SecretManagerStore:
    """Secret Manager through the official client, created on first use (it is slow to import)."""

    def __init__(
        self, *, endpoint: str | None = None, client_factory: Callable[[], Any] | None = None
    ) -> None:
        self._endpoint = endpoint
        self._factory = client_factory
        self._client: Any = None

    def access(self, resource: str) -> str:
        from google.api_core import exceptions as gexc
        from google.auth import exceptions as auth_exc

        secret = _short(resource)
        try:
            response = self._get_client().access_secret_version(
                request={"name": resource}, retry=None, timeout=_SECRET_TIMEOUT
            )
        except gexc.NotFound:
            raise ConfigError(
                f"secret '{secret}' or its version does not exist ({_project(resource)})"
            ) from None
        except (gexc.PermissionDenied, gexc.Forbidden):
            raise ConfigError(
                f"permission denied on secret '{secret}': grant roles/secretmanager.secretAccessor "
                "on this secret to the function's service account"
            ) from None
        except auth_exc.DefaultCredentialsError:
            raise ConfigError(
                f"cannot read secret '{secret}': no Google Cloud credentials on this machine "
                "(run `gcloud auth application-default login`)"
            ) from None
        except gexc.ClientError as exc:
            raise ConfigError(f"cannot read secret '{secret}': {type(exc).__name__}") from None
        except (gexc.GoogleAPIError, auth_exc.TransportError, OSError) as exc:
            raise SecretUnavailableError(
                f"Secret Manager unavailable while reading '{secret}': {type(exc).__name__}"
            ) from None
        data: bytes = response.payload.data
        if response.payload.data_crc32c:
            import google_crc32c

            if google_crc32c.value(data) != response.payload.data_crc32c:
                raise SecretUnavailableError(f"secret '{secret}' arrived corrupted (CRC32C mismatch)")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise ConfigError(f"secret '{secret}' is not UTF-8 text") from None

    def _get_client(self) -> Any:
        if self._client is None:
            self._client = self._factory() if self._factory else self._default_client()
        return self._client

    def _default_client(self) -> Any:
        from google.cloud import secretmanager

        if self._endpoint is None:
            return secretmanager.SecretManagerServiceClient()
        from google.api_core.client_options import ClientOptions
        from google.auth.credentials import AnonymousCredentials

        # A plain-http endpoint is a local fake or emulator: no Google credentials to send.
        credentials = AnonymousCredentials() if self._endpoint.startswith("http://") else None  # type: ignore[no-untyped-call]
        return secretmanager.SecretManagerServiceClient(
            credentials=credentials,
            transport="rest",
            client_options=ClientOptions(api_endpoint=self._endpoint),
        )


def _parse_key_pair(name: str, text: str) -> OgustKeys:
    expected = 'a JSON object {"public_key": "...", "private_key": "..."}'
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise ConfigError(f"secret '{name}' must hold {expected}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"secret '{name}' must hold {expected}")
    public, private = data.get("public_key"), data.get("private_key")
    if (
        not isinstance(public, str)
        or not public.strip()
        or not isinstance(private, str)
        or not private.strip()
    ):
        raise ConfigError(f"secret '{name}' must hold {expected}; a key is missing or empty")
    return OgustKeys(public.strip(), private.strip())


def _short(resource: str) -> str:
    parts = resource.split("/")
    return parts[3] if len(parts) > 3 else resource


def _project(resource: str) -> str:
    parts = resource.split("/")
    return f"project {parts[1]}" if len(parts) > 1 else "unknown project"
