"""The fake Sheets API's side of a test: the agency's response spreadsheet of the Sheets client's
tests, and a caller's credentials as the fake Sheets API reads them."""

from __future__ import annotations

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
