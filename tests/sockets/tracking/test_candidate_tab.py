"""A job application's row on the agency's tab, over the real path: `apply_once` on the Ogust
sandbox with the Tracker as the guard's observer, writing the fake Sheets API. The `Client Ogust`
cell names the candidate's worker id as such; a refusal speaks of the « fiche intervenant »."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ogust_sandbox import Sandbox
from shared.errors import WorkerNatureConflictError
from shared.exactly_once import Guard, apply_once
from shared.exactly_once._leases import MemoryLeases
from shared.exactly_once._ledger import MemoryLedger
from shared.forms import FormsClient
from shared.mapping import load_mapping
from shared.ogust import OgustClient
from shared.sheets import SheetsClient
from shared.tracking import TAB_TITLE, Tracker
from shared.tracking._tracker import REFUSED_EVENT
from shared.webhook import Submission
from sheets_sandbox import SheetsSandbox

ROOT = Path(__file__).resolve().parents[3]
SUBMISSIONS = ROOT / "examples" / "submissions" / "job-application"
SPREADSHEET_ID = "1RéponsesCandidatureAideÀDomicile"


def application(name: str, response_id: str | None = None, **answers: str) -> Submission:
    """An example application, with answers (by title) replaced."""
    data: dict[str, Any] = json.loads((SUBMISSIONS / f"{name}.json").read_text(encoding="utf-8"))
    data["responseId"] = response_id or data["responseId"]
    for answer in data["answers"]:
        answer["value"] = answers.get(answer["title"], answer["value"])
    return Submission.model_validate(data)


def test_a_candidate_s_row_names_the_worker_and_a_refusal_the_fiche_intervenant(
    sandbox: Sandbox,
    sheets_server: SheetsSandbox,
    ogust_client: OgustClient,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sheets_server.reset()
    sheets_server.add_spreadsheet(SPREADSHEET_ID)
    text = (ROOT / "examples" / "job-application.yaml").read_text(encoding="utf-8")
    marker = "    form_id: 1CandidatureExemple2026\n"
    path = tmp_path / "jobs.yaml"
    path.write_text(
        text.replace(
            marker,
            f"{marker}    reconcile: true\n    tracking_tab: true\n    spreadsheet_id: {SPREADSHEET_ID}\n",
        ),
        encoding="utf-8",
    )
    mapping = load_mapping(path)
    ledger, leases = MemoryLedger(), MemoryLeases()

    def no_forms() -> FormsClient:
        raise AssertionError("a delivery's row needs no Forms API call")

    tracker = Tracker(mapping, SheetsClient(sheets_server.url), ledger, leases, no_forms)
    guard = Guard(ledger, leases, observer=tracker.attempted)
    created = apply_once(application("01-new-candidate"), mapping, ogust_client, guard)
    (candidate,) = sandbox.employees()
    # An existing salarié holding another applicant's e-mail: refused, a salarié is not a new candidate.
    salarie = sandbox.seed_employee(
        {"title": "M.", "last_name": "LEFÈVRE", "email": "jf.lefevre@exemple.fr", "nature": "S"}
    )
    other = application(
        "01-new-candidate",
        "2_Cand0900",
        **{"E-mail": "JF.Lefevre@exemple.fr", "Nom": "Lefèvre", "Prénom": "jean-françois"},
        **{"Téléphone portable": "06 11 22 33 44", "Civilité": "Monsieur"},
    )
    with pytest.raises(WorkerNatureConflictError):
        apply_once(other, mapping, ogust_client, guard)

    rows = {r[7]: r for r in sheets_server.rows(SPREADSHEET_ID, TAB_TITLE)[1:]}
    assert created.status == "created"
    assert rows["2_Cand0001"][1:4] == [
        "Mme Marie-Ange N'DIAYE",
        "créé",
        f"intervenant {candidate['id_employee']}",
    ]
    person, state, record, said = rows["2_Cand0900"][1:5]
    assert (person, state, record or "") == ("M. Jean-François LEFÈVRE", "refusé", "")  # nothing written
    assert f"Fiche intervenant Ogust concernée : {salarie}." in said
    assert "client" not in said.lower()
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    (notice,) = [line for line in lines if line.get("event") == REFUSED_EVENT]
    assert notice["reason"].startswith("La candidature correspond")  # the notice, once, a worker's words
    assert "fiche intervenant" in notice["reason"]
    assert "client" not in notice["reason"].lower()
