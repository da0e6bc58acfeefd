"""A Google Forms response export (CSV, French or English) as schema v1 submissions, answer for
answer the same as the live ones when the form description is given.

    first line   Horodateur | Timestamp, then Adresse e-mail | Email Address (if the form collects
                 addresses), then one column per question, `Titre [Ligne]` per row of a grid
    each row     → Submission (or BadRow naming the line and the column), in file order

Without the form description (`--form`) every cell stays text, as exported: checkbox answers are
not split and dates keep the sheet's format. With it, each cell is read by its question's type
(`export_values`). A row has no response id: it gets a stable one, a hash of its cells, so a
second backfill of the same file finds the same ids.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from shared.backfill.export_file import DAMAGED, ExportFile, read_export
from shared.backfill.export_values import (
    DATE_ORDERS,
    AmbiguousDate,
    DateOrder,
    ImpossibleDate,
    drive_file_ids,
    evidence_of,
    live_date,
    live_time,
    read_timestamp,
    split_choices,
)
from shared.backfill.sources import BadRow, Row, _submission
from shared.errors import ConfigError
from shared.mapping import AnswerRef, FormDescription, FormItem, fold
from shared.webhook import Submission

Language = Literal["fr", "en"]

TIMESTAMP_COLUMNS: dict[str, Language] = {
    "horodateur": "fr",
    "horodatage": "fr",
    "date de soumission": "fr",
    "timestamp": "en",
}
EMAIL_COLUMNS = frozenset({"adresse e-mail", "adresse email", "adresse courriel", "email address", "e-mail"})
"""The column of the address the form collects itself (`respondentEmail`), in French and English."""

OWN_PREFIX = "forms-to-ogust: "
DATE_ORDER_COLUMN = f"{OWN_PREFIX}date order"
ERROR_COLUMNS = (
    f"{OWN_PREFIX}error",
    f"{OWN_PREFIX}field",
    f"{OWN_PREFIX}question",
    f"{OWN_PREFIX}row",
    DATE_ORDER_COLUMN,
)
"""Columns a failed-rows file adds to the export's own; read back, they are ignored, except the
date order: what the whole export proved (a day above 12 somewhere) still holds for its few
failed rows, whose own dates may all read both ways."""

_GRID_HEADER = re.compile(r"^(.*?)\s*\[([^\[\]]*)\]$")

_TEXT_TYPES = frozenset(
    {"TEXT", "PARAGRAPH_TEXT", "DATE", "DATETIME", "TIME", "DURATION", "textQuestion", "dateQuestion"}
    | {"timeQuestion"}
)
"""Unanswered, these are "" in a live submission; any other unanswered question is absent (§1.2)."""
_DATE_TYPES = frozenset({"DATE", "DATETIME", "dateQuestion"})
_TIME_TYPES = frozenset({"TIME", "timeQuestion"})
_GRID_TYPES = frozenset({"GRID", "CHECKBOX_GRID"})
_FILE_TYPES = frozenset({"FILE_UPLOAD", "fileUploadQuestion"})


@dataclass(frozen=True)
class Column:
    """One question of the export: its title, the cells it reads (several for a grid), its form item."""

    title: str
    cells: tuple[int, ...]
    item: FormItem | None = None

    @property
    def kind(self) -> str:
        return self.item.type if self.item is not None else "TEXT"


@dataclass
class CsvExport:
    """A read export: its submissions, each row as exported, and what the reader noticed."""

    file: ExportFile
    form_id: str
    language: Language
    date_order: DateOrder | None
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    cells: dict[str, list[str]] = field(default_factory=dict)
    """`line N` → the row's own cells, as exported (error columns of an earlier run left out)."""
    notes: list[str] = field(default_factory=list)

    @classmethod
    def read(
        cls,
        path: Path,
        form_id: str,
        *,
        form: FormDescription | None = None,
        date_order: DateOrder | None = None,
    ) -> CsvExport:
        """Read the whole file; ConfigError (one line, naming the file) when it is not an export."""
        export = read_export(path, _timestamp_column_found, "Horodateur or Timestamp")
        folded = [fold(h) for h in export.headers]
        stamp = next(i for i, h in enumerate(folded) if h in TIMESTAMP_COLUMNS)
        language = TIMESTAMP_COLUMNS[folded[stamp]]
        columns, respondent = _columns(export.headers, stamp, form)
        order = _date_order(export, stamp, columns, language, date_order)
        reader = cls(export, form_id, language, order, columns)
        if form is None:
            reader.notes.append(
                "without --form, answers stay text as exported: checkbox answers are not split and "
                "dates keep the sheet's format; give the form description for the live result"
            )
        own = [i for i, h in enumerate(export.headers) if not h.startswith(OWN_PREFIX)]
        for line, raw in export.rows:
            cells = raw + [""] * (len(export.headers) - len(raw))
            if not any(c.strip() for c in cells):
                continue
            where = f"line {line}"
            row = [cells[i] for i in own]
            reader.cells[where] = row
            reader.rows.append((where, reader._row(where, cells, row, stamp, respondent)))
        return reader

    @property
    def titles(self) -> list[str]:
        """The question titles the export has (a grid by its own title)."""
        return [c.title for c in self.columns]

    @property
    def item_ids(self) -> list[int]:
        """The item ids of the form's questions found among the columns."""
        return [c.item.item_id for c in self.columns if c.item is not None and c.item.item_id is not None]

    @property
    def headers(self) -> list[str]:
        """The export's own column titles (error columns of an earlier run left out)."""
        return [h for h in self.file.headers if not h.startswith(OWN_PREFIX)]

    def write_failed(self, path: Path, failed: Sequence[tuple[str, Sequence[str]]]) -> None:
        """The failed rows as exported plus why, in the export's own format: fix them, run it again."""
        order = self.date_order or ""
        rows = [[*self.cells.get(where, [""] * len(self.headers)), *why, order] for where, why in failed]
        self.file.write(path, [*self.headers, *ERROR_COLUMNS], rows)

    def _row(
        self, where: str, cells: list[str], own: list[str], stamp: int, respondent: int | None
    ) -> Submission | BadRow:
        response_id = "csv-" + hashlib.sha256("\x1f".join(own).encode()).hexdigest()[:24]
        damaged = next((i for i, cell in enumerate(cells) if DAMAGED in cell), None)
        if damaged is not None:
            title = self.file.headers[damaged].strip() if damaged < len(self.file.headers) else ""
            return BadRow(
                where,
                f"column '{title or damaged + 1}' holds a byte that is not UTF-8 (shown as {DAMAGED}) while "
                "the rest of the file is UTF-8: retype that cell, then backfill the failed rows",
                response_id,
            )
        try:
            submitted: datetime = read_timestamp(cells[stamp], self.date_order)
        except ValueError as exc:
            return BadRow(where, f"column '{self.file.headers[stamp].strip()}': {exc}", response_id)
        answers: list[dict[str, Any]] = []
        for column in self.columns:
            try:
                value = _value(column, cells, self.date_order)
            except (AmbiguousDate, ImpossibleDate) as exc:
                return BadRow(where, f"column '{column.title}': {exc}", response_id)
            if value is None:
                continue
            item_id = column.item.item_id if column.item is not None else None
            answers.append(
                {
                    "itemId": item_id if item_id is not None else -(column.cells[0] + 1),
                    "title": column.item.title if column.item is not None else column.title,
                    "type": column.kind if column.item is not None and column.kind.isupper() else "TEXT",
                    "value": value,
                }
            )
        email = (cells[respondent].strip() or None) if respondent is not None else None
        return _submission(where, self.form_id, response_id, submitted.isoformat(), email, answers)


