"""A form's questions, as exported: the input of `validate --form` and of a Forms API backfill.

Two shapes are read: the Apps Script `exportFormDescription()` JSON
(`{"formId", "formTitle", "items": [{"itemId", "title", "type", "choices"?}]}`) and the Forms API
`forms.get` JSON (`items[].itemId` in hexadecimal, `questionItem.question.questionId`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shared.errors import ConfigError
from shared.mapping.model import AnswerRef
from shared.mapping.text import fold


@dataclass(frozen=True)
class FormItem:
    """One question: its Apps Script item id, title, type, choices and Forms API question id."""

    item_id: int | None
    title: str
    type: str = ""
    choices: tuple[str, ...] = ()
    question_id: str | None = None


@dataclass(frozen=True)
class FormDescription:
    """A form's id, title and questions."""

    form_id: str
    title: str
    items: tuple[FormItem, ...] = field(default_factory=tuple)

    def find(self, ref: AnswerRef) -> FormItem | None:
        """Like the mapping at run time: by item id, then by title, exactly then loosely."""
        by_id = [i for i in self.items if ref.id is not None and i.item_id == ref.id]
        if by_id:
            return by_id[0]
        if ref.title:
            for item in self.items:
                if item.title == ref.title:
                    return item
            for item in self.items:
                if fold(item.title) == fold(ref.title):
                    return item
        return None

    def by_question_id(self) -> dict[str, FormItem]:
        """Questions by their Forms API question id, to read a `responses.list` export."""
        return {i.question_id: i for i in self.items if i.question_id}


def read_form_description(path: str | Path) -> FormDescription:
    """Read an Apps Script export or a Forms API `forms.get` JSON."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"cannot read form description {path}: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise ConfigError(f"{path} is not a form description: it needs an 'items' list")
    items = []
    for raw in data["items"]:
        if not isinstance(raw, dict) or not isinstance(raw.get("title"), str):
            continue
        question = raw.get("questionItem", {}).get("question", {})
        choices = raw.get("choices") or [
            o.get("value", "")
            for o in question.get("choiceQuestion", {}).get("options", [])
            if isinstance(o, dict)
        ]
        kind = raw.get("type") or next((k for k in question if k.endswith("Question")), "")
        item_id = _item_id(raw.get("itemId"))
        # [guess] a Forms API id is the Apps Script id in hexadecimal; titles are the fallback anyway.
        question_id = question.get("questionId") or (format(item_id, "x") if item_id is not None else None)
        items.append(FormItem(item_id, raw["title"], str(kind), tuple(map(str, choices)), question_id))
    info = data.get("info", {})
    form_id = str(data.get("formId", ""))
    title = str(data.get("formTitle") or info.get("title") or "")
    return FormDescription(form_id, title, tuple(items))


def _item_id(raw: Any) -> int | None:
    """Apps Script writes item ids as numbers; the Forms API as hexadecimal strings."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw:
        try:
            return int(raw, 16)
        except ValueError:
            return None
    return None
