"""`CustomerRecord`: a customer as Ogust returned it, read once into plain strings."""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from shared.ogust._fields import Target

TextEscaping = Literal["none", "html"]
"""How the account stores text: as sent, or HTML-escaped (`'` as `&#039;`), as `doctor` measures it
(docs/ogust-api.md §7). With "html", what Ogust gives back is read unescaped: compared with the
answers as people typed them, and sent back once (Ogust escapes it again, never twice)."""


def readable(text: str, escaping: TextEscaping) -> str:
    """Ogust's text as people typed it."""
    return html.unescape(text) if escaping == "html" else text


@dataclass(frozen=True)
class CustomerRecord:
    """Its id, its scalar fields, its main address (and that address's id), its custom fields.

    Ogust answers `null` or `""` for an empty value and numbers or strings for ids (docs/ogust-api.md §5
    quirk 4, docs/ogust-api.md §9 N3): both read as text here, an empty value as "". `custom` is None until
    read.
    """

    id: str
    fields: Mapping[str, str] = field(default_factory=dict)
    address: Mapping[str, str] = field(default_factory=dict)
    address_id: str | None = None
    custom: Mapping[str, str] | None = None

    @classmethod
    def from_ogust(
        cls, raw: Mapping[str, Any], escaping: TextEscaping = "none", id_field: str = "id_customer"
    ) -> CustomerRecord | None:
        """Read one `customer` object (or `employee` with `id_field="id_employee"`: a worker has the
        same shape); None when it has no id (nothing to match)."""
        id_customer = _text(raw.get(id_field))
        if not id_customer:
            return None
        scalars = {
            str(k): readable(_text(v), escaping)
            for k, v in raw.items()
            if k != id_field and not isinstance(v, dict | list)
        }
        address_raw = raw.get("main_address")
        address_raw = address_raw if isinstance(address_raw, Mapping) else {}
        address = {
            str(k): readable(_text(v), escaping)
            for k, v in address_raw.items()
            if k != "id_address" and not isinstance(v, dict | list)
        }
        return cls(id_customer, scalars, address, _text(address_raw.get("id_address")) or None)

    def value(self, target: Target) -> str:
        """The current text of `target` ("" when empty or unknown)."""
        if target.part == "customer":
            return self.fields.get(target.name, "")
        if target.part == "address":
            return self.address.get(target.name, "")
        return (self.custom or {}).get(target.name, "")

    def with_custom(self, custom: Mapping[str, str]) -> CustomerRecord:
        """The same record with its custom fields read."""
        return replace(self, custom=dict(custom))


def _text(value: Any) -> str:
    return "" if value is None else str(value)
