"""What became of a response, as the agency's tab and `status --lang fr` say it: one typed state
read from the ledger (the truth), and the reason that goes with it.

    ledger's last outcome               state (`État`)
    created / updated / unchanged       créé / mis à jour / inchangé
    skipped                             ignoré
    failed (retryable)                  nouvel essai prévu
    rejected (parked in dead letters)   refusé      — still refusé after the dead letter expired
    unreadable (from the Forms API)     refusé
    resent (a ticked box, republished)  renvoyé     — until the next attempt says what came of it
    no attempt yet (queued)             en attente

A duplicate or an older edit changes nothing in Ogust: the state stays the one before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from shared.exactly_once import Attempt, LedgerEntry
from shared.lifecycle import NO_NEWS, REFUSED, SKIPPED_FOR_NEWER, AgencyState, AttemptOutcome
from shared.ogust import Entity
from shared.tracking._catalog import Lang, reason, text

State = AgencyState
STATES: tuple[State, ...] = tuple(AgencyState)
PARIS = ZoneInfo("Europe/Paris")


def last_attempt(entry: LedgerEntry | None) -> Attempt | None:
    """The newest attempt that says something of the response (a duplicate or stale one does not)."""
    if entry is None:
        return None
    for attempt in reversed(entry.history):
        if attempt.outcome not in NO_NEWS:
            return attempt
    return None


def state_of(entry: LedgerEntry | None) -> State:
    """The state of a response from its ledger entry (None: not attempted yet)."""
    attempt = last_attempt(entry)
    if attempt is None:
        return AgencyState.UNCHANGED if entry is not None and entry.applied else AgencyState.PENDING
    if attempt.outcome in REFUSED:
        return AgencyState.REJECTED
    # created, updated, unchanged, skipped, failed and resent are states of their own name
    known = attempt.outcome in AgencyState._value2member_map_
    return AgencyState(attempt.outcome) if known else AgencyState.PENDING


def state_label(state: State, lang: Lang = "fr") -> str:
    """`refusé`, `nouvel essai prévu`… (the catalog's words for the state)."""
    return text("state", state, lang)


def motif(
    entry: LedgerEntry | None, lang: Lang = "fr", *, personal: bool = True, entity: Entity = "customer"
) -> str:
    """The reason of the state, in plain words ("" when all went well), speaking of the record of
    the form's `entity` (a customer's, or a worker's for a job application).

    `personal=False` leaves out the answer given (the one detail that is personal data) and the
    customer ids: what a log line may carry.
    """
    state = state_of(entry)
    attempt = last_attempt(entry)
    if (
        state == AgencyState.SKIPPED
        and attempt is not None
        and (attempt.error or "").startswith(SKIPPED_FOR_NEWER)
    ):
        return text("motif", "newer", lang)  # per-person order: not the mapping's choice
    if state in (AgencyState.SKIPPED, AgencyState.RESENT):
        return text("motif", state, lang)
    if state not in (AgencyState.REJECTED, AgencyState.FAILED) or attempt is None:
        return ""
    if attempt.outcome == AttemptOutcome.UNREADABLE:
        return text("motif", AttemptOutcome.UNREADABLE, lang)
    if not attempt.error_type:
        return text("motif", "unknown", lang)  # recorded before the ledger kept the details
    details = dict(attempt.details)
    if not personal:
        # The answer given is personal data; customer ids are not, but a log masks any long
        # number: both are read on the row the line links to.
        for key in ("value", "customerIds", "customerId"):
            details.pop(key, None)
    return reason(attempt.error_type, details, lang, entity)


@dataclass(frozen=True)
class Standing:
    """What the agency is told of one response: its state, in words, and why (`motif`, "" when
    all went well), as the tab's row and `status --lang fr` say them."""

    state: State
    label: str
    motif: str

    @classmethod
    def of(cls, entry: LedgerEntry | None, lang: Lang = "fr", *, entity: Entity = "customer") -> Standing:
        """The standing of a response from its ledger entry, speaking of the form's `entity`."""
        state = state_of(entry)
        return cls(state, state_label(state, lang), motif(entry, lang, entity=entity))


def paris(moment: datetime | None) -> str:
    """`03/12/2026 10:15`: Paris time, as the response spreadsheet shows its timestamps."""
    return moment.astimezone(PARIS).strftime("%d/%m/%Y %H:%M") if moment else ""
