"""Pytest plugin: one fake Forms API per test module, reset before each test, and the satisfaction
form of the examples as the Forms API would describe it, with helpers to put the same answers in
both sources (the Apps Script's payload and the form's responses)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from forms_sandbox import FormsSandbox, form_from_apps_script_export
from tests.support.function import example

ROOT = Path(__file__).resolve().parents[2]
SATISFACTION_EXPORT: dict[str, Any] = json.loads(
    (ROOT / "examples" / "satisfaction-form.json").read_text(encoding="utf-8")
)
SATISFACTION_FORM = form_from_apps_script_export(SATISFACTION_EXPORT)
FORM_ID = SATISFACTION_EXPORT["formId"]
QUESTION_IDS: dict[int, str] = {
    int(item["itemId"], 16): item["questionItem"]["question"]["questionId"]
    for item in SATISFACTION_FORM["items"]
}
"""Apps Script item id → Forms API question id, in the satisfaction form."""

FORMS_CLOCK_SKEW = timedelta(microseconds=456)
BASE_TIME = (datetime.now(UTC) - timedelta(days=3)).replace(second=0, microsecond=0)
"""When respondent 0 answered: in the past whatever the machine's date (the API's clock is now)."""
"""The Forms API keeps microseconds (and more); the script's Date only milliseconds."""


def satisfaction_mapping(tmp: Path, *, extra: str = "") -> Path:
    """examples/satisfaction.yaml with `reconcile: true` on its form (and `extra` lines under it)."""
    text = (ROOT / "examples" / "satisfaction.yaml").read_text(encoding="utf-8")
    marker = "    form_id: 1SatisfactionExempleOgust2026\n"
    path = tmp / "satisfaction-reconcile.yaml"
    path.write_text(text.replace(marker, marker + "    reconcile: true\n" + extra), encoding="utf-8")
    return path


def respondent(n: int, *, at: datetime | None = None, **answers: str) -> dict[str, Any]:
    """The script's payload of a distinct French respondent, with a unique response id and time."""
    moment = at or BASE_TIME + timedelta(minutes=n)
    values = {
        "Nom": f"Lefèvre-{n}",
        "Prénom": "hélène" if n % 2 else "jean-françois",
        "Adresse e-mail": f"client.{n}@exemple.fr",
        "Téléphone portable": f"06 12 {n // 100:02d} {n % 100:02d} 00",
        "Ville": "L'Haÿ-les-Roses",
        **answers,
    }
    return example(
        "01-new-customer",
        responseId=f"2_ABaOnudReconcile{n:04d}",
        submittedAt=moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        answers=values,
    )


def forms_answers(payload: dict[str, Any]) -> dict[str, Any]:
    """The script payload's answers as the Forms API keys them (empty text answers left out)."""
    return {
        QUESTION_IDS[a["itemId"]]: a["value"] for a in payload["answers"] if a["value"] not in ("", [], None)
    }


def as_forms_api(payload: dict[str, Any], *, micro: str = "456") -> dict[str, Any]:
    """The Forms API's `FormResponse` of a script payload (list shape: no formId)."""
    stamp = payload["submittedAt"].replace("Z", f"{micro}Z")
    return {
        "responseId": payload["responseId"],
        "createTime": stamp,
        "lastSubmittedTime": stamp,
        "answers": {
            qid: {
                "questionId": qid,
                "textAnswers": {
                    "answers": [{"value": v} for v in (value if isinstance(value, list) else [value])]
                },
            }
            for qid, value in forms_answers(payload).items()
        },
    }


def add_to_form(forms_api: FormsSandbox, payload: dict[str, Any]) -> dict[str, Any]:
    """The response `payload` is of, in the fake form: same id, same answers, same time (to the ms)."""
    submitted = datetime.fromisoformat(payload["submittedAt"].replace("Z", "+00:00")) + FORMS_CLOCK_SKEW
    return forms_api.add_response(
        payload["formId"], forms_answers(payload), response_id=payload["responseId"], submitted_at=submitted
    )


@pytest.fixture(scope="module")
def forms_server() -> Iterator[FormsSandbox]:
    """A fake Forms API on a free port for the whole test module."""
    with FormsSandbox() as server:
        yield server


@pytest.fixture
def forms_api(forms_server: FormsSandbox) -> FormsSandbox:
    """The module's fake Forms API, holding only the satisfaction form (shared, no responses)."""
    forms_server.reset()
    forms_server.add_form(SATISFACTION_FORM)
    return forms_server
