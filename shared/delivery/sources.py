"""Old responses as schema v1 submissions, for the backfill: a CSV export of the form's response
sheet, or a Google Forms API `responses.list` JSON export.

CSV answers have no item id: each column gets a synthetic negative one, and the mapping finds the
answer by its question title (its fallback after the id). A CSV row has no response id either: it
gets a stable synthetic one (a hash of the timestamp and the row), so a second backfill of the same
file finds the same ids. A row that cannot be read is returned as a `BadRow`, never fatal.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from shared.errors import ConfigError
from shared.mapping.form import FormDescription
from shared.ogust import PARIS
from shared.webhook import Submission
from shared.webhook.schema import describe_errors

TIMESTAMP_COLUMNS = ("horodateur", "timestamp", "horodatage", "date de soumission")
EMAIL_COLUMNS = ("adresse e-mail", "adresse email", "email address", "e-mail")
_FRENCH = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?$")


@dataclass(frozen=True)
class BadRow:
    """A row that could not become a submission, and why."""

    row: str
    """Where it is: `line 12` of a CSV, or `responses[3]` of a JSON export."""
    error: str
    response_id: str = ""


Row = tuple[str, Submission | BadRow]


def read_csv_export(path: Path, form_id: str) -> Iterator[Row]:
    """One submission per row of a response sheet exported as CSV (headers are question titles)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        try:
            headers = next(reader)
        except StopIteration:
            return
        folded = [h.strip().casefold() for h in headers]
        stamp = next((i for i, h in enumerate(folded) if h in TIMESTAMP_COLUMNS), None)
        if stamp is None:
            raise ConfigError(
                f"{path}: no timestamp column (expected one of: Horodateur, Timestamp) in the first line"
            )
        email = next((i for i, h in enumerate(folded) if h in EMAIL_COLUMNS), None)
        for number, cells in enumerate(reader, start=2):
            where = f"line {number}"
            if not any(c.strip() for c in cells):
                continue
            cells = cells + [""] * (len(headers) - len(cells))
            response_id = "csv-" + hashlib.sha256("\x1f".join(cells).encode()).hexdigest()[:24]
            try:
                submitted = parse_timestamp(cells[stamp])
            except ValueError as exc:
                yield where, BadRow(where, str(exc), response_id)
                continue
            answers = [
                {"itemId": -(i + 1), "title": title.strip(), "type": "TEXT", "value": cells[i]}
                for i, title in enumerate(headers)
                if i != stamp and title.strip()
            ]
            respondent = cells[email].strip() or None if email is not None else None
            yield where, _submission(where, form_id, response_id, submitted.isoformat(), respondent, answers)


def parse_timestamp(text: str) -> datetime:
    """`28/11/2026 10:15:00` (the French sheet, Europe/Paris) or ISO 8601 (naive = Europe/Paris).

    The response sheet's timestamps are in the form owner's time zone, without an offset.
    """
    raw = text.strip()
    match = _FRENCH.match(raw)
    try:
        if match:
            day, month, year, hour, minute, second = match.groups()
            value = datetime(
                int(year), int(month), int(day), int(hour), int(minute), int(second or 0), tzinfo=PARIS
            )
        else:
            value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"timestamp {raw!r} is neither dd/mm/yyyy hh:mm:ss nor ISO 8601") from None
    return value if value.tzinfo else value.replace(tzinfo=PARIS)


def read_forms_api_export(path: Path, form: FormDescription | None, form_id: str) -> Iterator[Row]:
    """One submission per entry of a `responses.list` export (`{"responses": [...]}`)."""
    from shared.errors import PayloadError
    from shared.forms import submission_from_response  # the one Forms API reader (the reconciler's)

    if form is None or not form.has_question_ids:
        raise ConfigError(
            f"{path}: a Forms API export needs the form's Forms API description (--form with the "
            "forms.get JSON): its answers are keyed by question ids, which an Apps Script export lacks"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: not a readable Forms API export ({exc})") from None
    responses = data.get("responses") if isinstance(data, dict) else data
    if not isinstance(responses, list):
        raise ConfigError(f"{path}: expected {{'responses': [...]}}")
    for index, response in enumerate(responses):
        where = f"responses[{index}]"
        try:
            yield where, submission_from_response(response, form, form_id)
        except PayloadError as exc:
            response_id = response.get("responseId") if isinstance(response, dict) else ""
            yield where, BadRow(where, str(exc), str(response_id or ""))


def _submission(
    where: str,
    form_id: str,
    response_id: Any,
    submitted_at: Any,
    respondent: Any,
    answers: list[dict[str, Any]],
) -> Submission | BadRow:
    """A schema v1 submission from an exported row, or the row reported with what is wrong."""
    data = {
        "schemaVersion": 1,
        "formId": form_id,
        "responseId": response_id,
        "submittedAt": submitted_at,
        "respondentEmail": respondent,
        "answers": answers,
    }
    try:
        return Submission.model_validate(data)
    except ValidationError as exc:
        return BadRow(where, describe_errors(exc), str(response_id or ""))
