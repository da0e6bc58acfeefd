"""What the Ogust API leaves open, as defaults: the client's, the settings' and the doctor's."""

from __future__ import annotations

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
