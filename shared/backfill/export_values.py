"""Cells of a Google Forms response export, read back into the values a live submission carries.

A response sheet writes what the live answer holds in the spreadsheet's own way:

    live answer (Apps Script)           export cell (French sheet / English sheet)
    "1948-03-02"          DATE          02/03/1948          / 3/2/1948
    "2026-12-07 09:30"    DATETIME      07/12/2026 09:30:00 / 12/7/2026 9:30:00
    "09:30"               TIME          09:30:00            / 9:30:00 AM
    ["Ménage", "Courses"] CHECKBOX      Ménage, Courses     (choices joined with ", ")
    ["1AbC…"]             FILE_UPLOAD   https://drive.google.com/open?id=1AbC…
    submittedAt (UTC)     the timestamp 28/11/2026 10:15:32 / 11/28/2026 10:15:32 (the owner's time zone)

Days and months: a French sheet writes the day first; an English one may write either (United States:
month first, United Kingdom: day first), so the file's own dates decide (a day above 12 gives it
away), and a date that reads both ways with nothing to tell is refused rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Literal

from shared.mapping import fold
from shared.ogust import PARIS

DateOrder = Literal["dmy", "mdy"]
DATE_ORDERS: tuple[DateOrder, ...] = ("dmy", "mdy")

CHOICE_SEPARATOR = ", "
"""How an export joins the choices of one checkbox answer (and the files of one upload)."""

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

_DAY_MONTH = re.compile(r"^(\d{1,2})[/.](\d{1,2})(?:[/.](\d{4}))?$")
_YEAR_FIRST = re.compile(r"^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?:\s*([AaPp])\.?\s*[Mm]\.?)?$")
_ZONE = re.compile(r"\s*(?:GMT|UTC)(?:\s*([+-])(\d{1,2})(?::?(\d{2}))?)?$", re.IGNORECASE)
_DRIVE_ID = re.compile(r"[?&]id=([\w-]+)")


class AmbiguousDate(ValueError):
    """A date that reads both day-first and month-first, in a file that does not say which."""


class ImpossibleDate(ValueError):
    """A cell written as a date that no calendar has (31/02/2026, 12/31/2026 read day first)."""


@dataclass(frozen=True)
class Written:
    """A date (and time) as a cell writes it, before the day/month order is known."""

    first: int
    second: int
    year: int | None
    year_first: bool = False
    time: tuple[int, int, int] | None = None
    offset: timedelta | None = None

    def evidence(self) -> DateOrder | None:
        """The order this cell proves: a first number above 12 is a day, a second one too."""
        if self.year_first:
            return None
        if self.first > 12 >= self.second:
            return "dmy"
        if self.second > 12 >= self.first:
            return "mdy"
        return None

    def day_month(self, order: DateOrder | None, text: str) -> tuple[int, int]:
        """(day, month) under `order`; AmbiguousDate when unknown and both readings are dates."""
        if self.year_first:
            return self.second, self.first
        if order is None:
            order = self.evidence()
        if order is None and self.first != self.second:
            year = self.year or 2000
            readings = [
                _describe(year, m, d) for d, m in ((self.first, self.second), (self.second, self.first))
            ]
            raise AmbiguousDate(
                f"'{text}' could be {readings[0]} or {readings[1]}: say how the file writes dates "
                "with --date-order dmy (day first) or mdy (month first)"
            )
        if order == "mdy":
            return self.second, self.first
        return self.first, self.second


def _describe(year: int, month: int, day: int) -> str:
    return f"{day} {MONTHS[month - 1]}" + (f" {year}" if year != 2000 else "")


def written(text: str) -> Written | None:
    """Read `28/11/2026 10:15:32`, `11/28/2026 10:15:32 AM`, `2026/11/28 10:15:32 GMT+1`, `02/03`."""
    raw = text.strip()
    offset: timedelta | None = None
    zone = _ZONE.search(raw)
    if zone and zone.start() > 0:
        sign, hours, minutes = zone.groups()
        offset = timedelta(hours=int(hours or 0), minutes=int(minutes or 0)) * (-1 if sign == "-" else 1)
        raw = raw[: zone.start()]
    day_part, _, time_part = raw.partition(" ")
    clock: tuple[int, int, int] | None = None
    if time_part.strip():
        found = _TIME.match(time_part.strip())
        if found is None:
            return None
        hour, minute, second, half = found.groups()
        h = int(hour)
        if half:
            if not 1 <= h <= 12:
                return None
            h = h % 12 + (12 if half.lower() == "p" else 0)
        clock = (h, int(minute), int(second or 0))
    if found_ymd := _YEAR_FIRST.match(day_part):
        year, month, day = map(int, found_ymd.groups())
        return Written(month, day, year, year_first=True, time=clock, offset=offset)
    if found_dm := _DAY_MONTH.match(day_part):
        first, second, year_text = found_dm.groups()
        return Written(
            int(first), int(second), int(year_text) if year_text else None, time=clock, offset=offset
        )
    return None


def evidence_of(cells: Sequence[tuple[str, str]]) -> DateOrder | None:
    """The order the file's dates prove, from (where, cell) pairs; ValueError when they disagree."""
    seen: dict[DateOrder, str] = {}
    for where, cell in cells:
        parts = written(cell)
        order = parts.evidence() if parts is not None else None
        if order is not None:
            seen.setdefault(order, f"{where}: '{cell.strip()}'")
    if len(seen) == 2:
        raise ValueError(
            f"its dates are written both day first ({seen['dmy']}) and month first ({seen['mdy']}): "
            "say which with --date-order dmy or mdy"
        )
    return next(iter(seen), None)


