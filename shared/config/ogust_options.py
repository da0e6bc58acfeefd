"""What an Ogust account expects where the API leaves it open (docs/ogust-api.md §8, §9): five settings
that `forms-to-ogust doctor` probes and recommends values for.

    OGUST_BODY_ENCODING        json | form (PHP-style main_address[line]=…, docs/ogust-api.md §1)   json
    OGUST_TOKEN_TIMEZONE       Europe/Paris | UTC: the clock getToken's `time` is read in   Europe/Paris
    OGUST_PAGE_SIZE            nbperpage of searches (1-1000)                               100
    OGUST_TOKEN_ERROR_PATTERN  regular expression of the "token refused" KO text           narrow default
    OGUST_SEARCH_STATUS        status sent with every customer search (A), or empty: none  (empty)
    OGUST_IGNORED_FILTERS      search filters the account ignores (the doctor finds them)  (empty)
    OGUST_ACCEPT_FULL_SCAN     true: a lookup by an ignored filter reads every customer    false
    OGUST_TEXT_ESCAPING        none | html: the account stores text HTML-escaped          none

A lookup key whose filter Ogust ignores makes every search by it return every customer: the lookup
still compares exactly on our side, so it stays correct, but reads the whole customer base each
time. The function refuses to start with such a lookup key unless OGUST_ACCEPT_FULL_SCAN=true.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from shared.errors import ConfigError
from shared.ogust import BodyEncoding, ClientOptions, TextEscaping

_CLIENT = ClientOptions()
"""The client's defaults: what an unset OGUST_* option means."""
DEFAULT_PAGE_SIZE = _CLIENT.page_size
DEFAULT_TOKEN_ERROR_PATTERN = _CLIENT.token_error_pattern
TOKEN_ZONES = ClientOptions.TOKEN_ZONES

OGUST_OPTION_ENV = (
    "OGUST_BODY_ENCODING",
    "OGUST_TOKEN_TIMEZONE",
    "OGUST_PAGE_SIZE",
    "OGUST_TOKEN_ERROR_PATTERN",
    "OGUST_SEARCH_STATUS",
    "OGUST_IGNORED_FILTERS",
    "OGUST_ACCEPT_FULL_SCAN",
    "OGUST_TEXT_ESCAPING",
)
"""The environment variables of `OgustOptions` (listed in settings.OPTIONAL_ENV)."""

MAX_PAGE_SIZE = 1000
"""Alenvi asked for up to 500 (services, docs/ogust-api.md §4); more is surely a typing mistake."""

_STATUS = re.compile(r"^[A-Z]{1,3}$")
_FIELD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_BOOLEANS = {"": False, "false": False, "0": False, "no": False, "true": True, "1": True, "yes": True}


