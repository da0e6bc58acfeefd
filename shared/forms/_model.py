"""What the Forms API deals in, without any HTTP: page size, scopes, watches, its time format."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from shared.forms._convert import parse_time

DEFAULT_PAGE_SIZE = 1000
"""Responses asked per page (the API's own cap is 5000); the reconciler publishes page by page."""
SCOPES = (
    "https://www.googleapis.com/auth/forms.responses.readonly",
    "https://www.googleapis.com/auth/forms.body.readonly",
)
"""Read the responses (responses.list, watches) and the questions (forms.get); nothing more."""

NOTIFICATIONS_ACCOUNT = "forms-notifications@system.gserviceaccount.com"
"""Who publishes watch notifications: it needs roles/pubsub.publisher on the topic (WatchTarget)."""


@dataclass(frozen=True)
class Watch:
    """A Forms API watch: which event type of a form is published to which topic, until when."""

    id: str
    event_type: str
    topic: str
    expire_time: datetime | None
    state: str = ""
    error_type: str = ""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Watch:
        expire = data.get("expireTime")
        return cls(
            id=str(data.get("id") or ""),
            event_type=str(data.get("eventType") or ""),
            topic=str(((data.get("target") or {}).get("topic") or {}).get("topicName") or ""),
            expire_time=parse_time(expire) if isinstance(expire, str) else None,
            state=str(data.get("state") or ""),
            error_type=str(data.get("errorType") or ""),
        )


def rfc3339(moment: datetime) -> str:
    """RFC 3339 UTC "Zulu", as the responses.list filter wants it (`2014-10-02T15:01:23.045Z`)."""
    utc = moment.astimezone(UTC)
    return utc.isoformat(timespec="microseconds" if utc.microsecond % 1000 else "milliseconds").replace(
        "+00:00", "Z"
    )
