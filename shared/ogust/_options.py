"""What the Ogust API leaves open: the client's options and their defaults, which the settings, the
doctor and the lease budget read (`ClientOptions`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any, ClassVar

from shared.ogust._encoding import BODY_ENCODINGS, BodyEncoding
from shared.ogust._keys import TOKEN_ZONES
from shared.ogust._records import TextEscaping

_TOKEN_WORD = r"(?<![\w.-])(?:token|jeton)(?![\w.-])"  # noqa: S105 (a regex, not a secret)
"""token or jeton as a word of its own: not `token_ref`, `tokenisation` or `x.token`."""
_REFUSAL = r"(?:invalide|invalid|expir|périm|inconnu|unknown|incorrect|non[ -]valide)"
DEFAULT_TOKEN_ERROR_PATTERN = "|".join(
    (
        _TOKEN_WORD + r"\W+(?:\w+\W+){0,2}?" + _REFUSAL,  # "Token invalide ou expiré", "Jeton périmé"
        r"\b(?:invalid|expired|unknown|bad)\W+" + _TOKEN_WORD,  # "Invalid token"
    )
)
"""What "your token is refused" looks like, NARROWLY: the word token (or jeton) on its own, next to a
refusal word ("Token invalide ou expiré", "Jeton périmé", "Invalid token"). The real text is unknown
(docs/ogust-api.md §8, §9): `forms-to-ogust doctor` reads it and recommends OGUST_TOKEN_ERROR_PATTERN. A data
KO about a field named `token…` ("Le champ token_ref est invalide") must never match: that would
repeat a refused write and then report the keys as refused."""

DEFAULT_PAGE_SIZE = 100
"""`nbperpage` of every search: what Alenvi sent for customers (docs/ogust-api.md §4, §9 N3)."""

THIRD_PARTY_PAGE_SIZE = 100
"""`nbperpage` of getThirdPartyInformations: public callers sent 10 or 30 (docs/ogust-api.md); more,
so that an account that pages the values themselves still returns every code at once."""

DEFAULT_MAX_ATTEMPTS = 3
"""HTTP requests per Ogust call at most (reads retried; a write only when it never left)."""
DEFAULT_BACKOFF = 0.2
"""Seconds before the first retry, doubling at each one (0.2 s, then 0.4 s)."""


@dataclass(frozen=True)
class ClientOptions:
    """How the client talks to one account where the Ogust API leaves it open, with the defaults
    (docs/ogust-api.md §8, §9): the settings read them from OGUST_* (shared.config), the doctor probes
    and recommends them, the lease budget reads the retry policy from them."""

    body_encoding: BodyEncoding = "json"
    token_timezone: str = "Europe/Paris"  # noqa: S105 (a time zone name)
    """The clock getToken's `time` is read in: a name of TOKEN_ZONES."""
    page_size: int = DEFAULT_PAGE_SIZE
    token_error_pattern: str = DEFAULT_TOKEN_ERROR_PATTERN
    search_status: str | None = None
    """The status sent with every customer search (A), or None: none."""
    text_escaping: TextEscaping = "none"
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    backoff: float = DEFAULT_BACKOFF

    BODY_ENCODINGS: ClassVar[tuple[BodyEncoding, ...]] = BODY_ENCODINGS
    """What `body_encoding` may be."""
    TOKEN_ZONES: ClassVar[Mapping[str, tzinfo]] = TOKEN_ZONES
    """What `token_timezone` may name, and the clock each name is."""
    TEXT_ESCAPINGS: ClassVar[tuple[TextEscaping, ...]] = ("none", "html")
    """What `text_escaping` may be."""

    def client_keywords(self) -> dict[str, Any]:
        """The OgustClient keyword arguments these options set."""
        return {
            "body_encoding": self.body_encoding,
            "token_zone": TOKEN_ZONES[self.token_timezone],
            "page_size": self.page_size,
            "token_error_pattern": self.token_error_pattern,
            "search_status": self.search_status,
            "text_escaping": self.text_escaping,
            "max_attempts": self.max_attempts,
            "backoff": self.backoff,
        }
