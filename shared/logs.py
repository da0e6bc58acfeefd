"""One JSON line per event, in the shape Cloud Logging reads (`severity`, `message`, trace).

Personal data is masked on the way out: e-mail addresses and phone numbers in any string
become `j***@e***.fr` and `06******78`. Secrets are never passed here in the first place.
"""

from __future__ import annotations

import contextvars
import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TextIO

_AT = "@\uff20\ufe6b"
"""The at sign and its fullwidth and small forms: an address typed on an Asian keyboard is one too."""
_EMAIL = re.compile(rf"([\w.+-])[\w.+-]*[{_AT}]([\w-])[\w.-]*?(\.[^\W\d_]{{2,}})(?![\w-])", re.IGNORECASE)
_PHONE = re.compile(r"(?<![\w+])[+＋]?\d[\d\s.()\-\u2010-\u2012]{7,}\d(?!\w)")
"""Digits with any separator: spaces of every kind (non-breaking, narrow), dots, dashes, brackets."""
_SAFE_KEYS = frozenset(
    {
        "logging.googleapis.com/trace",
        "responseId",
        "formId",
        "customerId",
        "webhookId",
        "status",
        "httpStatus",
        "link",
    }
)
"""Identifiers, not personal data: kept readable for support."""

_context: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar("log_context", default=None)


def mask(text: str) -> str:
    """Hide e-mail addresses and phone numbers, keeping enough to recognise them."""
    text = _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}***{m.group(3)}", text)
    return _PHONE.sub(_mask_phone, text)


def _mask_phone(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    if len(digits) < 9:  # dates, amounts and short codes are not phone numbers
        return match.group(0)
    return digits[:2] + "*" * (len(digits) - 4) + digits[-2:]


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
    """Attach fields (trace, response id) to every line logged inside the block."""
    token = _context.set({**(_context.get() or {}), **fields})
    try:
        yield
    finally:
        _context.reset(token)


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
