"""What travels on Pub/Sub: the submission as data, identifiers as attributes, a hashed ordering key.

No personal data goes into attributes or ordering keys: they show up in consoles and logs. The
ordering key is a hash of the normalised lookup key, so two submissions for the same person are
delivered one after the other (the second finds the customer the first created).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from shared.errors import FormsToOgustError, PayloadError
from shared.lifecycle import Origin, read_word
from shared.logs import mask
from shared.mapping import Plan, hashed_key, identity_key
from shared.webhook import Submission

MAX_ATTRIBUTE_VALUE = 1024
"""Pub/Sub's limit on one attribute value, in bytes."""

UNMASKED_DETAILS = frozenset({"customerIds"})
"""Details kept whole in a dead letter: Ogust customer ids are no personal data, and the person who
merges two customers needs them exactly."""


def ordering_key(the_plan: Plan) -> str:
    """The ordering key of a planned submission: hash of its first lookup field and normalised value.

    A plan with no lookup value (one the mapping skips: it writes nothing) is keyed by its response
    (`fallback_key`).
    """
    if not the_plan.lookup:
        return fallback_key(the_plan.form.form_id, the_plan.response_id)
    target, value = the_plan.lookup[0]
    return hashed_key(target.name, identity_key(target, value))


def fallback_key(form_id: str, response_id: str) -> str:
    """The ordering key of an answer whose person is not known: one the mapping skips or refuses,
    a dead letter without the key it was queued with. Its own response: its versions stay in order."""
    return hashed_key("response", form_id, response_id)


def submission_attributes(submission: Submission, **extra: str | None) -> dict[str, str]:
    """The attributes every queued submission carries (identifiers and the version, no answers)."""
    attributes = {
        "responseId": submission.response_id,
        "formId": submission.form_id,
        "submittedAt": submission.submitted_at.isoformat(),
        # When it was received: the worker orders a version dated ahead of it at this time.
        "receivedAt": datetime.now(UTC).isoformat(),
    }
    attributes.update({k: v for k, v in extra.items() if v})
    return {k: _clip(v) for k, v in attributes.items()}


def dead_letter_attributes(
    submission_or_attributes: Submission | dict[str, str], exc: FormsToOgustError
) -> dict[str, str]:
    """Why a submission was parked: the error, where it is, when (the data stays the submission)."""
    if isinstance(submission_or_attributes, Submission):
        base = submission_attributes(submission_or_attributes)
    else:
        base = {k: v for k, v in submission_or_attributes.items() if not k.startswith("CloudPubSub")}
    attributes = {
        **base,
        "reason": mask(str(exc)),
        "errorType": type(exc).__name__,
        "failedAt": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    for key, value in exc.details().items():
        if key != "value" and value:  # the refused answer itself is personal data: not in attributes
            text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
            attributes[key] = text if key in UNMASKED_DETAILS else mask(text)
    return {k: _clip(v) for k, v in attributes.items() if v}


def received_at(attributes: dict[str, str]) -> datetime | None:
    """The `receivedAt` attribute of a queued submission (None: absent or unreadable)."""
    try:
        value = datetime.fromisoformat(attributes.get("receivedAt", ""))
    except ValueError:
        return None
    return value if value.tzinfo else None


@dataclass(frozen=True)
class PushMessage:
    """One Pub/Sub message as a push delivery carries it."""

    data: bytes
    attributes: dict[str, str] = field(default_factory=dict)
    message_id: str = ""
    delivery_attempt: int | None = None
    """Only set by real Pub/Sub when the subscription has a dead-letter policy (not the emulator)."""

    @classmethod
    def parse(cls, body: bytes) -> PushMessage:
        """The message a push body carries; PayloadError when it carries none."""
        return _parse_push(body)

    @property
    def received_at(self) -> datetime | None:
        """When the submission was received, from its `receivedAt` attribute (`received_at`)."""
        return received_at(self.attributes)

    @property
    def origin(self) -> Origin:
        """Where the submission came from: its `origin` attribute, the script's when none."""
        return read_word(Origin, self.attributes.get("origin") or Origin.SCRIPT)


def _parse_push(body: bytes) -> PushMessage:
    """Read a push body: the raw envelope `{"message": {...}, "subscription": ...}` (Pub/Sub push,
    the emulator) or the same `{"message": {...}}` carried as a CloudEvent's data (Eventarc)."""
    try:
        envelope = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise PayloadError("push body is not JSON") from None
    message = envelope.get("message") if isinstance(envelope, dict) else None
    if not isinstance(message, dict):
        raise PayloadError("push body has no 'message' object")
    try:
        data = base64.b64decode(message.get("data") or "", validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise PayloadError("push message data is not base64") from None
    attributes = message.get("attributes") or {}
    attempt = envelope.get("deliveryAttempt")
    return PushMessage(
        data=data,
        attributes={str(k): str(v) for k, v in attributes.items()} if isinstance(attributes, dict) else {},
        message_id=str(message.get("messageId") or message.get("message_id") or ""),
        delivery_attempt=attempt if isinstance(attempt, int) else None,
    )


def _clip(value: Any) -> str:
    text = str(value)
    encoded = text.encode()
    if len(encoded) <= MAX_ATTRIBUTE_VALUE:
        return text
    return encoded[: MAX_ATTRIBUTE_VALUE - 3].decode(errors="ignore") + "…"
