"""A response export as a file: its encoding and separator found, its rows with their line numbers,
and rows written back the same way (so a failed-rows file opens where the export opened).

Google writes UTF-8 with commas; French Excel re-saves as Windows-1252 with semicolons, or as
"Unicode text" (UTF-16 with tabs). Anything else is refused in one line naming the file.

A UTF-8 file with a few damaged bytes (a cell pasted from another program) is never re-read whole
as Windows-1252: that would turn every accent of every other cell into mojibake (`LEFÃ¨VRE`). It is
read as UTF-8, each damaged byte becomes U+FFFD, and the rows holding one are refused naming their
column (`DAMAGED`); a damaged column title refuses the file.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from shared.errors import ConfigError

DELIMITERS = (",", ";", "\t")

DAMAGED = "\ufffd"
"""What a byte that is not UTF-8 becomes in a file that is UTF-8 elsewhere."""

_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
"""A multi-byte UTF-8 character: Windows-1252 French text practically never holds one."""


@dataclass(frozen=True)
class ExportFile:
    """The decoded export: how it was written, its first line, and each row with its first line number."""

    path: Path
    encoding: str
    delimiter: str
    headers: list[str]
    rows: list[tuple[int, list[str]]]

    def write(self, path: Path, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """Write rows in this file's dialect (UTF-8 with a BOM, so Excel reads the accents)."""
        encoding = "utf-8-sig" if self.encoding.startswith("utf-8") else self.encoding
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=self.delimiter, lineterminator="\r\n")
        writer.writerow(headers)
        writer.writerows(rows)
        try:
            data = buffer.getvalue().encode(encoding)
        except UnicodeEncodeError:  # an error message with a character Windows-1252 lacks
            data = buffer.getvalue().encode("utf-8-sig")
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)  # never a half-written file


def read_export(path: Path, has_header: Callable[[list[str]], bool], expected: str) -> ExportFile:
    """Decode and split `path`; `has_header` recognises the first line; `expected` names it in errors."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read it ({exc.strerror})") from None
    text, encoding = _decode(path, raw)
    first_line = text.split("\n", 1)[0]
    if _is_json(text):
        raise ConfigError(f"{path}: this is JSON, not CSV: for a Forms API export, use --format forms-api")
    delimiter = _delimiter(first_line, has_header)
    if delimiter is None:
        shown = first_line.strip()[:80]
        raise ConfigError(
            f"{path}: the first line should be the column titles, with {expected}; it is '{shown}'"
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = next(reader)
        rows: list[tuple[int, list[str]]] = []
        start = reader.line_num + 1
        for cells in reader:
            rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ConfigError(f"{path}: line {reader.line_num} is not valid CSV ({exc})") from None
    for column, header in enumerate(headers, start=1):
        if DAMAGED in header:
            raise ConfigError(
                f"{path}: the title of column {column} ('{header.strip()}') holds a byte that is not UTF-8 "
                "while the rest of the file is UTF-8: retype that title (or download the export again)"
            )
    return ExportFile(path, encoding, delimiter, headers, rows)


def _decode(path: Path, raw: bytes) -> tuple[str, str]:
    if raw.startswith(b"PK\x03\x04"):
        raise ConfigError(
            f"{path} is an Excel workbook, not CSV: save it as 'CSV UTF-8', or download the responses as CSV"
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    else:
        try:
            return raw.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError:
            pass
        if holds_utf8(raw):
            # UTF-8 with some damaged bytes: read as UTF-8, the damaged cells are refused one by one.
            return raw.decode("utf-8-sig", errors="replace"), "utf-8"
        if b"\x00" not in raw:
            try:
                # What French Excel writes when it re-saves a CSV ("CSV (séparateur : point-virgule)").
                return raw.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                pass
    raise ConfigError(f"{path}: not a text file in UTF-8 or Windows-1252: save it as 'CSV UTF-8'")


def holds_utf8(raw: bytes) -> bool:
    """True when `raw` holds a multi-byte UTF-8 character: then it is UTF-8, whatever else it holds.

    In Windows-1252 that takes a capital accented letter followed by a symbol (`É«`), or a small
    one followed by two (`é’»`): French text practically never does. A file that does is read as
    UTF-8 and its other accented cells are refused one by one: loud, never mojibake.
    """
    return _UTF8_SEQUENCE.search(raw) is not None


def _is_json(text: str) -> bool:
    if not text.lstrip().startswith(("{", "[")):
        return False
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _delimiter(first_line: str, has_header: Callable[[list[str]], bool]) -> str | None:
    """The separator with which the first line holds the expected titles (the most columns wins)."""
    fits = []
    for delimiter in DELIMITERS:
        headers = next(csv.reader([first_line], delimiter=delimiter), [])
        if has_header(headers):
            fits.append((len(headers), delimiter))
    return max(fits)[1] if fits else None
