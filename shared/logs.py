"""One JSON line per event, in the shape Cloud Logging reads (`severity`, `message`, trace).

Personal data is masked on the way out: e-mail addresses and phone numbers in any string, in any
spelling the mapping accepts for them, become `j***@e***.fr` and `06******78`. Customer ids stay
readable. Secrets are never passed here in the first place.
"""

from __future__ import annotations

import contextvars
import functools
import json
import re
import sys
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from typing import Any, TextIO

_DASHES = "\u2010-\u2015\u2212\u30fc"
"""Hyphens and dashes of every width (the fullwidth ones are plain `-` once folded)."""
_SEPARATOR = rf"[\s.\-_/~*()\[\]{_DASHES}]"
"""What people put between the digits of a phone number: spaces of every kind, dots, dashes,
underscores, slashes, brackets (`+33 (0)6`), and what a phone keypad or a spreadsheet adds."""
_DATE = (
    r"(?P<date>\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|\d{1,2}/\d{1,2}/\d{4})(?![\d/])"
)
"""A date or a time stamp is kept whole: its digits are no phone number."""
_EMAIL = (
    r"(?P<email>(?P<local>\w)[\w!#$%&'*+/=?^`{|}~.-]{0,63}\s*@\s*"
    r"(?P<domain>[^\W_])[\w-]{0,62}(?:\.[\w-]{1,63}){0,8}\.(?P<tld>[^\W\d_]{2,})(?![\w-]))"
)
"""An address: RFC 5322's local part, an at sign with spaces around it or not (`canonical_email`
takes spaces out, so they do not hide an address either), a domain with a letter TLD. Bounded as
RFC 5321 bounds them, so that a long word costs a linear search, not a quadratic one."""
_PHONE = rf"(?P<phone>(?<!\d)(?:\+\s?)?\d(?:{_SEPARATOR}{{0,3}}\d)+(?!\d))"
"""Digits with separators between them, or a plus sign first."""
_PATTERN = re.compile(f"{_DATE}|{_EMAIL}|{_PHONE}")
_WITHOUT_EMAIL = re.compile(f"{_DATE}|{_PHONE}")
"""For a text without an at sign, which is most of them."""
_PHONE_WORD = re.compile(r"(?:t[ée]l|phone|portable|mobile|fixe|gsm|fax)\W{0,3}$", re.IGNORECASE)
"""A label just before a number says it is a phone, whatever its shape."""
_SAFE_KEYS = frozenset(
    {
        "logging.googleapis.com/trace",
        "responseId",
        "formId",
        "customerId",
        "customerIds",
        "messageId",
        "webhookId",
        "status",
        "httpStatus",
        "link",
    }
)
"""Identifiers, not personal data: kept readable for support."""

_context: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar("log_context", default=None)


def mask(text: str) -> str:
    """Hide e-mail addresses and phone numbers, keeping enough to recognise them.

    Every spelling `shared.mapping` takes for an address or a phone is hidden: the text is searched
    in the form the canonicaliser compares (compatibility forms such as `＠` and fullwidth digits
    folded, invisible format characters and combining accents left out), and what is found is
    replaced in the text as written. Kept as they are: dates, amounts, short numbers, and nine
    digits in a row with nothing around them, which is the shape of an Ogust customer id (a
    person needs ids to act on a message).
    """
    view, origin = _view(text)
    out: list[str] = []
    done = 0
    for match in (_PATTERN if "@" in view else _WITHOUT_EMAIL).finditer(view):
        if match.lastgroup == "date":
            continue
        start, end = (origin[match.start()], origin[match.end() - 1] + 1) if origin else match.span()
        if match.lastgroup == "email":
            hidden = f"{match['local']}***@{match['domain']}***.{match['tld']}"
        else:
            found = _masked_phone(match, view)
            if found is None:
                continue
            hidden = found
        out += [text[done:start], hidden]
        done = end
    return "".join(out) + text[done:] if out else text


