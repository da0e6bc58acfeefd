"""The README's `make run`: both servers as real processes, examples created then updated; then,
with the emulators, an answer the script never sent arriving through reconciliation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from scripts.run_local import emulators_missing
from tests.support.emulators import unavailable

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def out() -> str:
    """`make run`'s output (one run for both tests: it starts a dozen processes)."""
    result = subprocess.run(
        [sys.executable, "-m", "scripts.run_local"], cwd=ROOT, capture_output=True, text=True, timeout=240
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_run_local_creates_then_updates(out: str) -> None:
    assert "01-new-customer.json             → HTTP 201 created" in out
    assert "02-same-person-again.json        → HTTP 200 updated   comment, main_address.line" in out
    assert "03-another-person.json           → HTTP 201 created" in out
    assert "4 write(s) to Ogust: setCustomer, setCustomer, setAddress, setCustomer" in out


def test_run_local_reconciles_an_answer_the_script_never_sent(out: str) -> None:
    missing = emulators_missing()
    if missing:
        assert f"Reconciliation: skipped ({missing})" in out
        unavailable(missing)
    assert (
        "reconcile_forms (Cloud Scheduler) → HTTP 200: 4 responses in the form, 3 already applied, 1 queued;"
        " watch created" in out
    )
    assert "(never sent by the script) → created by reconciliation:" in out
    assert "Mme Élise DUPONT-MOREAU <elise.dupont-moreau@exemple.fr>" in out
    assert "→ created after the form's watch notification:" in out
    assert "      5 applied: 4 created, 1 updated, 0 unchanged, 0 skipped" in out
    assert "      0 pending (neither applied nor parked)" in out
    assert "  state: applied" in out


def test_run_local_shows_the_agency_tab_a_refusal_in_french_the_tick_and_the_answer_arriving(
    out: str,
) -> None:
    missing = emulators_missing()
    if missing:
        unavailable(missing)
    story = out[out.index("The agency's tab") :]
    lines = [line for line in story.splitlines() if "LE GALL" in line]
    assert [line.split()[6] for line in lines] == ["refusé", "refusé", "renvoyé", "créé"]
    assert lines[1].rstrip().endswith("☑")  # she ticked it
    assert lines[2].rstrip().endswith("☐")  # the run that resent it cleared the box
    assert (
        "Motif : Ogust a refusé la fiche client. Message d'Ogust : « Le code postal 94999 n'existe pas »."
        in story
    )
    assert "→ HTTP 200, 1 resent" in story
