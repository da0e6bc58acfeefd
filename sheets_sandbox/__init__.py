"""A local fake of the Google Sheets API v4 for development and tests (never deployed): the calls the
agency's tracking tab makes, checkboxes as booleans, 429 once a minute's quota is spent, 403 for a
spreadsheet not shared with the caller, and injected 5xx, dropped connections or latency."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sandbox_kit import Background
from sheets_sandbox.server import Fault, Faults, Quota, SheetsServer
from sheets_sandbox.store import Store, Tab, column_index


class SheetsSandbox(Background):
    """A fake Sheets API on `host:port` (port 0 = a free one); use `with SheetsSandbox() as sheets:`."""

    name = "Sheets sandbox"

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.store = Store()
        self.faults = Faults()
        self.quota = Quota()
        super().__init__(host, port)

    def new_server(self, address: tuple[str, int]) -> SheetsServer:
        return SheetsServer(address, self.store, self.faults, self.quota)

    @property
    def url(self) -> str:
        """`http://host:port`: what SHEETS_API_ENDPOINT is set to."""
        return self.base_url

    def reset(self) -> None:
        self.store.reset()
        self.faults.clear()
        self.quota.limits = {"read": None, "write": None}
        self.quota.next_minute()

    # ── content, as the agency's staff sees and touches it ──────────────────────────────────────

    def add_spreadsheet(self, spreadsheet_id: str, *, shared: bool = True) -> None:
        """A response spreadsheet with its one responses tab; `shared=False`: 403 to the caller."""
        self.store.add_spreadsheet(spreadsheet_id)
        self.share(spreadsheet_id, shared)

    def share(self, spreadsheet_id: str, shared: bool = True) -> None:
        with self.store.lock:
            self.store.spreadsheets[spreadsheet_id].shared = shared

    def share_with(self, spreadsheet_id: str, *addresses: str) -> None:
        """What the share step does: these editors only (callers whose bearer token is one of these
        addresses); any other caller, or one without a token, gets 403."""
        with self.store.lock:
            self.store.spreadsheets[spreadsheet_id].editors = frozenset(addresses)

    def tab(self, spreadsheet_id: str, title: str) -> Tab | None:
        with self.store.lock:
            return self.store.spreadsheets[spreadsheet_id].tabs.get(title)

    def rows(self, spreadsheet_id: str, title: str) -> list[list[Any]]:
        """Every row of the tab, cells as stored (None: empty), trailing empty rows left out."""
        with self.store.lock:
            tab = self.store.spreadsheets[spreadsheet_id].tabs.get(title)
            rows = [list(r) for r in tab.rows] if tab else []
        while rows and all(v is None for v in rows[-1]):
            rows.pop()
        return rows

    def set_cell(self, spreadsheet_id: str, title: str, cell: str, value: Any) -> None:
        """What a person does in the browser: type a value or tick a box (`True`) in `cell` (`G5`)."""
        letters = cell.rstrip("0123456789")
        with self.store.lock:
            tab = self.store.spreadsheets[spreadsheet_id].tabs[title]
            tab.put(int(cell[len(letters) :]) - 1, column_index(letters), value)

    def calls(self) -> Counter[str]:
        with self.store.lock:
            return Counter(self.store.calls)

    # ── quotas and faults ───────────────────────────────────────────────────────────────────────

    def set_quota(self, *, reads: int | None = None, writes: int | None = None) -> None:
        """Requests allowed per minute (None: no limit); once spent, 429 until `next_minute`."""
        self.quota.limits = {"read": reads, "write": writes}

    def next_minute(self) -> None:
        self.quota.next_minute()

    def inject_status(self, status: int, count: int = 1, method: str | None = None, *, skip: int = 0) -> None:
        """The next `count` calls (of `method`) answer `status` with Google's error body."""
        self.faults.add(Fault("status", count, method, skip, status=status))

    def inject_drop(self, count: int = 1, method: str | None = None, *, skip: int = 0) -> None:
        self.faults.add(Fault("drop", count, method, skip))

    def clear_faults(self) -> None:
        self.faults.clear()


__all__ = ["SheetsSandbox"]