def _view(text: str) -> tuple[str, list[int] | None]:
    """The text as the canonicaliser compares it, and where each of its characters comes from."""
    if text.isascii():
        return text, None
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for folded in _fold_char(char):
            chars.append(folded)
            origin.append(index)
    return "".join(chars), origin


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char.isascii():
        return char
    category = unicodedata.category(char)
    if category == "Cf" or category.startswith("M"):  # invisible, or an accent on the letter before
        return ""
    return unicodedata.normalize("NFKC", char)


def _masked_phone(match: re.Match[str], view: str) -> str | None:
    """The masked number, or None when these digits are no phone number."""
    found = match.group(0)
    digits = "".join(str(unicodedata.digit(c)) for c in found if c.isdigit())  # ٠٦… is 06… too
    if len(digits) < 9:  # dates, amounts, postal codes and short codes are not phone numbers
        return None
    before = view[max(0, match.start() - 12) : match.start()]
    labelled = bool(before) and (before[-1].isalpha() or bool(_PHONE_WORD.search(before)))
    if found.isdigit() and not labelled and not _phone_shaped(digits):
        return None  # an id (nine digits: Ogust's customer ids), a time stamp, a message number
    return digits[:2] + "*" * (len(digits) - 4) + digits[-2:]


def phone_shape(phone: str) -> str:
    """A value known to be a phone number as it is written, its digits but two at each end hidden
    (`06.**.**.**.78`): for a reader who must see how a number is written, not which it is."""
    total = sum(c.isdigit() for c in phone)
    seen = 0
    shaped = []
    for char in phone:
        if char.isdigit():
            seen += 1
            char = char if seen <= 2 or seen > total - 2 else "*"
        shaped.append(char)
    return "".join(shaped)


def _phone_shaped(digits: str) -> bool:
    """Digits in a row that can only be a phone: 0 and nine digits, or an international prefix."""
    if digits.startswith("00"):
        return 11 <= len(digits) <= 15
    if digits.startswith("0"):
        return len(digits) == 10
    return digits.startswith("33") and len(digits) == 11


def trace_fields(trace_header: str | None, project: str | None) -> dict[str, str]:
    """Cloud Logging trace correlation from `X-Cloud-Trace-Context: TRACE_ID/SPAN;o=1`."""
    if not trace_header or not project:
        return {}
    trace_id = trace_header.split("/", 1)[0].strip()
    if not re.fullmatch(r"[0-9a-fA-F]{1,64}", trace_id):
        return {}
    return {"logging.googleapis.com/trace": f"projects/{project}/traces/{trace_id}"}


@contextmanager
def log_context(**fields: Any) -> Iterator[None]:
    """Attach fields (trace, response id) to every line logged inside the block.

    An exception leaving the block takes the innermost fields with it (`context_of`): the line
    that finally reports it, further out, still says which response it was about.
    """
    current = {**(_context.get() or {}), **fields}
    token = _context.set(current)
    try:
        yield
    except Exception as exc:
        if not hasattr(exc, _CONTEXT_ATTRIBUTE):
            with suppress(AttributeError, TypeError):
                setattr(exc, _CONTEXT_ATTRIBUTE, current)
        raise
    finally:
        _context.reset(token)


_CONTEXT_ATTRIBUTE = "_forms_to_ogust_log_context"


def context_of(exc: BaseException) -> dict[str, Any]:
    """The log fields in force where `exc` was raised (see `log_context`)."""
    found = getattr(exc, _CONTEXT_ATTRIBUTE, None)
    return dict(found) if isinstance(found, dict) else {}


def log(severity: str, message: str, *, stream: TextIO | None = None, **fields: Any) -> None:
    """Write one structured line; every string value is masked."""
    entry: dict[str, Any] = {"severity": severity, "message": mask(message)}
    for key, value in {**(_context.get() or {}), **fields}.items():
        if value is not None:
            entry[key] = value if key in _SAFE_KEYS else _masked(value)
    entry["time"] = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    out = stream or sys.stdout
    out.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
    out.flush()


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, list | tuple):
        return [_masked(v) for v in value]
    if isinstance(value, dict):
        return {k: _masked(v) for k, v in value.items()}
    return value
