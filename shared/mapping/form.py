"""A form's questions, as exported: the input of `validate --form`, of a Forms API backfill and of
the reconciler (which reads them with `forms.get`).

Two shapes are read: the Apps Script `exportFormDescription()` JSON
(`{"formId", "formTitle", "items": [{"itemId", "title", "type", "choices"?}]}`) and the Forms API
`forms.get` JSON (`items[].itemId` in hexadecimal, `questionItem.question.questionId`).

Item ids, one number whichever source (docs/reconciliation.md, "Item ids"): the Apps Script's
`Item.getId()` is an integer; the Forms API writes ids as hexadecimal strings, and the item's
`itemId` read as a hexadecimal number is that integer. A question's `questionId` is another id (the
`entry.N` of a pre-filled link, in decimal): answers are keyed by it in `responses.list`, so it is
kept beside the item id, but it cannot be derived from an Apps Script export.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shared.errors import ConfigError
from shared.mapping.model import AnswerRef
from shared.mapping.questions import QuestionIndex

LAYOUT_TYPES = frozenset({"PAGE_BREAK", "SECTION_HEADER", "IMAGE", "VIDEO"})
"""Apps Script item types that never carry an answer."""

TEXT_TYPES = frozenset({"TEXT", "PARAGRAPH_TEXT", "DATE", "DATETIME", "TIME", "DURATION"})
"""Apps Script gives an empty string for these when unanswered, and leaves other items out."""

_CHOICE_TYPES = {"RADIO": "MULTIPLE_CHOICE", "CHECKBOX": "CHECKBOX", "DROP_DOWN": "LIST"}


@dataclass(frozen=True)
class FormItem:
    """One item: its Apps Script id, title, Apps Script type, choices and Forms API question ids."""

    item_id: int | None
    title: str
    type: str = ""
    """The Apps Script `ItemType` name (TEXT, CHECKBOX, GRID…), whichever source it came from."""
    choices: tuple[str, ...] = ()
    question_id: str | None = None
    """The Forms API `questionId` of a one-question item (unknown in an Apps Script export)."""
    rows: tuple[tuple[str, str], ...] = ()
    """A grid's rows as (questionId, row title), in order (Forms API only)."""

    @property
    def is_layout(self) -> bool:
        """A page break, a section header, an image or a video: never an answer."""
        return self.type in LAYOUT_TYPES

    @property
    def unanswered_is_empty(self) -> bool:
        """Whether the Apps Script sends an empty string for this item when it is not answered
        (text, date and time items), rather than leaving it out."""
        return self.type in TEXT_TYPES


