"""`reconcile_forms` as functions-framework serves it, on the fake Forms API: a response it cannot
read is parked once, with one WARNING line, and the run is still a success."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from functions_framework import create_app

from forms_sandbox import FormsSandbox
from tests.support.forms_fixtures import FORM_ID, add_to_form, respondent, satisfaction_mapping
from tests.support.function import MAIN
from tests.support.queue_world import SETTINGS


def test_an_unreadable_response_is_parked_once_with_one_warning_and_the_run_succeeds(
    forms_api: FormsSandbox,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    env = {
        "FUNCTION_TARGET": "reconcile_forms",
        "MAPPING_FILE": str(satisfaction_mapping(tmp_path)),
        "GOOGLE_CLOUD_PROJECT": "demo-parks",
        "SUBMISSIONS_TOPIC": "projects/demo-parks/topics/form-submissions",
        "FORMS_WATCH_TOPIC": "projects/demo-parks/topics/forms-watch",
        "FORMS_API_ENDPOINT": forms_api.url,
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    ahead = respondent(0, at=datetime.now(UTC) + timedelta(hours=2))  # a device's clock two hours ahead
    add_to_form(forms_api, ahead)
    client = create_app("reconcile_forms", str(MAIN)).test_client()
    capsys.readouterr()

    first = client.post("/", json={"formId": FORM_ID})
    assert first.status_code == 200, first.get_data(as_text=True)
    (form,) = first.get_json()["forms"]
    (parked,) = form["parked"]
    assert parked.startswith(f"{ahead['responseId']}: ")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    warnings = [line for line in lines if line.get("status") == "parked"]
    assert [(w["severity"], w["formId"]) for w in warnings] == [("WARNING", FORM_ID)]
    assert ahead["responseId"] in warnings[0]["message"]

    again = client.post("/", json={"formId": FORM_ID})  # the overlap reads it again
    assert again.status_code == 200
    assert "parked" not in again.get_json()["forms"][0]
    assert not [line for line in capsys.readouterr().out.splitlines() if '"status": "parked"' in line]