def _timestamp_column_found(headers: list[str]) -> bool:
    return any(fold(h) in TIMESTAMP_COLUMNS for h in headers)


def _columns(headers: list[str], stamp: int, form: FormDescription | None) -> tuple[list[Column], int | None]:
    """The questions of the export, and the column of the collected e-mail address (if any)."""
    folded = [fold(h) for h in headers]
    email = next((i for i, h in enumerate(folded) if h in EMAIL_COLUMNS and i != stamp), None)
    respondent_only = False
    if email is not None:
        twice = folded.count(folded[email]) > 1
        asked = form is not None and _item(form, headers[email]) is not None
        # Collected address and a question of the same title: the first column is the address.
        # Known form without such a question: only the address. Unknown form, once: could be either.
        respondent_only = twice or (form is not None and not asked)
        if form is not None and asked and not twice:
            email = None  # the form asks for it as a question and collects none
    columns: list[Column] = []
    grids: dict[str, int] = {}
    for i, header in enumerate(headers):
        title = header.strip()
        if i == stamp or header.startswith(OWN_PREFIX) or not title or (i == email and respondent_only):
            continue
        grid = _GRID_HEADER.match(title)
        if grid and form is not None:
            item = _item(form, grid.group(1))
            if item is not None and item.type in _GRID_TYPES:
                if item.title in grids:
                    at = grids[item.title]
                    columns[at] = Column(item.title, (*columns[at].cells, i), item)
                else:
                    grids[item.title] = len(columns)
                    columns.append(Column(item.title, (i,), item))
                continue
        columns.append(Column(title, (i,), _item(form, title) if form is not None else None))
    return columns, email