@dataclass(frozen=True)
class FormDescription:
    """A form's id, title and items."""

    form_id: str
    title: str
    items: tuple[FormItem, ...] = field(default_factory=tuple)

    def find(self, ref: AnswerRef) -> FormItem | None:
        """Like the mapping at run time: by item id, then by title, exactly then loosely."""
        return self._index.find(ref)

    @functools.cached_property
    def _index(self) -> QuestionIndex[FormItem]:
        return QuestionIndex(self.items, item_id=lambda i: i.item_id, title=lambda i: i.title)

    def by_question_id(self) -> dict[str, FormItem]:
        """Items by the Forms API question ids they hold (a grid holds one per row)."""
        found = {i.question_id: i for i in self.items if i.question_id}
        found.update({qid: i for i in self.items for qid, _ in i.rows})
        return found

    @property
    def has_question_ids(self) -> bool:
        """Whether Forms API answers can be read with it (a `forms.get` description)."""
        return any(i.question_id or i.rows for i in self.items)

    @classmethod
    def read(cls, path: str | Path) -> FormDescription:
        """Read an Apps Script export or a Forms API `forms.get` JSON file (ConfigError if unreadable)."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ConfigError(f"cannot read form description {path}: {exc}") from None
        if not isinstance(data, dict) or not isinstance(data.get("items"), list):
            raise ConfigError(f"{path} is not a form description: it needs an 'items' list")
        return cls.from_json(data)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FormDescription:
        """A description from either JSON shape, already parsed."""
        items = []
        for raw in data.get("items") or []:
            if not isinstance(raw, dict) or not isinstance(raw.get("title", ""), str):
                continue
            if isinstance(raw.get("itemId"), str):
                item = _forms_api_item(raw)
            elif isinstance(raw.get("title"), str):
                item = _apps_script_item(raw)
            else:
                continue
            if item is not None:
                items.append(item)
        info = data["info"] if isinstance(data.get("info"), dict) else {}
        form_id = str(data.get("formId", ""))
        title = str(data.get("formTitle") or info.get("title") or "")
        return cls(form_id, title, tuple(items))


def _apps_script_item(raw: dict[str, Any]) -> FormItem:
    item_id = raw.get("itemId")
    choices = raw.get("choices") or []
    return FormItem(
        item_id if isinstance(item_id, int) and not isinstance(item_id, bool) else None,
        raw["title"],
        str(raw.get("type") or ""),
        tuple(map(str, choices)),
    )


def _forms_api_item(raw: dict[str, Any]) -> FormItem | None:
    """A `forms.get` item; its `itemId` read as hexadecimal is the Apps Script's `Item.getId()`."""
    item_id = hex_id(raw.get("itemId"))
    title = str(raw.get("title") or "")
    if isinstance(raw.get("questionItem"), dict):
        question = raw["questionItem"].get("question") or {}
        choice = question.get("choiceQuestion") or {}
        options = [str(o.get("value", "")) for o in choice.get("options", []) if isinstance(o, dict)]
        qid = question.get("questionId")
        return FormItem(item_id, title, question_type(question), tuple(options), str(qid) if qid else None)
    if isinstance(raw.get("questionGroupItem"), dict):
        group = raw["questionGroupItem"]
        columns = (group.get("grid") or {}).get("columns") or {}
        kind = "CHECKBOX_GRID" if columns.get("type") == "CHECKBOX" else "GRID"
        options = [str(o.get("value", "")) for o in columns.get("options", []) if isinstance(o, dict)]
        rows = tuple(
            (str(q.get("questionId")), str((q.get("rowQuestion") or {}).get("title", "")))
            for q in group.get("questions") or []
            if isinstance(q, dict) and q.get("questionId")
        )
        return FormItem(item_id, title, kind, tuple(options), None, rows)
    for key, kind in (
        ("pageBreakItem", "PAGE_BREAK"),
        ("textItem", "SECTION_HEADER"),
        ("imageItem", "IMAGE"),
        ("videoItem", "VIDEO"),
    ):
        if key in raw:
            return FormItem(item_id, title, kind)
    return None


def question_type(question: dict[str, Any]) -> str:
    """The Apps Script item type of a Forms API `Question` (its kind and options)."""
    if "choiceQuestion" in question:
        return _CHOICE_TYPES.get(str((question["choiceQuestion"] or {}).get("type")), "MULTIPLE_CHOICE")
    if "textQuestion" in question:
        return "PARAGRAPH_TEXT" if (question["textQuestion"] or {}).get("paragraph") else "TEXT"
    if "dateQuestion" in question:
        return "DATETIME" if (question["dateQuestion"] or {}).get("includeTime") else "DATE"
    if "timeQuestion" in question:
        return "DURATION" if (question["timeQuestion"] or {}).get("duration") else "TIME"
    simple = {"scaleQuestion": "SCALE", "fileUploadQuestion": "FILE_UPLOAD", "ratingQuestion": "RATING"}
    for key, kind in simple.items():
        if key in question:
            return kind
    # A newer question kind: its name, as Apps Script would likely spell it (`fooQuestion` → FOO).
    kind = next((k for k in question if k.endswith("Question")), "")
    return kind.removesuffix("Question").upper() or "TEXT"


def hex_id(raw: Any) -> int | None:
    """A Forms API id (hexadecimal string) as the Apps Script's integer; None if it is not one."""
    if isinstance(raw, str) and raw:
        try:
            return int(raw, 16)
        except ValueError:
            return None
    return None
