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

from pydantic import ValidationError

from shared.delivery.export_values import DateOrder, read_timestamp
from shared.errors import ConfigError
from shared.mapping.form import FormDescription
from shared.webhook import Submission
from shared.webhook.schema import describe_errors


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
    from shared.delivery.csv_export import CsvExport  # it builds on this module's rows

    return iter(CsvExport.read(path, form_id, form=form, date_order=date_order).rows)


def parse_timestamp(text: str) -> datetime:
    """`28/11/2026 10:15:00` (a French sheet, Europe/Paris) or ISO 8601 (naive = Europe/Paris), in UTC."""
    return read_timestamp(text, "dmy")


def read_forms_api_export(path: Path, form: FormDescription | None, form_id: str) -> Iterator[Row]:
    """One submission per entry of a `responses.list` export (`{"responses": [...]}`)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: not a readable Forms API export ({exc})") from None
    responses = data.get("responses") if isinstance(data, dict) else data
    if not isinstance(responses, list):
        raise ConfigError(f"{path}: expected {{'responses': [...]}}")
    questions = form.by_question_id() if form else {}
    for index, response in enumerate(responses):
        where = f"responses[{index}]"
        if not isinstance(response, dict):
            yield where, BadRow(where, "not an object")
            continue
        answers = []
        for number, (qid, answer) in enumerate(sorted((response.get("answers") or {}).items()), start=1):
            values = _answer_values(answer)
            question = questions.get(qid)
            answers.append(
                {
                    "itemId": question.item_id if question and question.item_id is not None else -number,
                    "title": question.title if question else qid,
                    "type": "CHECKBOX" if len(values) > 1 else "TEXT",
                    "value": values if len(values) > 1 else (values[0] if values else ""),
                }
            )
        submitted = response.get("lastSubmittedTime") or response.get("createTime")
        response_id, respondent = response.get("responseId"), response.get("respondentEmail")
        yield where, _submission(where, form_id, response_id, submitted, respondent, answers)


def _answer_values(answer: Any) -> list[str]:
    if not isinstance(answer, dict):
        return []
    text = (answer.get("textAnswers") or {}).get("answers") or []
    values = [str(a.get("value", "")) for a in text if isinstance(a, dict)]
    files = (answer.get("fileUploadAnswers") or {}).get("answers") or []
    values += [str(f.get("fileName") or f.get("fileId") or "") for f in files if isinstance(f, dict)]
    return values


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
