"""The agency's side of the whole path, in one process over real sockets: one form with its tracking
tab (the Ogust sandbox, the fake Forms API with the form linked to its response spreadsheet, the fake
Sheets API, the reconciler's HTTP handler on a Runtime), and a worker that drains what was published
as process_submission does (applied through apply_once with the runtime's guard; a retryable failure
waits for the next round, a refusal is parked). With the fixtures other folders import: the fake
Sheets API of a module, and the agency with its ledger and leases in the Firestore emulator."""

from __future__ import annotations

import json
import threading
import uuid
from pathlib import Path
from typing import Any

import flask
import pytest

from forms_sandbox import FormsSandbox
from ogust_sandbox import Sandbox
from shared.config import Secrets, Settings
from shared.delivery.watermarks import MemoryWatermarks
from shared.errors import FormsToOgustError
from shared.exactly_once import Guard, Leases, Ledger, apply_once, ledger_key
from shared.exactly_once._leases import FirestoreLeases, MemoryLeases
from shared.exactly_once._ledger import FirestoreLedger, MemoryLedger
from shared.forms import FormsClient
from shared.http.reconciler import reconcile
from shared.http.runtime import Runtime
from shared.mapping import load_mapping
from shared.ogust import OgustClient
from shared.sheets import SheetsClient
from shared.tracking import TAB_TITLE
from shared.tracking._states import state_label, state_of
from shared.tracking._tracker import REFUSED_EVENT
from shared.webhook import parse_submission
from sheets_sandbox import SheetsSandbox
from tests.support.emulators import Emulator
from tests.support.forms_fixtures import FORM_ID, SATISFACTION_FORM, add_to_form, satisfaction_mapping

SPREADSHEET_ID = "1RéponsesQuestionnaireSatisfaction"
EXTRA = "    tracking_tab: true\n    skip_when: {answer: Commentaires, contains: test interne}\n"


class Queue:
    """The submissions topic: what was published, in order (a Publisher)."""

    def __init__(self) -> None:
        self.messages: list[tuple[bytes, dict[str, str]]] = []
        self._lock = threading.Lock()

    def publish(self, topic: str, data: bytes, attributes: dict[str, str], *, ordering_key: str = "") -> str:
        with self._lock:
            self.messages.append((data, dict(attributes)))
            return str(len(self.messages))


class Agency:
    """One form with its tracking tab, and the means to play each party."""

    def __init__(
        self,
        ogust: Sandbox,
        forms_api: FormsSandbox,
        sheets_api: SheetsSandbox,
        client: OgustClient,
        tmp: Path,
        *,
        ledger: Ledger | None = None,
        leases: Leases | None = None,
        sheets: SheetsClient | None = None,
    ) -> None:
        self.ogust, self.forms_api, self.sheets_api, self.client = ogust, forms_api, sheets_api, client
        path = satisfaction_mapping(tmp, extra=EXTRA)
        self.mapping = load_mapping(path)
        forms_api.reset()
        forms_api.add_form({**SATISFACTION_FORM, "linkedSheetId": SPREADSHEET_ID})
        sheets_api.add_spreadsheet(SPREADSHEET_ID)
        settings = Settings(
            ogust_api_url=ogust.url,
            mapping_file=path,
            project="demo-agence",
            submissions_topic="form-submissions",
            delivery_mode="queue",
            role="reconciler",
        )
        self.queue = Queue()
        self.ledger = ledger or MemoryLedger()
        self.runtime = Runtime(
            settings,
            self.mapping,
            Secrets(settings, {}),
            publisher=self.queue,
            ledger=self.ledger,
            leases=leases or MemoryLeases(),
            forms=FormsClient(forms_api.url, sleep=lambda _: None),
            watermarks=MemoryWatermarks(),
            sheets=sheets or SheetsClient(sheets_api.url),
        )
        self.delivered = 0
        self.parked: list[str] = []
        self.app = flask.Flask(__name__)

    def answer(self, payload: dict[str, Any]) -> str:
        add_to_form(self.forms_api, payload)
        return str(payload["responseId"])

    def reconcile(self) -> dict[str, Any]:
        with self.app.test_request_context("/", method="POST", data=b""):
            answer = reconcile(flask.request, self.runtime)
        data: dict[str, Any] = json.loads(answer.get_data())
        return data

    def deliver(self, only: set[str] | None = None, *, guard: Guard | None = None) -> None:
        """Apply what waits on the topic (only those responses when given), as the worker does
        (with the runtime's guard, or another function's: `guard`)."""
        waiting, self.queue.messages = self.queue.messages, []
        for data, attributes in waiting:
            if only is not None and attributes["responseId"] not in only:
                self.queue.messages.append((data, attributes))
                continue
            submission = parse_submission(data)
            source = attributes.get("origin") or "script"
            try:
                apply_once(
                    submission, self.mapping, self.client, guard or self.runtime.guard(), source=source
                )
                self.delivered += 1
            except FormsToOgustError as exc:
                if exc.retryable:
                    self.queue.messages.append((data, attributes))  # nacked: Pub/Sub delivers it again
                else:
                    self.parked.append(submission.response_id)

    def rows(self) -> dict[str, tuple[int, list[Any]]]:
        """Response id → (row number, its 8 cells) of the tab; the header checked on the way."""
        rows = self.sheets_api.rows(SPREADSHEET_ID, TAB_TITLE)
        assert rows[0][:7] == [
            "Date",
            "Personne",
            "État",
            "Client Ogust",
            "Motif",
            "Dernière tentative",
            "Renvoyer",
        ]
        found: dict[str, tuple[int, list[Any]]] = {}
        for number, cells in enumerate(rows[1:], start=2):
            cells = cells + [None] * (8 - len(cells))
            assert cells[7] not in found, f"two rows for {cells[7]}"
            found[cells[7]] = (number, cells)
        return found

    def state(self, response_id: str) -> str:
        return state_label(state_of(self.ledger.get(ledger_key(FORM_ID, response_id))))

    def tick(self, response_id: str) -> None:
        number, _ = self.rows()[response_id]
        self.sheets_api.set_cell(SPREADSHEET_ID, TAB_TITLE, f"G{number}", True)


def notices(out: str) -> list[dict[str, Any]]:
    return [e for e in map(json.loads, out.splitlines()) if e.get("event") == REFUSED_EVENT]


@pytest.fixture
def shared_agency(
    sandbox: Sandbox,
    forms_server: FormsSandbox,
    sheets_server: SheetsSandbox,
    ogust_client: OgustClient,
    firestore_emulator: Emulator,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> Agency:
    """An agency as the `agency` fixture of tests/sockets/tracking gives it, with the ledger and the
    leases in Firestore (the emulator), as every instance shares them."""
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", firestore_emulator.host)
    project = f"demo-{uuid.uuid4().hex[:12]}"
    sheets_server.reset()
    return Agency(
        sandbox,
        forms_server,
        sheets_server,
        ogust_client,
        tmp_path,
        ledger=FirestoreLedger(project),
        leases=FirestoreLeases(project),
    )
