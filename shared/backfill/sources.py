"""Old responses as schema v1 submissions, for the backfill: a CSV export of the form's responses
(read by `csv_export`), or a Google Forms API `responses.list` JSON export.

A row that cannot be read is returned as a `BadRow`, never fatal.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from shared.backfill.export_values import DateOrder, read_timestamp
from shared.errors import ConfigError, PayloadError
from shared.mapping import FormDescription
from shared.webhook import Submission


@dataclass(frozen=True)
class BadRow:
    """A row that could not become a submission, and why."""

    row: str
    """Where it is: `line 12` of a CSV, or `responses[3]` of a JSON export."""
    error: str
    response_id: str = ""


Row = tuple[str, Submission | BadRow]


def read_csv_export(
    path: Path,
    form_id: str,
    *,
    form: FormDescription | None = None,
    date_order: DateOrder | None = None,
) -> Iterator[Row]:
    """One submission per row of a response export (French or English); see `csv_export`."""
    from shared.backfill.csv_export import CsvExport  # it builds on this module's rows

    return iter(CsvExport.read(path, form_id, form=form, date_order=date_order).rows)


def parse_timestamp(text: str) -> datetime:
    """`28/11/2026 10:15:00` (a French sheet, Europe/Paris) or ISO 8601 (naive = Europe/Paris), in UTC."""
    return read_timestamp(text, "dmy")


def read_forms_api_export(path: Path, form: FormDescription | None, form_id: str) -> Iterator[Row]:
    """One submission per entry of a `responses.list` export (`{"responses": [...]}`)."""
    from shared.forms import submission_from_response  # the one Forms API reader (the reconciler's)

    if form is None or not form.has_question_ids:
        raise ConfigError(
            f"{path}: a Forms API export needs the form's Forms API description (--form with the "
            "forms.get JSON): its answers are keyed by question ids, which an Apps Script export lacks"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path}: not UTF-8 (byte {exc.start}): a Forms API export is UTF-8 JSON; download it again"
        ) from None
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
        return Submission.validated(data)
    except PayloadError as exc:
        return BadRow(where, str(exc), str(response_id or ""))
