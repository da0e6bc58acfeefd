"""A response export as a file: its encoding and separator found, its rows with their line numbers,
and rows written back the same way (so a failed-rows file opens where the export opened).

Google writes UTF-8 with commas; French Excel re-saves as Windows-1252 with semicolons, or as
"Unicode text" (UTF-16 with tabs). Anything else is refused in one line naming the file.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from shared.errors import ConfigError

DELIMITERS = (",", ";", "\t")


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
        if b"\x00" not in raw:
            try:
                # What French Excel writes when it re-saves a CSV ("CSV (séparateur : point-virgule)").
                return raw.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                pass
    raise ConfigError(f"{path}: not a text file in UTF-8 or Windows-1252: save it as 'CSV UTF-8'")


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
