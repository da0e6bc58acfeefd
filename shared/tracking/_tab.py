"""The tab "Suivi Ogust" in a response spreadsheet, on the Sheets side: created with its header,
its checkboxes and its hidden column of response ids; read; written in one batch.

    A Date   B Personne   C État   D Client Ogust   E Motif   F Dernière tentative   G Renvoyer   H (hidden)
                                                                                   checkbox      response id

The hidden column is how a row is found again: the office staff may sort or filter the tab, and a
response's row is wherever its id is. Values go in RAW (a date stays the text she reads, a name
starting with "=" stays a name), and a cell sent as null is left as it is (the API's own rule): a
row rewritten from the ledger alone keeps the `Personne` written when the answers were at hand, and
a box she ticks is only cleared by the step that handled it.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from shared.errors import ConfigError
from shared.sheets import SheetsClient

TAB_TITLE = "Suivi Ogust"
HEADER = ("Date", "Personne", "État", "Client Ogust", "Motif", "Dernière tentative", "Renvoyer")
ID_HEADER = "Réponse (id)"
WIDTH = len(HEADER) + 1
RESEND_COLUMN = HEADER.index("Renvoyer")
ID_COLUMN = len(HEADER)
ROWS = f"'{TAB_TITLE}'!A2:H"
IDS = f"'{TAB_TITLE}'!H2:H"
_FIRST_ROW = re.compile(r"![A-Z]+(\d+)")


def link(spreadsheet_id: str, gid: int, row: int) -> str:
    """The address that opens the spreadsheet on the tab, at the row."""
    return f"https://docs.google.com/spreadsheets/d/{spreadsheet_id}/edit#gid={gid}&range=A{row}"


def tab_gid(spreadsheet_id: str) -> int:
    """The sheet id we give the tab: stable per spreadsheet, and short (8 digits at most), so that
    nothing mistakes it for a phone number in a log line."""
    return 1_000_000 + zlib.crc32(spreadsheet_id.encode()) % 89_000_000


@dataclass(frozen=True)
class Row:
    """One response's row as written; None leaves a cell as it is."""

    response_id: str
    date: str
    person: str | None
    state: str
    customer: str
    motif: str
    last: str

    def cells(self, resend: bool | None) -> list[Any]:
        return [
            self.date,
            self.person,
            self.state,
            self.customer,
            self.motif,
            self.last,
            resend,
            self.response_id,
        ]


@dataclass
class Seen:
    """The tab as read: where each response's row is, what it holds, which boxes are ticked."""

    gid: int
    rows: dict[str, int] = field(default_factory=dict)
    """Response id → row number (1-based, as the spreadsheet numbers them)."""
    cells: dict[int, list[Any]] = field(default_factory=dict)
    ticked: dict[str, int] = field(default_factory=dict)
    duplicates: list[int] = field(default_factory=list)
    """Rows of a response already on an earlier row (none while writers hold the tab's lease)."""


def ensure(sheets: SheetsClient, spreadsheet_id: str) -> int:
    """The tab's gid, the tab created first when it is missing (one read, or one read and two writes)."""
    found = sheets.sheet_ids(spreadsheet_id)
    if TAB_TITLE in found:
        return found[TAB_TITLE]
    gid = tab_gid(spreadsheet_id)
    try:
        sheets.batch_update(
            spreadsheet_id,
            [
                {
                    "addSheet": {
                        "properties": {
                            "sheetId": gid,
                            "title": TAB_TITLE,
                            "gridProperties": {"frozenRowCount": 1},
                        }
                    }
                },
                {
                    "updateDimensionProperties": {
                        "range": {
                            "sheetId": gid,
                            "dimension": "COLUMNS",
                            "startIndex": ID_COLUMN,
                            "endIndex": WIDTH,
                        },
                        "properties": {"hiddenByUser": True},
                        "fields": "hiddenByUser",
                    }
                },
                _checkboxes(gid, 1),
            ],
        )
    except ConfigError:
        again = sheets.sheet_ids(spreadsheet_id)  # another writer created it meanwhile
        if TAB_TITLE in again:
            return again[TAB_TITLE]
        raise
    sheets.update_values(spreadsheet_id, [(f"'{TAB_TITLE}'!A1:H1", [[*HEADER, ID_HEADER]])])
    return gid


def read(sheets: SheetsClient, spreadsheet_id: str, gid: int, *, ids_only: bool = False) -> Seen:
    """The tab's rows (or only its ids: the lighter read of a single delivery)."""
    seen = Seen(gid)
    lines = sheets.get_values(spreadsheet_id, IDS if ids_only else ROWS)
    for offset, line in enumerate(lines):
        number = offset + 2
        response_id = str((line[0] if ids_only else _cell(line, ID_COLUMN)) or "").strip()
        if not response_id:
            continue
        if response_id in seen.rows:
            seen.duplicates.append(number)
            continue
        seen.rows[response_id] = number
        if not ids_only:
            seen.cells[number] = line
            if _cell(line, RESEND_COLUMN) is True:
                seen.ticked[response_id] = number
    return seen


def write(
    sheets: SheetsClient, spreadsheet_id: str, seen: Seen, rows: Iterable[Row], *, cleared: Iterable[str] = ()
) -> dict[str, int]:
    """Rewrite the rows that changed (one write) and append the new ones (one more, plus their
    checkboxes); the row number of every row given. `cleared`: responses whose box is unticked."""
    untick = set(cleared)
    updates: list[tuple[str, list[list[Any]]]] = []
    new: list[Row] = []
    numbers: dict[str, int] = {}
    for row in rows:
        number = seen.rows.get(row.response_id)
        if number is None:
            new.append(row)
            continue
        numbers[row.response_id] = number
        cells = row.cells(False if row.response_id in untick else None)
        if number not in seen.cells or _differs(seen.cells[number], cells):
            updates.append((f"'{TAB_TITLE}'!A{number}:H{number}", [cells]))
    sheets.update_values(spreadsheet_id, updates)
    if new:
        written = sheets.append_values(
            spreadsheet_id,
            f"'{TAB_TITLE}'!A:H",
            [[v if v is not None else "" for v in r.cells(False)] for r in new],
        )
        match = _FIRST_ROW.search(written)
        if match is None:
            raise ConfigError(f"the Sheets API did not say where rows were appended ({written!r})")
        first = int(match.group(1))
        for offset, row in enumerate(new):
            numbers[row.response_id] = seen.rows[row.response_id] = first + offset
        # Rows appended below the grid the checkboxes were set on get theirs here.
        sheets.batch_update(spreadsheet_id, [_checkboxes(seen.gid, first - 1, first - 1 + len(new))])
    return numbers


def _checkboxes(gid: int, start: int, end: int | None = None) -> dict[str, Any]:
    bounds: dict[str, int] = {
        "sheetId": gid,
        "startRowIndex": start,
        "startColumnIndex": RESEND_COLUMN,
        "endColumnIndex": RESEND_COLUMN + 1,
    }
    if end is not None:
        bounds["endRowIndex"] = end
    return {
        "setDataValidation": {"range": bounds, "rule": {"condition": {"type": "BOOLEAN"}, "strict": True}}
    }


def _cell(line: list[Any], index: int) -> Any:
    return line[index] if index < len(line) else None


def _differs(old: list[Any], new: list[Any]) -> bool:
    for index, value in enumerate(new):
        if value is None:
            continue
        before = _cell(old, index)
        if (before if before is not None else "") != value:
            return True
    return False
