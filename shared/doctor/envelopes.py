"""How a value of Ogust's answers travels, as the doctor reports it; the envelopes and records
themselves are read with the client's own readers (`shared.ogust.search_page`), so the doctor and
the product never disagree on what Ogust said (docs/ogust-api.md §4, §5)."""

from __future__ import annotations

from typing import Any


def kind_of(value: Any) -> str:
    """How a value travels: number, string or missing."""
    if value is None:
        return "missing"
    return "number" if isinstance(value, int | float) and not isinstance(value, bool) else "string"
