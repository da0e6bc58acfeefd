"""Who writes the tab, and who tells the agency.

The tab shared, as the set-up's one share step does, with the reconciler's service account only:
the worker, another service account, gets 403 from the Sheets API. It then leaves the tab to the
reconciliation for an hour after one INFO line (not a call and a WARNING per answer), no delivery
suffers, the reconciliation writes every row and announces each refusal once, and a share made later
is picked up. A refusal the receiver's 422 says the agency is told of does reach the tab."""

from __future__ import annotations

import base64
import dataclasses
import json
from pathlib import Path
from typing import Any

import flask
import pytest

from forms_sandbox import FormsSandbox
from ogust_sandbox import Sandbox
from shared.config import Secrets
from shared.exactly_once import Guard
from shared.http import Runtime, receive
from shared.ogust import OgustClient
from shared.sheets import SheetsClient
from shared.tracking import Tracker
from shared.tracking._tracker import NOT_OURS_SECONDS, REFUSED_EVENT
from shared.webhook import signed_headers
from sheets_sandbox import SheetsSandbox
from tests.support.agency import SPREADSHEET_ID, Agency
from tests.support.forms_fixtures import respondent
from tests.support.sheets import ServiceAccount

RECONCILER = "forms-to-ogust-reconciler@agence-du-val.iam.gserviceaccount.com"
WORKER = "forms-to-ogust-worker@agence-du-val.iam.gserviceaccount.com"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


@pytest.fixture
def shared_with_reconciler(
    sandbox: Sandbox,
    forms_server: FormsSandbox,
    sheets_server: SheetsSandbox,
    ogust_client: OgustClient,
    tmp_path: Path,
) -> Agency:
    """The agency's runtime is the reconciler, calling as its own service account; the spreadsheet
    is shared with that address only, as the set-up's one share step does."""
    sheets_server.reset()
    reconciler = SheetsClient(sheets_server.url, credentials=ServiceAccount(RECONCILER))
    agency = Agency(sandbox, forms_server, sheets_server, ogust_client, tmp_path, sheets=reconciler)
    sheets_server.share_with(SPREADSHEET_ID, RECONCILER)
    return agency


def worker_guard(agency: Agency, clock: Clock) -> tuple[Guard, SheetsClient]:
    """The worker's guard: the same ledger and leases, its own tracker calling as its own account."""
    sheets = SheetsClient(agency.sheets_api.url, credentials=ServiceAccount(WORKER))
    tracker = Tracker(
        agency.mapping, sheets, agency.ledger, agency.runtime.leases(), agency.runtime.forms, clock=clock
    )
    return Guard(agency.ledger, agency.runtime.leases(), observer=tracker.attempted), sheets


def test_a_tab_shared_with_the_reconciler_only_costs_the_worker_one_call_and_one_info_line_an_hour(
    shared_with_reconciler: Agency, capsys: pytest.CaptureFixture[str]
) -> None:
    agency = shared_with_reconciler
    clock = Clock()
    guard, _ = worker_guard(agency, clock)
    ids = [agency.answer(respondent(n)) for n in range(5)]
    refused = agency.answer(respondent(5, **{"Adresse e-mail": "client.5(at)exemple.fr"}))
    agency.reconcile()  # the reconciler may write: every row "en attente"
    assert {cells[2] for _, cells in agency.rows().values()} == {"en attente"}
    capsys.readouterr()

    before = agency.sheets_api.calls()
    for response_id in [*ids, refused]:  # the day's answers, minutes apart: past any short pause
        clock.now += 5 * 60
        agency.deliver({response_id}, guard=guard)
    assert clock.now - 1000.0 < NOT_OURS_SECONDS
    assert (agency.delivered, agency.parked) == (5, [refused])
    assert sum((agency.sheets_api.calls() - before).values()) == 1  # one refused call, not one per answer
    logged = lines(capsys.readouterr().out)
    told = [line for line in logged if line.get("status") == "tab-not-ours"]
    assert len(told) == 1
    assert told[0]["severity"] == "INFO"
    assert f"spreadsheet '{SPREADSHEET_ID}'" in told[0]["message"]
    assert not [
        line for line in logged if line.get("status") == "tab-failed" or line["severity"] == "WARNING"
    ]
    assert not [line for line in logged if line.get("event") == REFUSED_EVENT]  # the reconciler's to announce

    agency.reconcile()  # the tab in line with the ledger, the refusal announced once
    tab = agency.rows()
    assert [tab[i][1][2] for i in ids] == ["créé"] * 5
    assert tab[refused][1][2] == "refusé"
    assert [
        line["responseId"] for line in lines(capsys.readouterr().out) if line.get("event") == REFUSED_EVENT
    ] == [refused]


def test_once_the_tab_is_shared_with_the_worker_too_its_rows_change_right_after_each_attempt(
    shared_with_reconciler: Agency, capsys: pytest.CaptureFixture[str]
) -> None:
    agency = shared_with_reconciler
    clock = Clock()
    guard, _ = worker_guard(agency, clock)
    first = agency.answer(respondent(1))
    agency.reconcile()
    agency.deliver(guard=guard)
    assert agency.rows()[first][1][2] == "en attente"  # left to the next reconciliation

    agency.sheets_api.share_with(SPREADSHEET_ID, RECONCILER, WORKER)
    second = agency.answer(respondent(2))
    agency.reconcile()
    agency.deliver(guard=guard)
    assert agency.rows()[second][1][2] == "en attente"  # within the hour: still left alone, no call

    clock.now += NOT_OURS_SECONDS + 1
    third = agency.answer(respondent(3))
    agency.reconcile()
    agency.deliver(guard=guard)
    assert agency.rows()[third][1][2] == "créé"  # written by the worker, before any reconciliation
    logged = lines(capsys.readouterr().out)
    assert len([line for line in logged if line.get("status") == "tab-not-ours"]) == 1


def test_a_refusal_at_the_receiver_in_queue_mode_reaches_the_tab_as_the_422_says(
    agency: Agency, capsys: pytest.CaptureFixture[str]
) -> None:
    """Queue mode: the mapping refuses the answer at the door (422, nothing queued); the answer says
    the agency is told, and it is: the reconciliation reads it from the Forms API, the worker parks
    it, and the tab shows it refused with its one notification line."""
    secret = "whsec_" + base64.b64encode(b"secret-de-test-agence-du-val!!!!").decode()
    payload = respondent(7, **{"Téléphone portable": "06 12"})
    refused = agency.answer(payload)
    settings = dataclasses.replace(agency.runtime.settings, role="receiver")
    receiver = Runtime(
        settings,
        agency.mapping,
        Secrets(settings, {"WEBHOOK_SECRET": secret}),
        publisher=agency.queue,
        ledger=agency.ledger,
    )
    body = json.dumps(payload).encode()
    headers = signed_headers(secret, "msg_agence_7", body)
    with agency.app.test_request_context("/", method="POST", data=body, headers=headers):
        answer = receive(flask.request, receiver)
    assert answer.status_code == 422
    assert json.loads(answer.get_data())["agencyNotified"] is True
    assert agency.queue.messages == []  # refused at the door: nothing queued

    agency.reconcile()  # found in the Forms API and queued all the same
    agency.deliver()
    assert agency.parked == [refused]
    agency.reconcile()
    assert agency.rows()[refused][1][2] == "refusé"
    notices = [line for line in lines(capsys.readouterr().out) if line.get("event") == REFUSED_EVENT]
    assert [line["responseId"] for line in notices] == [refused]
