"""The Google Sheets API client: the few calls the tracking tab needs, in batches.

    spreadsheets.get (sheet titles and ids only)   the tab's gid, whether it exists
    spreadsheets.values.get                        the tab's rows (checkboxes come back as booleans)
    spreadsheets.values.batchUpdate                many rows rewritten in one write request
    spreadsheets.values.append                     new rows after the last one
    spreadsheets.batchUpdate                       the tab itself, its hidden column, the checkboxes

REST over httpx like the Forms client. Google counts a batch as one request against its quotas
(per minute: 60 reads and 60 writes per user, 300 per project), which is why the tab is written in
batches. Errors are ours:
  429, 5xx, timeouts, dropped connections  → DeliveryUnavailableError (the next run catches up)
  403, 404 (not shared, wrong id)          → ConfigError naming the spreadsheet and who to share it with
  other 4xx                                → ConfigError with the API's own message
Nothing here retries: the tab is a view, and its writer gives up quickly rather than hold a delivery.

Reference: https://developers.google.com/workspace/sheets/api/reference/rest (v4) and
https://developers.google.com/workspace/sheets/api/limits (quotas).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from shared.errors import ConfigError, DeliveryUnavailableError, FormsToOgustError
from shared.google import GoogleApiClient, GoogleCall, google_error, json_object

DEFAULT_ENDPOINT = "https://sheets.googleapis.com"
DEFAULT_TIMEOUT = 10.0
"""Seconds per call: a tab of a few thousand rows is well under a megabyte; a delivery that writes
its row never waits longer than this for the view."""
SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)
"""Read and write the spreadsheets shared with the service account (the only Sheets scope that writes)."""


class SheetsClient(GoogleApiClient):
    """One Sheets API client per process: its connections and token are shared by every call."""

    API = "Sheets"
    SCOPES = SCOPES
    DEFAULT_ENDPOINT = DEFAULT_ENDPOINT
    DEFAULT_TIMEOUT = DEFAULT_TIMEOUT

    def sheet_ids(self, spreadsheet_id: str) -> dict[str, int]:
        """Title → sheet id (the `gid` of links) of every tab of the spreadsheet."""
        data = self._call(
            "GET",
            f"/v4/spreadsheets/{spreadsheet_id}",
            spreadsheet_id,
            "spreadsheets.get",
            params={"fields": "sheets.properties(sheetId,title)"},
        )
        found = {}
        for sheet in data.get("sheets") or []:
            properties = sheet.get("properties") or {} if isinstance(sheet, dict) else {}
            if "title" in properties:
                found[str(properties["title"])] = int(properties.get("sheetId") or 0)
        return found

    def get_values(self, spreadsheet_id: str, range_: str) -> list[list[Any]]:
        """The cells of `range_` row by row, unformatted (a checkbox is a boolean, a number a number)."""
        data = self._call(
            "GET",
            f"/v4/spreadsheets/{spreadsheet_id}/values/{quote(range_, safe='')}",
            spreadsheet_id,
            "spreadsheets.values.get",
            params={"valueRenderOption": "UNFORMATTED_VALUE", "majorDimension": "ROWS"},
        )
        return [list(row) for row in data.get("values") or [] if isinstance(row, list)]

    def update_values(self, spreadsheet_id: str, data: list[tuple[str, list[list[Any]]]]) -> None:
        """Write each (range, rows) as given (RAW: a text stays a text), all in one write request."""
        if not data:
            return
        body = {
            "valueInputOption": "RAW",
            "data": [{"range": range_, "majorDimension": "ROWS", "values": rows} for range_, rows in data],
        }
        self._call(
            "POST",
            f"/v4/spreadsheets/{spreadsheet_id}/values:batchUpdate",
            spreadsheet_id,
            "spreadsheets.values.batchUpdate",
            json=body,
        )

    def append_values(self, spreadsheet_id: str, range_: str, rows: list[list[Any]]) -> str:
        """Add `rows` after the last row of the table in `range_`; the range they were written to."""
        data = self._call(
            "POST",
            f"/v4/spreadsheets/{spreadsheet_id}/values/{quote(range_, safe='')}:append",
            spreadsheet_id,
            "spreadsheets.values.append",
            params={"valueInputOption": "RAW", "insertDataOption": "INSERT_ROWS"},
            json={"range": range_, "majorDimension": "ROWS", "values": rows},
        )
        return str((data.get("updates") or {}).get("updatedRange") or "")

    def batch_update(self, spreadsheet_id: str, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Structural changes (a new tab, data validation, hidden columns), applied all or none."""
        data = self._call(
            "POST",
            f"/v4/spreadsheets/{spreadsheet_id}:batchUpdate",
            spreadsheet_id,
            "spreadsheets.batchUpdate",
            json={"requests": requests},
        )
        return [r for r in data.get("replies") or [] if isinstance(r, dict)]

    # ── HTTP ────────────────────────────────────────────────────────────────────────────────────

    def _call(
        self,
        method: str,
        path: str,
        spreadsheet_id: str,
        what: str,
        *,
        params: dict[str, str] | None = None,
        json: Any = None,
    ) -> dict[str, Any]:
        call = GoogleCall("Sheets", what, f"spreadsheet '{spreadsheet_id}'")
        answer = self._send(method, path, call, params=params, json=json)
        if answer.is_success:
            return json_object(answer, call)
        raise self._error(answer, spreadsheet_id, what)

    def _error(self, answer: httpx.Response, spreadsheet_id: str, what: str) -> FormsToOgustError:
        code, said = google_error(answer)
        if code == 429 or code >= 500:
            return DeliveryUnavailableError(
                f"the Sheets API is unavailable for {what} of spreadsheet '{spreadsheet_id}' ({said})"
            )
        if code in (403, 404):
            return ConfigError(
                f"the Sheets API refused {what} for spreadsheet '{spreadsheet_id}' ({said}): share the "
                f"spreadsheet with {self.principal} as an editor, or check its id"
            )
        return ConfigError(f"the Sheets API refused {what} for spreadsheet '{spreadsheet_id}' ({said})")
