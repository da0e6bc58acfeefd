"""One fake Sheets API per test module, reset before each test, holding the agency's response
spreadsheet."""

from __future__ import annotations

import pytest

from sheets_sandbox import SheetsSandbox
from tests.support.sheets import SPREADSHEET_ID


@pytest.fixture
def sheets_api(sheets_server: SheetsSandbox) -> SheetsSandbox:
    sheets_server.reset()
    sheets_server.add_spreadsheet(SPREADSHEET_ID)
    return sheets_server
