"""`status` of a job application (`entity: employee`): the Ogust record is named as a worker's,
in English (`worker 271000001`) and in French (« intervenant Ogust »), its reason in the worker's
words; a customer's is unchanged."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.status_command import Sources, _history, _one_fr, _print_history
from shared.exactly_once import Attempt, ledger_key
from shared.exactly_once._ledger import MemoryLedger
from shared.forms import FormsClient
from shared.lifecycle import AttemptOutcome, Origin
from shared.mapping import FormMapping, load_mapping

ROOT = Path(__file__).resolve().parents[3]
AT = datetime(2026, 12, 3, 9, 15, tzinfo=UTC)
RESPONSE_ID = "2_ABaOnudCandidat0001"


class NoForm(FormsClient):
    """The Forms API of a response deleted from its form (status then reads the ledger alone)."""

    def get_response(self, form_id: str, response_id: str) -> None:  # type: ignore[override]
        return None


def sources(example: str, *attempts: Attempt) -> tuple[Sources, FormMapping]:
    mapping = load_mapping(ROOT / "examples" / example)
    (form,) = mapping.forms
    ledger = MemoryLedger()
    for attempt in attempts:
        ledger.record(ledger_key(form.form_id, RESPONSE_ID), form.form_id, RESPONSE_ID, attempt)
    found = Sources(mapping, ledger, NoForm("http://127.0.0.1:9"), None, None, "(default)")
    return found, form


def printed(step: object) -> str:
    runner = CliRunner()
    with runner.isolation() as (out, _, _):
        step()  # type: ignore[operator]
    return out.getvalue().decode()


CREATED = Attempt(AT, Origin.SCRIPT, AttemptOutcome.CREATED, AT, customer_id="271000001")
REFUSED = Attempt(
    AT,
    Origin.SCRIPT,
    AttemptOutcome.REJECTED,
    AT,
    error="OgustRejectedError: setEmployee refused",
    error_type="OgustRejectedError",
    details={"ogustMethod": "setEmployee", "ogustMessage": "Le champ email est invalide"},
)


def test_a_candidate_s_history_names_its_worker_id_in_english() -> None:
    found, form = sources("job-application.yaml", CREATED)
    report = _history(found, [form], RESPONSE_ID)
    assert (report["entity"], report["customerId"]) == ("employee", "271000001")
    text = printed(lambda: _print_history(report))
    assert "outcome: created, worker 271000001" in text
    assert "  worker 271000001" in text
    assert "customer" not in text


def test_a_customer_s_history_still_names_its_customer_id() -> None:
    found, form = sources("satisfaction.yaml", CREATED)
    text = printed(lambda: _print_history(_history(found, [form], RESPONSE_ID)))
    assert "outcome: created, customer 271000001" in text


@pytest.mark.parametrize(
    ("example", "record"),
    [
        ("job-application.yaml", "  intervenant Ogust : 271000001"),
        ("satisfaction.yaml", "  client Ogust : 271000001"),
    ],
)
def test_french_status_names_the_record_in_the_office_s_words(example: str, record: str) -> None:
    found, form = sources(example, CREATED)
    assert record in printed(lambda: _one_fr(found, [form], RESPONSE_ID)).splitlines()


def test_french_status_of_a_refused_application_speaks_of_the_fiche_intervenant() -> None:
    found, form = sources("job-application.yaml", REFUSED)
    text = printed(lambda: _one_fr(found, [form], RESPONSE_ID))
    assert "Ogust a refusé la fiche intervenant." in text
    assert "client" not in text
