"""Request bodies: JSON, or a form body nested the way PHP's `http_build_query` nests it
(docs/ogust-api.md §1)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Literal
from urllib.parse import urlencode

BodyEncoding = Literal["json", "form"]
BODY_ENCODINGS: tuple[BodyEncoding, ...] = ("json", "form")
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"


def form_pairs(params: Mapping[str, Any]) -> list[tuple[str, str]]:
    """`{"main_address": {"line": "x"}}` → `[("main_address[line]", "x")]`, as `http_build_query` does."""
    return list(_flatten(params, None))


def form_body(params: Mapping[str, Any]) -> bytes:
    """The urlencoded body of `params` (UTF-8, `+` for spaces like PHP)."""
    return urlencode(form_pairs(params)).encode("ascii")


def _flatten(value: Any, prefix: str | None) -> Iterator[tuple[str, str]]:
    if isinstance(value, Mapping):
        items: list[tuple[Any, Any]] = list(value.items())
    elif isinstance(value, list | tuple):
        items = list(enumerate(value))
    else:
        if prefix is not None and value is not None:  # PHP leaves null values out entirely
            yield prefix, _scalar(value)
        return
    for key, item in items:
        name = str(key) if prefix is None else f"{prefix}[{key}]"
        yield from _flatten(item, name)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):  # PHP writes true as 1 and false as 0
        return "1" if value else "0"
    return str(value)
