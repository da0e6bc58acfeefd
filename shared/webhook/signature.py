"""Standard Webhooks v1 signatures: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`.

Written here rather than taken from the `standardwebhooks` package because that package raises
`ValueError`/`binascii.Error` on malformed headers; every malformed input must be a 401.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from collections.abc import Mapping, Sequence

from shared.errors import ConfigError, SignatureError

SECRET_PREFIX = "whsec_"  # noqa: S105 - a format prefix, not a secret
TOLERANCE_SECONDS = 5 * 60
"""The Standard Webhooks default: older or newer timestamps are refused to stop replays."""

_MAX_ID_LENGTH = 256


def decode_secret(secret: str) -> bytes:
    """Turn a `whsec_<base64>` secret into the HMAC key bytes."""
    raw = secret.strip()
    if raw.startswith(SECRET_PREFIX):
        raw = raw[len(SECRET_PREFIX) :]
    try:
        key = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        raise ConfigError("the webhook secret is not in the whsec_<base64> form") from None
    if len(key) < 16:
        raise ConfigError("the webhook secret is too short (at least 16 random bytes, 24–64 recommended)")
    return key


def sign(secret: str, webhook_id: str, timestamp: int, body: bytes) -> str:
    """Return the `webhook-signature` value for one secret."""
    digest = hmac.new(decode_secret(secret), _signed_content(webhook_id, timestamp, body), hashlib.sha256)
    return "v1," + base64.b64encode(digest.digest()).decode("ascii")


def signed_headers(
    secret: str, webhook_id: str, body: bytes, *, timestamp: int | None = None
) -> dict[str, str]:
    """Build the three headers a sender attaches to `body`."""
    ts = int(time.time()) if timestamp is None else timestamp
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(ts),
        "webhook-signature": sign(secret, webhook_id, ts, body),
    }


def verify_signature(
    headers: Mapping[str, str], body: bytes, secrets: Sequence[str], *, now: float | None = None
) -> None:
    """Raise SignatureError unless one `v1` signature matches one of `secrets` within the tolerance."""
    lowered = {k.lower(): v for k, v in headers.items()}
    webhook_id = _required(lowered, "webhook-id")
    timestamp = _parse_timestamp(_required(lowered, "webhook-timestamp"))
    signature_header = _required(lowered, "webhook-signature")
    if len(webhook_id) > _MAX_ID_LENGTH or "." in webhook_id:
        raise SignatureError("header webhook-id is malformed")
    current = time.time() if now is None else now
    if timestamp < current - TOLERANCE_SECONDS:
        raise SignatureError("header webhook-timestamp is too old (more than 5 minutes)")
    if timestamp > current + TOLERANCE_SECONDS:
        raise SignatureError("header webhook-timestamp is in the future (more than 5 minutes)")

    candidates = _parse_signatures(signature_header)
    content = _signed_content(webhook_id, timestamp, body)
    keys = [decode_secret(s) for s in secrets]
    for key in keys:
        expected = hmac.new(key, content, hashlib.sha256).digest()
        # Compare against every candidate without stopping early, so timing reveals nothing.
        matched = False
        for candidate in candidates:
            matched |= hmac.compare_digest(expected, candidate)
        if matched:
            return
    raise SignatureError("header webhook-signature does not match the body")


def _signed_content(webhook_id: str, timestamp: int, body: bytes) -> bytes:
    return f"{webhook_id}.{timestamp}.".encode() + body


def _required(headers: Mapping[str, str], name: str) -> str:
    value = headers.get(name, "").strip()
    if not value:
        raise SignatureError(f"header {name} is missing")
    return value


def _parse_timestamp(value: str) -> int:
    if not value.isascii() or not value.isdigit() or len(value) > 12:
        raise SignatureError("header webhook-timestamp is not a whole number of seconds")
    return int(value)


def _parse_signatures(value: str) -> list[bytes]:
    """Keep the decodable `v1` entries; other schemes (v1a…) are allowed and ignored."""
    found: list[bytes] = []
    for entry in value.split(" "):
        version, sep, encoded = entry.partition(",")
        if not sep or version != "v1":
            continue
        try:
            found.append(base64.b64decode(encoded, validate=True))
        except (binascii.Error, ValueError):
            continue
    if not found:
        raise SignatureError("header webhook-signature holds no v1 signature")
    return found
