"""The one Forms API reader: a `FormResponse` (responses.list) → the schema v1 submission the
Apps Script sender would have posted for it, so that one mapping, one ledger and one worker serve
both ways in.

What the script sends, and so what this builds (apps_script/Payload.gs, and
docs/google-cloud.md §2 for `getItemResponses()`):
- one answer per answered item, in the form's order, `itemId` the Apps Script `Item.getId()` (the
  Forms API `itemId` read as hexadecimal, see `shared.mapping.form`) and the item's title;
- an unanswered text, paragraph, date or time item as `""`, any other unanswered item left out;
- CHECKBOX and FILE_UPLOAD (Drive file ids) as lists, GRID as one value per row (`""` unanswered),
  CHECKBOX_GRID as one list per row;
- `submittedAt` to the millisecond, as JavaScript's `toISOString()` writes it: the Forms API gives
  up to nanoseconds, and the ledger compares versions by this time (`LedgerEntry.covers`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from shared.errors import PayloadError
from shared.mapping import FormDescription, FormItem
from shared.webhook import Submission

LIST_TYPES = frozenset({"CHECKBOX", "FILE_UPLOAD"})

_RFC3339 = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$")


def submission_from_response(
    response: Mapping[str, Any], form: FormDescription, form_id: str | None = None
) -> Submission:
    """The schema v1 submission of one Forms API response; PayloadError says what is unreadable.

    `form` must come from `forms.get` (it holds the question ids answers are keyed by). `form_id`
    is needed for `responses.list`, whose responses do not carry it.
    """
    if not isinstance(response, Mapping):
        raise PayloadError("a Forms API response must be a JSON object")
    given = response.get("answers") or {}
    by_question = given if isinstance(given, Mapping) else {}
    answers = []
    for number, item in enumerate(form.items, start=1):
        value = _value(item, by_question)
        if value is None:
            continue
        item_id = item.item_id if item.item_id is not None else -number
        answers.append({"itemId": item_id, "title": item.title, "type": item.type or "TEXT", "value": value})
    submitted = response.get("lastSubmittedTime") or response.get("createTime")
    data = {
        "schemaVersion": 1,
        "formId": form_id or response.get("formId") or form.form_id,
        "formTitle": form.title,
        "responseId": response.get("responseId"),
        "submittedAt": script_time(submitted) if isinstance(submitted, str) else submitted,
        "respondentEmail": response.get("respondentEmail") or None,
        "answers": answers,
    }
    try:
        return Submission.validated(data)
    except PayloadError as exc:
        raise PayloadError(
            f"Forms API response {response.get('responseId') or '?'} is not readable: {exc}"
        ) from None


def script_time(text: str) -> str:
    """An RFC 3339 time as JavaScript's `Date.toISOString()`: UTC, milliseconds (truncated)."""
    match = _RFC3339.match(text.strip())
    if not match:
        return text  # left to the schema, which names what is wrong with it
    whole, fraction, zone = match.groups()
    millis = (fraction or "").ljust(3, "0")[:3]
    moment = datetime.fromisoformat(f"{whole}.{millis}{'+00:00' if zone == 'Z' else zone}")
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_time(text: str) -> datetime:
    """An RFC 3339 time of the Forms API (up to nanoseconds) as an aware datetime, to the millisecond."""
    return datetime.fromisoformat(script_time(text).replace("Z", "+00:00"))


def _value(item: FormItem, answers: Mapping[str, Any]) -> str | list[str] | list[list[str]] | None:
    """The answer to `item` as the script would send it; None when the script would leave it out."""
    if item.is_layout:
        return None
    if item.rows:
        rows = [_texts(answers.get(qid)) for qid, _ in item.rows]
        if not any(rows):
            return None
        if item.type == "CHECKBOX_GRID":
            return rows
        return [row[0] if row else "" for row in rows]
    if item.question_id is None:
        return None  # an Apps Script export: its questions cannot be found among the answers
    if item.question_id not in answers:
        return "" if item.unanswered_is_empty else None
    values = _texts(answers[item.question_id])
    if item.type in LIST_TYPES:
        return values
    return values[0] if values else ""


def _texts(answer: Any) -> list[str]:
    """The values of one Forms API `Answer`: its text answers, or the Drive ids of uploaded files."""
    if not isinstance(answer, Mapping):
        return []
    text = (answer.get("textAnswers") or {}).get("answers") or []
    values = [str(a.get("value", "")) for a in text if isinstance(a, Mapping)]
    files = (answer.get("fileUploadAnswers") or {}).get("answers") or []
    values += [str(f.get("fileId") or "") for f in files if isinstance(f, Mapping)]
    return values