def read_timestamp(text: str, order: DateOrder | None, zone: tzinfo = PARIS) -> datetime:
    """The submission time of a row (aware, UTC); a time without offset is the form owner's (Paris)."""
    raw = text.strip()
    if "T" in raw or (raw[:4].isdigit() and raw[4:5] == "-"):
        try:
            moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            moment = None
        if moment is not None:
            return (moment if moment.tzinfo else moment.replace(tzinfo=zone)).astimezone(UTC)
    parts = written(raw)
    if parts is None or parts.year is None:
        raise ValueError(f"timestamp '{raw}' is not a date and time such as 28/11/2026 10:15:32")
    day, month = parts.day_month(order, raw)
    hour, minute, second = parts.time or (0, 0, 0)
    try:
        local = datetime(parts.year, month, day, hour, minute, second)
    except ValueError:
        raise ValueError(f"timestamp '{raw}' is not a real date and time") from None
    tz = timezone(parts.offset) if parts.offset is not None else zone
    return local.replace(tzinfo=tz).astimezone(UTC)


def live_date(text: str, order: DateOrder | None) -> str | None:
    """A date answer as the live one writes it (`YYYY-MM-DD`, `MM-DD`, `… HH:MM`); None if not a date."""
    raw = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?|\d{2}-\d{2}( \d{2}:\d{2})?", raw):
        return raw  # already the live form (a Forms API export, or a sheet set to ISO dates)
    parts = written(raw)
    if parts is None or parts.offset is not None:
        return None
    day, month = parts.day_month(order, raw)
    try:
        date(parts.year or 2000, month, day)  # 29/02 without a year is a real date
    except ValueError:
        shown = f"{MONTHS[month - 1]} has no day {day}" if 1 <= month <= 12 else f"there is no month {month}"
        raise ImpossibleDate(f"'{raw}' is not a real date ({shown})") from None
    text_date = f"{parts.year:04d}-{month:02d}-{day:02d}" if parts.year else f"{month:02d}-{day:02d}"
    if parts.time is None:
        return text_date
    return f"{text_date} {parts.time[0]:02d}:{parts.time[1]:02d}"


def live_time(text: str) -> str | None:
    """A time answer as the live one writes it (`HH:MM`); None if not a time."""
    found = _TIME.match(text.strip())
    if found is None:
        return None
    hour, minute, _, half = found.groups()
    h = int(hour)
    if half:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if half.lower() == "p" else 0)
    if h > 23 or int(minute) > 59:
        return None
    return f"{h:02d}:{minute}"


def split_choices(cell: str, choices: Sequence[str]) -> list[str]:
    """The answers of a checkbox cell, using the form's choices: a choice may contain ", " itself.

    Of every way to cut the cell at ", ", the one kept leaves the fewest pieces that are not a
    choice (an "Other" answer, or a choice since removed from the form), then covers the most
    text with choices, then uses the longest choices.
    """
    text = cell.strip()
    if not text:
        return []
    tokens = text.split(CHOICE_SEPARATOR)
    if not choices:
        return [t.strip() for t in tokens if t.strip()]
    known = {fold(c): c for c in reversed(choices)} | {c: c for c in choices}
    # best[i]: (cost, pieces) for tokens[:i]; cost = (unknown pieces, unknown tokens, pieces)
    best: list[tuple[tuple[int, int, int], list[str]] | None] = [((0, 0, 0), [])] + [None] * len(tokens)
    for end in range(1, len(tokens) + 1):
        for start in range(end):
            before = best[start]
            if before is None:
                continue
            piece = CHOICE_SEPARATOR.join(tokens[start:end])
            choice = known.get(piece) or known.get(fold(piece))
            (unknown, loose, count), pieces = before
            if choice is None:
                cost = (unknown + 1, loose + end - start, count + 1)
            else:
                cost = (unknown, loose, count + 1)
            current = best[end]
            if current is None or cost < current[0]:
                best[end] = (cost, [*pieces, choice if choice is not None else piece.strip()])
    final = best[len(tokens)]
    assert final is not None  # every token can at least be its own piece
    return [piece for piece in final[1] if piece]


def drive_file_ids(cell: str) -> list[str]:
    """The Drive file ids of a file-upload cell (`https://drive.google.com/open?id=…`, joined by ", ")."""
    ids = []
    for link in cell.split(CHOICE_SEPARATOR):
        found = _DRIVE_ID.search(link)
        if found:
            ids.append(found.group(1))
        elif link.strip():
            ids.append(link.strip())
    return ids
