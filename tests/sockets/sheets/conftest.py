"""One fake Sheets API per test module, reset before each test, holding the agency's response
spreadsheet."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sheets_sandbox import SheetsSandbox
from tests.support.sheets import SPREADSHEET_ID


@pytest.fixture(scope="module")
def sheets_server() -> Iterator[SheetsSandbox]:
    with SheetsSandbox() as server:
        yield server


@pytest.fixture
def sheets_api(sheets_server: SheetsSandbox) -> SheetsSandbox:
    sheets_server.reset()
    sheets_server.add_spreadsheet(SPREADSHEET_ID)
    return sheets_server
