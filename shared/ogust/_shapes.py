"""Defensive readers for the shapes Ogust answers with (docs/ogust-api.md §4 and §5)."""

from __future__ import annotations

from typing import Any


def records(result: Any) -> list[dict[str, Any]]:
    """The records of `array_<object>.result`: an object keyed "0","1",… (quirk 3) or a list."""
    if isinstance(result, dict):
        values: list[Any] = list(result.values())
    elif isinstance(result, list):
        values = result
    else:
        return []
    return [dict(value) for value in values if isinstance(value, dict)]


def as_int(value: Any) -> int | None:
    """A pagination number that may come as a number or a string (quirk 4); None when unreadable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def single(value: Any) -> dict[str, Any] | None:
    """One object from a get*: an object, `{}`/missing (not found) or a one-item list (§4 discrepancy)."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict) and value:
        return dict(value)
    return None


def string_map(value: Any) -> dict[str, str]:
    """A code → text object (lists, third-party values); anything else reads as empty."""
    if not isinstance(value, dict):
        return {}
    return {str(code): "" if text is None else str(text) for code, text in value.items()}


def search_page(envelope: Any, array_key: str = "array_customer") -> tuple[list[dict[str, Any]], int | None]:
    """The records and `pagination.count` of one search* envelope (count None when unreadable)."""
    block = envelope.get(array_key) if isinstance(envelope, dict) else None
    block = block if isinstance(block, dict) else {}
    pagination = block.get("pagination")
    count = as_int(pagination.get("count")) if isinstance(pagination, dict) else None
    return records(block.get("result")), count


def third_party_values(envelope: Any) -> dict[str, str]:
    """The code → value custom fields of a get/setThirdPartyInformations envelope (`{}` when none)."""
    info = envelope.get("thirdPartyInformations") if isinstance(envelope, dict) else None
    return string_map(info.get("array_values") if isinstance(info, dict) else None)
