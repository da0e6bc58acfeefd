"""Write submissions the way Google writes a form's responses as CSV, French or English (test helper).

French sheet  Horodateur  | Adresse e-mail | 28/11/2026 10:15:32 | 02/03/1948 | 07/12/2026 09:30:00
English (US)  Timestamp   | Email Address  | 11/28/2026 10:15:32 | 3/2/1948   | 12/7/2026 9:30:00
checkboxes    "Ménage, Garde d'enfants"     grids: one column per row, "Créneaux [Lundi]"
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any, Literal

from shared.mapping.form import FormDescription
from shared.ogust import PARIS

Language = Literal["fr", "en"]
HEADERS = {"fr": ("Horodateur", "Adresse e-mail"), "en": ("Timestamp", "Email Address")}
GRID_ROWS = ("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi")


def timestamp(moment: datetime, language: Language) -> str:
    local = moment.astimezone(PARIS)
    if language == "fr":
        return local.strftime("%d/%m/%Y %H:%M:%S")
    return f"{local.month}/{local.day}/{local.year} {local.hour}:{local:%M:%S}"


def date_cell(value: str, language: Language) -> str:
    """`1948-03-02` → `02/03/1948` or `3/2/1948`; with a time, the sheet adds the seconds."""
    day_part, _, time_part = value.partition(" ")
    pieces = [int(p) for p in day_part.split("-")]
    year, month, day = pieces if len(pieces) == 3 else (None, *pieces)
    if language == "fr":
        text = f"{day:02d}/{month:02d}" + (f"/{year}" if year else "")
    else:
        text = f"{month}/{day}" + (f"/{year}" if year else "")
    if time_part:
        hour, minute = (int(p) for p in time_part.split(":"))
        text += f" {hour:02d}:{minute:02d}:00" if language == "fr" else f" {hour}:{minute:02d}:00"
    return text


def time_cell(value: str, language: Language) -> str:
    hour, minute = (int(p) for p in value.split(":"))
    if language == "fr":
        return f"{hour:02d}:{minute:02d}:00"
    return f"{hour % 12 or 12}:{minute:02d}:00 {'PM' if hour >= 12 else 'AM'}"


def cells_of(answer: dict[str, Any] | None, kind: str, rows: int, language: Language) -> list[str]:
    """The export's cell(s) for one answer (a grid has one cell per row)."""
    value = None if answer is None else answer["value"]
    if kind in ("GRID", "CHECKBOX_GRID"):
        rows_values = value or [""] * rows
        return [", ".join(r) if isinstance(r, list) else r for r in rows_values]
    if value is None:
        return [""]
    if isinstance(value, list):
        return [", ".join(value)]
    if kind in ("DATE", "DATETIME") and value:
        return [date_cell(value, language)]
    if kind == "TIME" and value:
        return [time_cell(value, language)]
    return [value]


def export(
    submissions: list[dict[str, Any]], form: FormDescription, language: Language, *, delimiter: str = ","
) -> str:
    """The CSV Google would give for these submissions of `form`."""
    collects = any(s.get("respondentEmail") for s in submissions)
    stamp, email = HEADERS[language]
    grid_rows = {
        item.item_id: max(
            [len(a["value"]) for s in submissions for a in s["answers"] if a["itemId"] == item.item_id] or [1]
        )
        for item in form.items
        if item.type in ("GRID", "CHECKBOX_GRID")
    }
    headers = [stamp] + ([email] if collects else [])
    for item in form.items:
        if item.item_id in grid_rows:
            headers += [f"{item.title} [{GRID_ROWS[r]}]" for r in range(grid_rows[item.item_id])]
        else:
            headers.append(item.title)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    for sub in submissions:
        moment = datetime.fromisoformat(sub["submittedAt"].replace("Z", "+00:00"))
        row = [timestamp(moment, language)] + ([sub.get("respondentEmail") or ""] if collects else [])
        by_id = {a["itemId"]: a for a in sub["answers"]}
        for item in form.items:
            row += cells_of(by_id.get(item.item_id), item.type, grid_rows.get(item.item_id, 1), language)
        writer.writerow(row)
    return out.getvalue()
