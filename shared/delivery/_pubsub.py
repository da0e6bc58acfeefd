"""Publishing to Pub/Sub: one lazily created client per process, ordering keys, bounded waits."""

from __future__ import annotations

import threading
from typing import Any, Protocol

from shared.errors import ConfigError, DeliveryUnavailableError

PUBLISH_TIMEOUT_SECONDS = 10.0
"""How long the receiver waits for Pub/Sub to confirm a publish before answering 503.

The Apps Script sender gives up after about 30 s; a 503 well before that makes it keep the
submission and retry, which is what we want when Pub/Sub is slow."""


class Publisher(Protocol):
    """Publishes one message and returns its message id once Pub/Sub confirmed it."""

    def publish(
        self, topic: str, data: bytes, attributes: dict[str, str], *, ordering_key: str = ""
    ) -> str: ...


def topic_path(project: str | None, topic: str) -> str:
    """`projects/P/topics/T` from a topic id (or a full path, kept as is)."""
    return _path(project, "topics", topic)


def subscription_path(project: str | None, subscription: str) -> str:
    """`projects/P/subscriptions/S` from a subscription id (or a full path)."""
    return _path(project, "subscriptions", subscription)


def _path(project: str | None, collection: str, name: str) -> str:
    if name.startswith("projects/"):
        return name
    if not project:
        raise ConfigError(f"GOOGLE_CLOUD_PROJECT is needed to find the Pub/Sub {collection[:-1]} '{name}'")
    return f"projects/{project}/{collection}/{name}"


class PubSubPublisher:
    """`google-cloud-pubsub`'s PublisherClient with message ordering; `PUBSUB_EMULATOR_HOST` is
    honoured by the client itself. The client is created on first use: it is slow to import."""

    def __init__(self, *, timeout: float | None = None) -> None:
        self._timeout_override = timeout
        self._client: Any = None
        self._lock = threading.Lock()

    def publish(self, topic: str, data: bytes, attributes: dict[str, str], *, ordering_key: str = "") -> str:
        """Publish and wait for the confirmation; DeliveryUnavailableError if none came in time."""
        from google.api_core.retry import Retry

        client = self._get_client()
        timeout = self._timeout_override or PUBLISH_TIMEOUT_SECONDS
        retry = Retry(initial=0.1, maximum=2.0, multiplier=2.0, timeout=timeout)
        try:
            future = client.publish(
                topic, data, ordering_key=ordering_key, retry=retry, timeout=timeout, **attributes
            )
            message_id: str = future.result(timeout=timeout + 1)
        except Exception as exc:  # API errors, timeouts, and the client's own wrapper classes
            if ordering_key:
                # A failed publish pauses its ordering key; without this every later one fails too.
                client.resume_publish(topic, ordering_key)
            raise DeliveryUnavailableError(
                f"Pub/Sub did not confirm the publish to '{_short(topic)}': {type(exc).__name__}"
            ) from None
        return message_id

    def _get_client(self) -> Any:
        with self._lock:
            if self._client is None:
                from google.cloud import pubsub_v1  # type: ignore[attr-defined]

                self._client = pubsub_v1.PublisherClient(
                    publisher_options=pubsub_v1.types.PublisherOptions(enable_message_ordering=True)
                )
            return self._client


def _short(path: str) -> str:
    return path.rsplit("/", 1)[-1]
