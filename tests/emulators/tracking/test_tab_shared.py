"""The tab "Suivi Ogust" when the ledger and the leases are in Firestore (the emulator), shared by
two reconciliations at once: a ticked answer is resent once and its refusal announced once. The
other tests of the tab, on the memory stores, are tests/sockets/tracking/test_tab.py."""

from __future__ import annotations

import threading

import pytest

from shared.exactly_once._ledger import ledger_key
from tests.support.agency import Agency, notices
from tests.support.agency import shared_agency as shared_agency  # the fixture
from tests.support.forms_fixtures import FORM_ID, respondent


def test_two_reconciliations_at_once_resend_a_ticked_answer_once_and_announce_it_once(
    shared_agency: Agency, capsys: pytest.CaptureFixture[str]
) -> None:
    agency = shared_agency  # the ledger and the leases in Firestore, shared by the two runs
    refused = agency.answer(respondent(4))
    agency.reconcile()
    agency.ogust.inject_ko("Le champ title est invalide", method="setCustomer")
    agency.deliver()
    runs = [threading.Thread(target=agency.reconcile) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    assert len(notices(capsys.readouterr().out)) == 1

    agency.tick(refused)
    runs = [threading.Thread(target=agency.reconcile) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    assert [m[1]["origin"] for m in agency.queue.messages] == ["replay"]  # one resend, not two
    entry = agency.ledger.get(ledger_key(FORM_ID, refused))
    assert entry is not None
    assert [a.outcome for a in entry.history].count("resent") == 1
    agency.deliver()
    agency.reconcile()
    _, cells = agency.rows()[refused]
    assert (cells[2], cells[6]) == ("créé", False)
    assert len(agency.ogust.customers()) == 1
    submitted = entry.history[0].submitted_at
    assert submitted is not None
    assert entry.notified == (submitted.isoformat(),)  # announced once, in the ledger
