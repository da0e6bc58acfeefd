"""A refused answer of a form with the agency's tab: the receiver's 422 says the agency is told
(`agencyNotified`), and it is: the tab's row says "refusé" and the one notification line is written.
Without the tab, or for what never reached a verdict on the answers, the field is absent, so the
Apps Script's digest still reports it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from functions_framework import create_app

from ogust_sandbox import Sandbox
from shared.tracking import TAB_TITLE
from shared.tracking._tracker import REFUSED_EVENT
from sheets_sandbox import SheetsSandbox
from tests.support.function import (
    MAIN,
    ROOT,
    SETTINGS_TO_CLEAR,
    WRONG_SECRET,
    Post,
    example,
    signed_poster,
    sync_env,
)

SPREADSHEET_ID = "1RéponsesQuestionnaireDeSatisfaction"


def tracked_mapping(tmp: Path) -> Path:
    """The example mapping, its form reconciled and with its tab in the response spreadsheet."""
    text = (ROOT / "examples" / "satisfaction.yaml").read_text(encoding="utf-8")
    line = "    form_id: 1SatisfactionExempleOgust2026\n"
    assert line in text
    extra = f"    reconcile: true\n    tracking_tab: true\n    spreadsheet_id: {SPREADSHEET_ID}\n"
    path = tmp / "satisfaction-suivi.yaml"
    path.write_text(text.replace(line, line + extra, 1), encoding="utf-8")
    return path


def poster(sandbox: Sandbox, sheets: SheetsSandbox, monkeypatch: pytest.MonkeyPatch, mapping: Path) -> Post:
    sheets.reset()
    sheets.add_spreadsheet(SPREADSHEET_ID)
    for name in SETTINGS_TO_CLEAR:
        monkeypatch.delenv(name, raising=False)
    env = sync_env(sandbox, MAPPING_FILE=str(mapping), SHEETS_API_ENDPOINT=sheets.url)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return signed_poster(create_app("receive_submission", str(MAIN)).test_client())


def test_a_refusal_of_a_form_with_the_tab_says_the_agency_is_told_and_it_is(
    sandbox: Sandbox,
    sheets_server: SheetsSandbox,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    post = poster(sandbox, sheets_server, monkeypatch, tracked_mapping(tmp_path))
    response = post(example("01-new-customer", answers={"Téléphone portable": "06 12"}))
    assert response.status_code == 422
    body = response.get_json()
    assert body["agencyNotified"] is True
    assert body["field"] == "mobile_phone"
    assert sandbox.customers() == []
    rows = sheets_server.rows(SPREADSHEET_ID, TAB_TITLE)
    assert [cells[2] for cells in rows[1:]] == ["refusé"]  # the row the agency sees
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    notices = [line["responseId"] for line in lines if line.get("event") == REFUSED_EVENT]
    assert notices == [example("01-new-customer")["responseId"]]  # its one e-mail


def test_what_the_tab_cannot_show_is_left_to_the_sender(
    sandbox: Sandbox, sheets_server: SheetsSandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    post = poster(sandbox, sheets_server, monkeypatch, tracked_mapping(tmp_path))
    unsigned = post(example("01-new-customer"), secret=WRONG_SECRET)
    assert unsigned.status_code == 401
    assert "agencyNotified" not in unsigned.get_json()
    other_form = post(example("01-new-customer", formId="1UnAutreFormulaire"))
    assert other_form.status_code == 422  # no mapping for that form: no tab either
    assert "agencyNotified" not in other_form.get_json()
    applied = post(example("01-new-customer"))
    assert applied.status_code == 201
    assert "agencyNotified" not in applied.get_json()


def test_a_refusal_of_a_form_without_the_tab_is_the_sender_s_to_report(
    sandbox: Sandbox, sheets_server: SheetsSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = poster(sandbox, sheets_server, monkeypatch, ROOT / "examples" / "satisfaction.yaml")
    response = post(example("01-new-customer", answers={"Téléphone portable": "06 12"}))
    assert response.status_code == 422
    assert "agencyNotified" not in response.get_json()
    assert sheets_server.tab(SPREADSHEET_ID, TAB_TITLE) is None
