"""getToken as Ogust documents it (docs/ogust-api.md §2): signature check and 10-minute tokens."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import string
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from ogust_sandbox.modes import Modes
from ogust_sandbox.store import OgustKO, text

PARIS = ZoneInfo("Europe/Paris")

TIME_FORMAT = re.compile(r"^\d{14}\.\d{6}$")
TOKEN_ALPHABET = string.ascii_uppercase + string.digits
TOKEN_INVALID = "Token invalide ou expiré"  # noqa: S105 (a message, not a secret)


class Tokens:
    """Issues tokens to callers who sign with the configured keys, and checks them."""

    def __init__(
        self,
        public_key: str,
        private_key: str,
        ttl: float,
        clock: Callable[[], float],
        wall_clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.public_key = public_key
        self.private_key = private_key
        self._ttl = ttl
        self._clock = clock
        self._wall_clock = wall_clock
        self._expiry: dict[str, float] = {}

    def issue(self, params: dict[str, Any], modes: Modes | None = None) -> str:
        """Check a getToken request and return a new 40-character token."""
        modes = modes or Modes()
        key = text(params.get("key"))
        if not key:
            raise OgustKO("Paramètre key manquant")
        if key != self.public_key:
            raise OgustKO("Clé publique inconnue")
        if text(params.get("request")) != "GET_TOKEN":
            raise OgustKO("Paramètre request invalide")
        time_str = text(params.get("time"))
        if not TIME_FORMAT.match(time_str) or not _is_date(time_str[:14]):
            raise OgustKO("Paramètre time invalide (attendu AAAAMMJJHHMMSS.NNNNNN)")
        if modes.signing_clock != "any":
            # Which clock Ogust expects is unknown (docs/ogust-api.md §2): the mode accepts one only.
            zone = UTC if modes.signing_clock == "utc" else PARIS
            sent = datetime.strptime(time_str[:14], "%Y%m%d%H%M%S").replace(tzinfo=zone)
            if abs((sent - self._wall_clock()).total_seconds()) > modes.clock_tolerance:
                raise OgustKO("Paramètre time hors délai")
        # Written apart from shared.ogust on purpose, so a client bug cannot hide behind the same code.
        expected = hmac.new(
            self.private_key.encode(), f"{self.public_key}+GET_TOKEN+{time_str}".encode(), hashlib.sha1
        ).hexdigest()
        if not hmac.compare_digest(expected.upper(), text(params.get("api_signature"))):
            raise OgustKO("Signature invalide")
        token = "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(40))
        self._expiry[token] = self._clock() + self._ttl
        return token

    def check(self, token: Any, modes: Modes | None = None) -> None:
        """KO unless `token` was issued and has not expired."""
        expiry = self._expiry.get(text(token))
        if expiry is None or self._clock() >= expiry:
            raise OgustKO(modes.token_refused_text if modes is not None else TOKEN_INVALID)

    def issued(self) -> list[str]:
        """Every token issued and not yet expired by `expire_all`."""
        return list(self._expiry)

    def expire_all(self) -> None:
        """Every token issued so far stops working."""
        self._expiry.clear()


def _is_date(digits: str) -> bool:
    try:
        datetime.strptime(digits, "%Y%m%d%H%M%S")
    except ValueError:
        return False
    return True
