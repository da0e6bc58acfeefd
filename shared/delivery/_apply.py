"""`apply_once`: the one guarded way a submission reaches Ogust, for the sync receiver, the worker
and the backfill: plan → lease the person → ledger verdict → process → record → release."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime

from shared.delivery._leases import (
    DEFAULT_WAIT_SECONDS,
    FirestoreLeases,
    Leases,
    MemoryLeases,
    held,
    lease_keys,
)
from shared.delivery._ledger import (
    APPLIED,
    Attempt,
    FirestoreLedger,
    Ledger,
    MemoryLedger,
    Newest,
    PersonRecord,
    Version,
    ledger_key,
    newer_answer,
    person_keys,
    verdict,
)
from shared.engine import Customers, Newer, Outcome, process_plan
from shared.errors import FormsToOgustError
from shared.logs import mask
from shared.mapping import MappingFile, plan
from shared.webhook import Submission

DEFAULT_LEASE_TTL = 120.0


@dataclass(frozen=True)
class Guard:
    """What keeps deliveries apart: the ledger, the leases and how long to wait for them."""

    ledger: Ledger
    leases: Leases
    lease_ttl: float = DEFAULT_LEASE_TTL
    lease_wait: float = DEFAULT_WAIT_SECONDS


def guard_for(firestore: tuple[str | None, str] | None, *, lease_ttl: float = DEFAULT_LEASE_TTL) -> Guard:
    """The guard of a process that is not a function (the backfill): in Firestore, shared with the
    deployed functions (their project and database), or in this process when `firestore` is None."""
    if firestore is not None:
        return Guard(FirestoreLedger(*firestore), FirestoreLeases(*firestore), lease_ttl=lease_ttl)
    return Guard(MemoryLedger(), MemoryLeases(), lease_ttl=lease_ttl)


def apply_once(
    submission: Submission,
    mapping: MappingFile,
    ogust: Customers,
    guard: Guard,
    *,
    source: str = "script",
    received_at: datetime | None = None,
) -> Outcome:
    """Apply `submission` unless this version (or a newer one) is in Ogust already.

    Refusals of the mapping come before any lease or Ogust call. Under the person's leases, a
    duplicate or an older edit writes nothing and calls no Ogust method; an answer older than the
    newest applied to the customer it finds (another response of the same person) is skipped
    after the search. Every attempt, refused or failed ones included, is recorded in the ledger
    with its reason. `received_at` (now by default) dates a version stamped ahead of it.
    """
    key = ledger_key(submission.form_id, submission.response_id)
    version = Version.of(submission, received_at)
    try:
        the_plan = plan(mapping.for_form(submission.form_id), submission)
        keys = lease_keys(the_plan, submission.form_id)
        with held(guard.leases, keys, ttl=guard.lease_ttl, wait=guard.lease_wait):
            entry = guard.ledger.get(key)
            decided = verdict(entry, version)
            kind: str
            if entry is not None and decided != "apply":
                outcome, kind = _already(decided, entry.customer_id), decided
            else:
                people = person_keys(the_plan)
                outcome = process_plan(the_plan, ogust, newer=_newer(guard.ledger.person(people), version))
                kind = outcome.status
                if outcome.status in APPLIED and outcome.customer_id:
                    newest = Newest(version.submitted_at, submission.form_id, submission.response_id)
                    guard.ledger.advance(people, outcome.customer_id, newest)
            # A skip keeps its reason (a newer answer's id, a skip_when), for `status`.
            why = mask(outcome.reason) if kind == "skipped" and outcome.reason else None
            attempt = Attempt(datetime.now(UTC), source, kind, version.submitted_at, outcome.customer_id, why)
            guard.ledger.record(key, submission.form_id, submission.response_id, attempt, version)
    except FormsToOgustError as exc:
        _record_failure(guard.ledger, key, submission, source, version, exc)
        raise
    return outcome


def _newer(records: list[PersonRecord], version: Version) -> Newer:
    """The engine's question "was a newer answer of this person applied to this customer?"."""

    def why(customer_id: str) -> str | None:
        newest = newer_answer(records, customer_id, version)
        if newest is None:
            return None
        when = newest.submitted_at.isoformat(timespec="seconds").replace("+00:00", "Z")
        return (
            f"a newer answer of this person (response {newest.response_id}, submitted {when}) was "
            f"already applied to customer {customer_id}: this older one is not written over it"
        )

    return why


def _already(decided: str, customer_id: str | None) -> Outcome:
    if decided == "duplicate":
        return Outcome("unchanged", customer_id, reason="this version was already applied")
    return Outcome("skipped", customer_id, reason="a newer edit of this response was already applied")


def _record_failure(
    ledger: Ledger, key: str, submission: Submission, source: str, version: Version, exc: FormsToOgustError
) -> None:
    """Keep the reason in the ledger; if even that fails, the caller's error is the one that matters."""
    attempt = Attempt(
        datetime.now(UTC),
        source,
        "failed" if exc.retryable else "rejected",
        version.submitted_at,
        exc.customer_id,
        mask(f"{type(exc).__name__}: {exc}"),
    )
    with contextlib.suppress(FormsToOgustError):
        ledger.record(key, submission.form_id, submission.response_id, attempt)
