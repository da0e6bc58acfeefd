"""Readers of Ogust's search envelopes as the doctor sees them (docs/ogust-api.md §4, §5)."""

from __future__ import annotations

from typing import Any

from shared.doctor.raw import Answer


def block_of(answer: Answer) -> dict[str, Any]:
    """`array_customer` of an OK search, or {}."""
    block = answer.envelope.get("array_customer") if answer.ok and answer.envelope else None
    return block if isinstance(block, dict) else {}


def count_of(answer: Answer) -> int | None:
    """`pagination.count` of a search, when it is readable."""
    pagination = block_of(answer).get("pagination")
    return as_int(pagination.get("count")) if isinstance(pagination, dict) else None


def records_of(result: Any) -> list[dict[str, Any]]:
    """The records of `result`: an object keyed "0","1",… or a list (quirk 3)."""
    values = list(result.values()) if isinstance(result, dict) else result if isinstance(result, list) else []
    return [v for v in values if isinstance(v, dict)]


def as_int(value: Any) -> int | None:
    """A number sent as a number or a string (quirk 4), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def kind_of(value: Any) -> str:
    """How a value travels: number, string or missing."""
    if value is None:
        return "missing"
    return "number" if isinstance(value, int | float) and not isinstance(value, bool) else "string"
