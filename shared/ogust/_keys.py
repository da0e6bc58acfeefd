"""Ogust company keys, where they come from, and the getToken signature (docs/ogust-api.md §2)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
"""Alenvi signed with Paris wall time in production until 2019 (docs/ogust-api.md §2, S4 commit 1823c49)."""

TOKEN_ZONES: dict[str, tzinfo] = {"Europe/Paris": PARIS, "UTC": UTC}
"""The two clocks working clients signed getToken with: Paris (Alenvi) and UTC (S6's gmdate)."""


@dataclass(frozen=True, repr=False)
class OgustKeys:
    """The company public key and private (encryption) key; never printed."""

    public_key: str
    private_key: str

    def __repr__(self) -> str:
        return f"{type(self).__name__}(public_key={self.public_key[:4] + '…'!r}, private_key='***')"

    __str__ = __repr__


@runtime_checkable
class KeyProvider(Protocol):
    """Gives the current keys; `invalidate()` means "re-read them on the next `keys()`"."""

    def keys(self) -> OgustKeys: ...

    def invalidate(self) -> None: ...


@dataclass(frozen=True, repr=False)
class StaticKeys(OgustKeys):
    """Fixed keys that are their own provider (tests, CLI); `invalidate()` does nothing."""

    def keys(self) -> OgustKeys:
        """Return these keys."""
        return self

    def invalidate(self) -> None:
        """Nothing to re-read."""


def sign_token_request(keys: OgustKeys, time_str: str) -> str:
    """Uppercase hex HMAC-SHA1, keyed with the private key, of `public_key+GET_TOKEN+time`."""
    message = f"{keys.public_key}+GET_TOKEN+{time_str}".encode()
    return hmac.new(keys.private_key.encode(), message, hashlib.sha1).hexdigest().upper()


def token_time(now: datetime | None = None, *, zone: tzinfo = PARIS) -> str:
    """`YYYYMMDDHHmmss.NNNNNN` in `zone`'s wall time (Paris unless told); a naive `now` is taken as
    that wall time already."""
    moment = datetime.now(zone) if now is None else now
    if moment.tzinfo is not None:
        moment = moment.astimezone(zone)
    return f"{moment:%Y%m%d%H%M%S}.{100000 + secrets.randbelow(900000)}"
