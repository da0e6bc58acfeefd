"""The agency's side of the whole path, in one process over real sockets: the Ogust sandbox, the
fake Forms API (the form, linked to its response spreadsheet), the fake Sheets API, the reconciler's
HTTP handler on a Runtime, and a worker that drains what was published as process_submission does
(applied through apply_once with the runtime's guard; a retryable failure waits for the next round,
a refusal is parked)."""

from __future__ import annotations

from pathlib import Path

import pytest

from forms_sandbox import FormsSandbox
from ogust_sandbox import Sandbox
from shared.ogust import OgustClient
from sheets_sandbox import SheetsSandbox
from tests.support.agency import Agency


@pytest.fixture
def agency(
    sandbox: Sandbox,
    forms_server: FormsSandbox,
    sheets_server: SheetsSandbox,
    ogust_client: OgustClient,
    tmp_path: Path,
) -> Agency:
    sheets_server.reset()
    return Agency(sandbox, forms_server, sheets_server, ogust_client, tmp_path)
