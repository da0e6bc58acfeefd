"""What the fake Sheets API holds and how it answers: spreadsheets, their tabs as grids of cells,
the columns holding checkboxes. Behaviour follows the v4 REST reference
(https://developers.google.com/workspace/sheets/api/reference/rest):

- values.get: A1 ranges (`'Suivi Ogust'!A2:H`, `Feuille 1!A:C`, a tab's name alone); trailing empty
  cells of a row and trailing empty rows are left out, an empty range has no `values`;
  UNFORMATTED_VALUE gives a checkbox's state as a boolean.
- values.batchUpdate / values.append with RAW input: values are stored as given (a boolean stays a
  boolean); append writes after the last row holding anything in the range's columns and answers
  `updates.updatedRange`.
- batchUpdate: addSheet (400 when the title exists), setDataValidation (BOOLEAN makes checkboxes),
  updateDimensionProperties (hidden columns), updateSheetProperties (frozen rows); all or none.
- errors are Google's JSON body: 404 NOT_FOUND for an unknown spreadsheet, 403 PERMISSION_DENIED
  for one not shared with the caller, 400 INVALID_ARGUMENT for an unknown tab or a bad range.
- the caller: Google knows it from its OAuth token; this fake has no token service, so it takes the
  bearer token as the caller's address (`Authorization: Bearer worker@projet.iam.gserviceaccount.com`).
  A spreadsheet shared with named editors (`editors`) answers 403 to anyone else, a call without a
  token included; one without named editors answers every caller while `shared` (the local default).
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sandbox_kit.google import ApiError

_A1 = re.compile(r"^(?:(?P<sheet>'(?:[^']|'')+'|[^!]+)!)?(?P<start>[A-Z]+\d*)?(?::(?P<end>[A-Z]+\d*))?$")
_CELL = re.compile(r"^([A-Z]+)(\d*)$")


def column_index(letters: str) -> int:
    """A → 0, Z → 25, AA → 26."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def column_letters(index: int) -> str:
    """0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class Span:
    """A parsed A1 range: the tab, and rows/columns as 0-based half-open bounds (None: unbounded)."""

    sheet: str | None
    row0: int
    row1: int | None
    col0: int
    col1: int | None


def parse_range(text: str) -> Span:
    """An A1 range as the API takes it; ApiError 400 for one it would refuse."""
    text = text.strip()
    if "!" not in text and not re.fullmatch(r"[A-Z]+\d*(?::[A-Z]+\d*)?", text):
        return Span(_unquote(text), 0, None, 0, None)  # a tab's name alone: all of it
    match = _A1.match(text)
    if not match:
        raise ApiError(400, "INVALID_ARGUMENT", f"Unable to parse range: {text}")
    sheet = _unquote(match.group("sheet")) if match.group("sheet") else None
    start, end = match.group("start"), match.group("end")
    if start is None:
        return Span(sheet, 0, None, 0, None)
    first = _CELL.match(start)
    last = _CELL.match(end or start)
    if first is None or last is None:
        raise ApiError(400, "INVALID_ARGUMENT", f"Unable to parse range: {text}")
    row0 = int(first.group(2)) - 1 if first.group(2) else 0
    row1 = int(last.group(2)) if last.group(2) else None
    return Span(sheet, row0, row1, column_index(first.group(1)), column_index(last.group(1)) + 1)


def _unquote(title: str) -> str:
    return title[1:-1].replace("''", "'") if title.startswith("'") and title.endswith("'") else title


@dataclass
class Tab:
    """One tab: its id (the `gid`), its cells, and what the formatting requests left on it."""

    sheet_id: int
    title: str
    rows: list[list[Any]] = field(default_factory=list)
    checkbox_columns: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    frozen_rows: int = 0

    def cell(self, row: int, column: int) -> Any:
        if row < len(self.rows) and column < len(self.rows[row]):
            return self.rows[row][column]
        return None

    def put(self, row: int, column: int, value: Any) -> None:
        while len(self.rows) <= row:
            self.rows.append([])
        line = self.rows[row]
        while len(line) <= column:
            line.append(None)
        line[column] = None if value == "" else value

    def last_row(self, col0: int, col1: int | None) -> int:
        """Index of the last row holding a value in those columns (-1: none)."""
        for index in range(len(self.rows) - 1, -1, -1):
            if any(v is not None for v in self.rows[index][col0:col1]):
                return index
        return -1


@dataclass
class Spreadsheet:
    """One spreadsheet and whether the caller may open it."""

    spreadsheet_id: str
    tabs: dict[str, Tab] = field(default_factory=dict)
    shared: bool = True
    editors: frozenset[str] | None = None
    """The addresses it is shared with as an editor; None: whoever calls, while `shared`."""
    next_sheet_id: int = 1000


class Store:
    """Every spreadsheet of the fake, guarded by one lock (the server is threaded)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.spreadsheets: dict[str, Spreadsheet] = {}
        self.calls: Counter[str] = Counter()

    def reset(self) -> None:
        with self.lock:
            self.spreadsheets.clear()
            self.calls.clear()

    def add_spreadsheet(
        self, spreadsheet_id: str, tabs: tuple[str, ...] = ("Réponses au formulaire 1",)
    ) -> None:
        with self.lock:
            sheet = Spreadsheet(spreadsheet_id)
            for n, title in enumerate(tabs):
                sheet.tabs[title] = Tab(n, title)
            self.spreadsheets[spreadsheet_id] = sheet

    def spreadsheet(self, spreadsheet_id: str) -> Spreadsheet:
        found = self.spreadsheets.get(spreadsheet_id)
        if found is None:
            raise ApiError(404, "NOT_FOUND", "Requested entity was not found.")
        if not found.shared:
            raise ApiError(403, "PERMISSION_DENIED", "The caller does not have permission")
        return found

    def check_caller(self, spreadsheet_id: str, caller: str | None) -> None:
        """403 unless the spreadsheet is shared with `caller` (the bearer token; None: no token)."""
        with self.lock:
            found = self.spreadsheet(spreadsheet_id)
            if found.editors is not None and caller not in found.editors:
                raise ApiError(403, "PERMISSION_DENIED", "The caller does not have permission")

    def tab(self, spreadsheet: Spreadsheet, span: Span) -> Tab:
        if span.sheet is None:
            return next(iter(spreadsheet.tabs.values()))
        found = spreadsheet.tabs.get(span.sheet)
        if found is None:
            raise ApiError(400, "INVALID_ARGUMENT", f"Unable to parse range: {span.sheet}")
        return found

    # ── the API ─────────────────────────────────────────────────────────────────────────────────

    def get(self, spreadsheet_id: str) -> dict[str, Any]:
        with self.lock:
            sheet = self.spreadsheet(spreadsheet_id)
            return {
                "spreadsheetId": spreadsheet_id,
                "sheets": [
                    {"properties": {"sheetId": t.sheet_id, "title": t.title}} for t in sheet.tabs.values()
                ],
            }

    def get_values(self, spreadsheet_id: str, range_: str) -> dict[str, Any]:
        with self.lock:
            span = parse_range(range_)
            tab = self.tab(self.spreadsheet(spreadsheet_id), span)
            last = len(tab.rows) if span.row1 is None else min(span.row1, len(tab.rows))
            rows: list[list[Any]] = []
            for index in range(span.row0, last):
                line = list(tab.rows[index][span.col0 : span.col1])
                while line and line[-1] is None:
                    line.pop()
                rows.append(["" if v is None else v for v in line])
            while rows and not rows[-1]:
                rows.pop()
            answer: dict[str, Any] = {"range": range_, "majorDimension": "ROWS"}
            if rows:
                answer["values"] = rows
            return answer

    def update_values(self, spreadsheet_id: str, body: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            sheet = self.spreadsheet(spreadsheet_id)
            writes = [
                (self.tab(sheet, span := parse_range(d["range"])), span, d.get("values") or [])
                for d in body["data"]
            ]
            for tab, span, values in writes:
                self._write(tab, span.row0, span.col0, values)
            return {"spreadsheetId": spreadsheet_id, "totalUpdatedRows": sum(len(v) for _, _, v in writes)}

    def append_values(self, spreadsheet_id: str, range_: str, body: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            span = parse_range(range_)
            tab = self.tab(self.spreadsheet(spreadsheet_id), span)
            values = body.get("values") or []
            start = max(tab.last_row(span.col0, span.col1) + 1, span.row0)
            self._write(tab, start, span.col0, values)
            width = max((len(v) for v in values), default=1)
            first, last = column_letters(span.col0), column_letters(span.col0 + width - 1)
            written = f"'{tab.title}'!{first}{start + 1}:{last}{start + len(values)}"
            return {"spreadsheetId": spreadsheet_id, "updates": {"updatedRange": written}}

    def batch_update(self, spreadsheet_id: str, body: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            sheet = self.spreadsheet(spreadsheet_id)
            requests = body.get("requests") or []
            for request in requests:  # all or none: check every request before applying any
                kind = next(iter(request), "")
                if kind not in (
                    "addSheet",
                    "setDataValidation",
                    "updateDimensionProperties",
                    "updateSheetProperties",
                ):
                    raise ApiError(400, "INVALID_ARGUMENT", f"Invalid requests[0]: unknown request {kind!r}")
                if kind == "addSheet" and request[kind]["properties"].get("sheetId") in {
                    t.sheet_id for t in sheet.tabs.values()
                }:
                    raise ApiError(400, "INVALID_ARGUMENT", "Invalid requests[0].addSheet: sheet id in use")
                if kind == "addSheet" and request[kind]["properties"]["title"] in sheet.tabs:
                    title = request[kind]["properties"]["title"]
                    raise ApiError(
                        400,
                        "INVALID_ARGUMENT",
                        f'A sheet with the name "{title}" already exists. Please enter another name.',
                    )
            replies: list[dict[str, Any]] = []
            for request in requests:
                replies.append(self._apply(sheet, request))
            return {"spreadsheetId": spreadsheet_id, "replies": replies}

    def _apply(self, sheet: Spreadsheet, request: dict[str, Any]) -> dict[str, Any]:
        kind, spec = next(iter(request.items()))
        if kind == "addSheet":
            title = spec["properties"]["title"]
            sheet_id = int(spec["properties"].get("sheetId", sheet.next_sheet_id))
            sheet.next_sheet_id = max(sheet.next_sheet_id, sheet_id) + 1
            sheet.tabs[title] = Tab(sheet_id, title)
            return {"addSheet": {"properties": {"sheetId": sheet_id, "title": title}}}
        tab = self._by_id(sheet, int((spec.get("range") or spec.get("properties") or {}).get("sheetId", 0)))
        if kind == "setDataValidation":
            bounds = spec["range"]
            columns = range(bounds.get("startColumnIndex", 0), bounds.get("endColumnIndex", 26))
            if ((spec.get("rule") or {}).get("condition") or {}).get("type") == "BOOLEAN":
                tab.checkbox_columns.update(columns)
        elif kind == "updateDimensionProperties":
            bounds = spec["range"]
            columns = range(bounds.get("startIndex", 0), bounds.get("endIndex", 26))
            if (spec.get("properties") or {}).get("hiddenByUser"):
                tab.hidden_columns.update(columns)
            else:
                tab.hidden_columns.difference_update(columns)
        elif kind == "updateSheetProperties":
            grid = (spec.get("properties") or {}).get("gridProperties") or {}
            tab.frozen_rows = int(grid.get("frozenRowCount", tab.frozen_rows))
        return {}

    @staticmethod
    def _by_id(sheet: Spreadsheet, sheet_id: int) -> Tab:
        for tab in sheet.tabs.values():
            if tab.sheet_id == sheet_id:
                return tab
        raise ApiError(400, "INVALID_ARGUMENT", f"No grid with id: {sheet_id}")

    @staticmethod
    def _write(tab: Tab, row0: int, col0: int, values: list[list[Any]]) -> None:
        for r, line in enumerate(values):
            for c, value in enumerate(line):
                if value is not None:  # null leaves the cell as it is (the API's own rule)
                    tab.put(row0 + r, col0 + c, value)
