"""The fake Sheets API's side of a test: the agency's response spreadsheet of the Sheets client's
tests, a caller's credentials as the fake Sheets API reads them, and the fake itself: `sheets_server`,
one per module, a fixture every folder gets (tests/conftest.py registers this module)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sheets_sandbox import SheetsSandbox

SPREADSHEET_ID = "1RéponsesSatisfactionAgenceDuVal"


class ServiceAccount:
    """A function's service-account credentials as google-auth gives them; the fake Sheets API takes
    the bearer token as the caller's address, so its token is its e-mail."""

    valid = True

    def __init__(self, email: str) -> None:
        self.service_account_email = email
        self.token = email

    def refresh(self, request: object) -> None:  # pragma: no cover - always valid
        raise AssertionError("a fake service account's token never expires")


@pytest.fixture(scope="module")
def sheets_server() -> Iterator[SheetsSandbox]:
    """The fake Sheets API over a real socket, one per test module."""
    with SheetsSandbox() as server:
        yield server
