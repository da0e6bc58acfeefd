"""The Google Sheets API: a small REST client for the agency's tracking tab (values read, written
in batches, appended; the tab and its checkboxes created).

    SheetsClient   spreadsheets.get, spreadsheets.values.get / batchUpdate / append, spreadsheets.batchUpdate
"""

from shared.sheets._client import SheetsClient

__all__ = ["SheetsClient"]
