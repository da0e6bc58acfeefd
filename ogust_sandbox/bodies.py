"""Request bodies as Ogust accepts them: JSON, or form-encoded with PHP-style nesting
(docs/ogust-api.md §1)."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl

PHP_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")


def parse_body(raw: bytes, content_type: str) -> dict[str, Any]:
    """The parameters of a request; ValueError when the body is unreadable."""
    media = content_type.split(";")[0].strip().lower()
    if media == "application/json" or (media == "" and raw.lstrip().startswith(b"{")):
        data = json.loads(raw.decode("utf-8") or "{}")
        if not isinstance(data, dict):
            raise ValueError("the JSON body is not an object")
        return data
    if media in ("application/x-www-form-urlencoded", ""):
        return php_nest(parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=False))
    raise ValueError(f"unsupported Content-Type {media!r}")


def php_nest(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """`main_address[line]=x` → `{"main_address": {"line": "x"}}`, as PHP reads `http_build_query`."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        match = PHP_KEY.match(key)
        if match is None:
            out[key] = value
            continue
        parts = [match[1], *re.findall(r"\[([^\[\]]*)\]", match[2])]
        node = out
        for part in parts[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        last = parts[-1] or str(len(node))
        node[last] = value
    return out