@dataclass(frozen=True)
class OgustOptions:
    """What this Ogust account expects, where the API leaves it open (docs/ogust-api.md §8, §9)."""

    body_encoding: BodyEncoding = _CLIENT.body_encoding
    token_timezone: str = _CLIENT.token_timezone
    page_size: int = DEFAULT_PAGE_SIZE
    token_error_pattern: str = DEFAULT_TOKEN_ERROR_PATTERN
    search_status: str | None = _CLIENT.search_status
    ignored_filters: tuple[str, ...] = ()
    accept_full_scan: bool = False
    text_escaping: TextEscaping = _CLIENT.text_escaping

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> OgustOptions:
        """Read the OGUST_* options; ConfigError names every invalid one."""
        problems: list[str] = []
        encoding = env.get("OGUST_BODY_ENCODING", "").strip().lower() or "json"
        if encoding not in ClientOptions.BODY_ENCODINGS:
            problems.append(f"OGUST_BODY_ENCODING must be 'json' or 'form', not {encoding!r}")
            encoding = "json"
        zone = env.get("OGUST_TOKEN_TIMEZONE", "").strip() or "Europe/Paris"
        zone = {name.lower(): name for name in TOKEN_ZONES}.get(zone.lower(), zone)
        if zone not in TOKEN_ZONES:
            problems.append(f"OGUST_TOKEN_TIMEZONE must be 'Europe/Paris' or 'UTC', not {zone!r}")
            zone = "Europe/Paris"
        raw_size = env.get("OGUST_PAGE_SIZE", "").strip()
        page_size = DEFAULT_PAGE_SIZE
        if raw_size:
            # ASCII digits only: "²" is a digit to str.isdigit() and no number to int().
            if re.fullmatch(r"[0-9]{1,7}", raw_size) and 1 <= int(raw_size) <= MAX_PAGE_SIZE:
                page_size = int(raw_size)
            else:
                problems.append(
                    f"OGUST_PAGE_SIZE must be a whole number from 1 to {MAX_PAGE_SIZE}, not {raw_size!r}"
                )
        pattern = env.get("OGUST_TOKEN_ERROR_PATTERN", "").strip() or DEFAULT_TOKEN_ERROR_PATTERN
        try:
            re.compile(pattern)
        except re.error as exc:
            problems.append(f"OGUST_TOKEN_ERROR_PATTERN is not a regular expression: {exc}")
            pattern = DEFAULT_TOKEN_ERROR_PATTERN
        status = env.get("OGUST_SEARCH_STATUS", "").strip().upper() or None
        if status is not None and not _STATUS.match(status):
            problems.append(f"OGUST_SEARCH_STATUS must be a status code such as A, or empty; not {status!r}")
            status = None
        ignored = tuple(
            dict.fromkeys(
                name.strip() for name in env.get("OGUST_IGNORED_FILTERS", "").split(",") if name.strip()
            )
        )
        for name in ignored:
            if not _FIELD.match(name):
                problems.append(f"OGUST_IGNORED_FILTERS: {name!r} is not an Ogust field name")
        accept = env.get("OGUST_ACCEPT_FULL_SCAN", "").strip().lower()
        if accept not in _BOOLEANS:
            problems.append(f"OGUST_ACCEPT_FULL_SCAN must be true or false, not {accept!r}")
        escaping = env.get("OGUST_TEXT_ESCAPING", "").strip().lower() or "none"
        if escaping not in ClientOptions.TEXT_ESCAPINGS:
            problems.append(f"OGUST_TEXT_ESCAPING must be 'none' or 'html', not {escaping!r}")
        if problems:
            raise ConfigError("invalid Ogust options:\n  " + "\n  ".join(problems))
        return cls(
            body_encoding="form" if encoding == "form" else "json",
            token_timezone=zone,
            page_size=page_size,
            token_error_pattern=pattern,
            search_status=status,
            ignored_filters=ignored,
            accept_full_scan=_BOOLEANS.get(accept, False),
            text_escaping="html" if escaping == "html" else "none",
        )

    def refuse_full_scans(self, lookups: Iterable[tuple[str, str]]) -> None:
        """ConfigError naming each (form, lookup key) whose search filter Ogust ignores, unless a full
        scan per lookup is accepted (OGUST_ACCEPT_FULL_SCAN=true)."""
        if self.accept_full_scan:
            return
        unusable = [f"form {form}: lookup {key}" for form, key in lookups if key in self.ignored_filters]
        if unusable:
            raise ConfigError(
                "Ogust ignores the search filter of a lookup key (OGUST_IGNORED_FILTERS, found by "
                "forms-to-ogust doctor): every lookup by it would read every customer ("
                + "; ".join(unusable)
                + "). Remove the key from the form's lookup, or set OGUST_ACCEPT_FULL_SCAN=true to "
                "accept that cost"
            )

    def client(self) -> ClientOptions:
        """The client's part of these options (the rest is the function's: ignored filters, full scans)."""
        return replace(
            _CLIENT,
            body_encoding=self.body_encoding,
            token_timezone=self.token_timezone,
            page_size=self.page_size,
            token_error_pattern=self.token_error_pattern,
            search_status=self.search_status,
            text_escaping=self.text_escaping,
        )

    def client_options(self) -> dict[str, Any]:
        """The OgustClient keyword arguments these options set."""
        return self.client().client_keywords()

    def as_env(self) -> dict[str, str]:
        """The options as environment lines (what `doctor` prints, ready to paste; empty = default)."""
        return {
            "OGUST_BODY_ENCODING": self.body_encoding,
            "OGUST_TOKEN_TIMEZONE": self.token_timezone,
            "OGUST_PAGE_SIZE": str(self.page_size),
            # Empty reads back as the built-in pattern: no need to paste it.
            "OGUST_TOKEN_ERROR_PATTERN": (
                "" if self.token_error_pattern == DEFAULT_TOKEN_ERROR_PATTERN else self.token_error_pattern
            ),
            "OGUST_SEARCH_STATUS": self.search_status or "",
            "OGUST_IGNORED_FILTERS": ",".join(self.ignored_filters),
            "OGUST_ACCEPT_FULL_SCAN": "true" if self.accept_full_scan else "false",
            "OGUST_TEXT_ESCAPING": self.text_escaping,
        }