def _item(form: FormDescription, title: str) -> FormItem | None:
    return form.find(AnswerRef(title=title.strip())) if title.strip() else None


def _date_order(
    export: ExportFile, stamp: int, columns: list[Column], language: Language, given: DateOrder | None
) -> DateOrder | None:
    """--date-order, else what an earlier run wrote in a failed-rows file, else what the file's
    dates prove, else day first for a French sheet."""
    if given is not None:
        return given
    if DATE_ORDER_COLUMN in export.headers:
        at = export.headers.index(DATE_ORDER_COLUMN)
        written = {row[at].strip() for _, row in export.rows if at < len(row) and row[at].strip()}
        if len(written) == 1 and (order := written.pop()) in DATE_ORDERS:
            return order
    dated = [stamp] + [c.cells[0] for c in columns if c.kind in _DATE_TYPES]
    cells = [(f"line {line}", row[i]) for line, row in export.rows for i in dated if i < len(row)]
    try:
        proven = evidence_of(cells)
    except ValueError as exc:
        raise ConfigError(f"{export.path}: {exc}") from None
    if proven is not None:
        return proven
    # A French sheet always writes the day first; an English one depends on its country.
    return "dmy" if language == "fr" else None


def _value(column: Column, cells: list[str], order: DateOrder | None) -> Any:
    """The live form of a column's answer; None when a live submission would leave it out."""
    kind, item = column.kind, column.item
    if kind in _GRID_TYPES and item is not None:
        rows = [cells[i].strip() for i in column.cells]
        if not any(rows):
            return None
        if kind == "CHECKBOX_GRID":
            return [split_choices(row, item.choices) for row in rows]
        return rows
    cell = cells[column.cells[0]]
    if not cell.strip():
        return cell if item is None or kind in _TEXT_TYPES else None
    if item is None:
        return cell
    if kind in _DATE_TYPES:
        return live_date(cell, order) or cell
    if kind in _TIME_TYPES:
        return live_time(cell) or cell
    if kind == "CHECKBOX":
        return split_choices(cell, item.choices)
    if kind == "choiceQuestion":  # Forms API: radio, list or checkbox alike; one piece is one choice
        pieces = split_choices(cell, item.choices)
        return pieces[0] if len(pieces) == 1 else pieces
    if kind in _FILE_TYPES:
        return drive_file_ids(cell)
    return cell
