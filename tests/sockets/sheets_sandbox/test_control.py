"""The fake Sheets API's control API, as `make run ARGS=--keep` or another process drives it: add a
spreadsheet, tick a box in the browser's stead, spend the quota, inject a fault, look at it all."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from shared.errors import ConfigError, DeliveryUnavailableError
from shared.sheets import SheetsClient
from sheets_sandbox import SheetsSandbox

SHEET = "1RéponsesAgenceDuValDeMarne"


@pytest.fixture
def fake() -> Iterator[SheetsSandbox]:
    with SheetsSandbox() as sandbox:
        yield sandbox


def control(fake: SheetsSandbox, action: str, body: object) -> httpx.Response:
    return httpx.post(f"{fake.url}/_sandbox/{action}", json=body, timeout=10)


def test_a_box_ticked_through_the_control_api_reads_as_true(fake: SheetsSandbox) -> None:
    assert control(fake, "spreadsheets", {"spreadsheetId": SHEET}).status_code == 200
    with SheetsClient(fake.url) as sheets:
        sheets.batch_update(SHEET, [{"addSheet": {"properties": {"title": "Suivi Ogust"}}}])
        sheets.update_values(SHEET, [("'Suivi Ogust'!A2:B2", [["Mme Zoé L'Hôte", False]])])
        ticked = control(
            fake, "cell", {"spreadsheetId": SHEET, "tab": "Suivi Ogust", "cell": "B2", "value": True}
        )
        assert ticked.status_code == 200
        assert sheets.get_values(SHEET, "'Suivi Ogust'!A2:B") == [["Mme Zoé L'Hôte", True]]
    state = httpx.get(f"{fake.url}/_sandbox/state", timeout=10).json()
    assert state["spreadsheets"][SHEET]["tabs"]["Suivi Ogust"]["rows"] == [[], ["Mme Zoé L'Hôte", True]]
    assert state["calls"]["spreadsheets.values.get"] == 1


def test_quota_faults_and_sharing_set_over_http_reach_the_client(fake: SheetsSandbox) -> None:
    control(fake, "spreadsheets", {"spreadsheetId": SHEET, "shared": False})
    with SheetsClient(fake.url) as sheets:
        with pytest.raises(ConfigError, match="share the spreadsheet"):
            sheets.sheet_ids(SHEET)
        control(fake, "spreadsheets", {"spreadsheetId": SHEET})
        control(fake, "quota", {"reads": 0})
        with pytest.raises(DeliveryUnavailableError, match="429"):
            sheets.sheet_ids(SHEET)
        control(fake, "quota", {})
        control(fake, "faults", {"fault": "status", "status": 502, "method": "spreadsheets.get"})
        with pytest.raises(DeliveryUnavailableError, match="502"):
            sheets.sheet_ids(SHEET)
        assert sheets.sheet_ids(SHEET) == {"Réponses au formulaire 1": 0}
    assert control(fake, "nothing", {}).status_code == 404
    assert control(fake, "cell", {"spreadsheetId": "inconnu"}).status_code == 400
