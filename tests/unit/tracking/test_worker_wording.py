"""The row of a job application (`entity: employee`) in the agency's words: the `Client Ogust`
cell says « intervenant … » and the reason speaks of the « fiche intervenant »; a customer's row
is unchanged."""

from __future__ import annotations

from datetime import UTC, datetime

from shared.exactly_once import Attempt, LedgerEntry
from shared.lifecycle import AttemptOutcome, Origin
from shared.tracking import Standing
from shared.tracking._states import motif
from shared.tracking._tracker import row

AT = datetime(2026, 12, 3, 9, 15, tzinfo=UTC)


def entry(outcome: AttemptOutcome, **attempt: object) -> LedgerEntry:
    history = (Attempt(AT, Origin.SCRIPT, outcome, AT, **attempt),)  # type: ignore[arg-type]
    applied = outcome in (AttemptOutcome.CREATED, AttemptOutcome.UPDATED)
    return LedgerEntry(
        "1CandidatureAideADomicile",
        "2_ABaOnudCandidat0001",
        submitted_at=AT if applied else None,
        customer_id="271000001",
        updated_at=AT,
        history=history,
    )


def test_a_created_candidate_s_cell_names_the_worker_and_a_customer_s_stays_its_bare_id() -> None:
    created = entry(AttemptOutcome.CREATED, customer_id="271000001")
    candidate = row(created, "Mme Marie-Hélène D'ARNOUX", entity="employee")
    assert (candidate.state, candidate.customer, candidate.motif) == ("créé", "intervenant 271000001", "")
    assert row(created, "Mme Marie-Hélène D'ARNOUX").customer == "271000001"


def test_a_refused_application_s_reason_speaks_of_the_fiche_intervenant() -> None:
    refused = entry(
        AttemptOutcome.REJECTED,
        error="IdentityConflictError: e-mail and phone disagree",
        error_type="IdentityConflictError",
        details={"keys": ["email", "mobile_phone"], "customerIds": ["271000001"]},
    )
    said = row(refused, "M. Jean-Pierre N'DIAYE", entity="employee").motif
    assert said.startswith("La réponse correspond à une fiche intervenant d'Ogust")
    assert "Fiche intervenant Ogust concernée : 271000001." in said
    assert "client" not in said.lower()
    # The notice's reason (no personal data) and the English one speak of a worker too.
    assert "fiche intervenant" in motif(refused, personal=False, entity="employee")
    assert "Ogust worker" in motif(refused, "en", entity="employee")
    assert "fiche client" in motif(refused)  # a customer's reason is unchanged


def test_a_response_s_standing_is_what_its_row_says_in_either_language() -> None:
    refused = entry(
        AttemptOutcome.REJECTED,
        error="IdentityConflictError: e-mail and phone disagree",
        error_type="IdentityConflictError",
        details={"keys": ["email", "mobile_phone"], "customerIds": ["271000001"]},
    )
    standing = Standing.of(refused, "fr", entity="employee")
    candidate = row(refused, "M. Jean-Pierre N'DIAYE", entity="employee")
    assert (standing.state, standing.label, standing.motif) == ("rejected", candidate.state, candidate.motif)
    english = Standing.of(refused, "en", entity="employee")
    assert english.label != standing.label
    assert "Ogust worker" in english.motif
    assert Standing.of(entry(AttemptOutcome.CREATED, customer_id="271000001")).motif == ""
