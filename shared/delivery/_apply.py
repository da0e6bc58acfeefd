"""`apply_once`: the one guarded way a submission reaches Ogust, for the sync receiver, the worker
and the backfill: plan → lease the person → ledger verdict → process → record → release."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
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
    Attempt,
    FirestoreLedger,
    Ledger,
    LedgerEntry,
    MemoryLedger,
    Version,
    ledger_key,
    verdict,
)
from shared.engine import Customers, Outcome, process_plan
from shared.errors import FormsToOgustError
from shared.logs import log, mask
from shared.mapping import MappingFile, plan
from shared.webhook import Submission

DEFAULT_LEASE_TTL = 120.0

Observer = Callable[[Submission, LedgerEntry | None], None]
"""Told of every attempt once it is in the ledger (the agency's tab): after the person's leases are
released, and whatever it raises never changes the delivery's outcome."""


@dataclass(frozen=True)
class Guard:
    """What keeps deliveries apart: the ledger, the leases and how long to wait for them."""

    ledger: Ledger
    leases: Leases
    lease_ttl: float = DEFAULT_LEASE_TTL
    lease_wait: float = DEFAULT_WAIT_SECONDS
    observer: Observer | None = None


def guard_for(firestore: tuple[str | None, str] | None, *, lease_ttl: float = DEFAULT_LEASE_TTL) -> Guard:
    """The guard of a process that is not a function (the backfill): in Firestore, shared with the
    deployed functions (their project and database), or in this process when `firestore` is None."""
    if firestore is not None:
        return Guard(FirestoreLedger(*firestore), FirestoreLeases(*firestore), lease_ttl=lease_ttl)
    return Guard(MemoryLedger(), MemoryLeases(), lease_ttl=lease_ttl)


def apply_once(
    submission: Submission, mapping: MappingFile, ogust: Customers, guard: Guard, *, source: str = "script"
) -> Outcome:
    """Apply `submission` unless this version (or a newer one) is in Ogust already.

    Refusals of the mapping come before any lease or Ogust call. Under the person's leases, a
    duplicate or an older edit writes nothing and calls no Ogust method. Every attempt, refused or
    failed ones included, is recorded in the ledger with its reason.
    """
    key = ledger_key(submission.form_id, submission.response_id)
    version = Version.of(submission)
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
                outcome = process_plan(the_plan, ogust)
                kind = outcome.status
            attempt = Attempt(datetime.now(UTC), source, kind, version.submitted_at, outcome.customer_id)
            recorded = guard.ledger.record(key, submission.form_id, submission.response_id, attempt, version)
    except FormsToOgustError as exc:
        _tell(guard, submission, _record_failure(guard.ledger, key, submission, source, version, exc))
        raise
    _tell(guard, submission, recorded)
    return outcome


def _tell(guard: Guard, submission: Submission, entry: LedgerEntry | None) -> None:
    """The guard's observer, if any, of the attempt just recorded (the leases are released)."""
    if guard.observer is None:
        return
    try:
        guard.observer(submission, entry)
    except Exception as exc:  # a view's bug must not turn an applied answer into a failed delivery
        log(
            "ERROR",
            f"unexpected {type(exc).__name__} in a view of the ledger",
            status="view-failed",
            error=str(exc),
        )


def _already(decided: str, customer_id: str | None) -> Outcome:
    if decided == "duplicate":
        return Outcome("unchanged", customer_id, reason="this version was already applied")
    return Outcome("skipped", customer_id, reason="a newer edit of this response was already applied")


def _record_failure(
    ledger: Ledger, key: str, submission: Submission, source: str, version: Version, exc: FormsToOgustError
) -> LedgerEntry | None:
    """Keep the reason in the ledger; if even that fails, the caller's error is the one that matters."""
    attempt = Attempt(
        datetime.now(UTC),
        source,
        "failed" if exc.retryable else "rejected",
        version.submitted_at,
        exc.customer_id,
        mask(f"{type(exc).__name__}: {exc}"),
        error_type=type(exc).__name__,
        details=exc.details(),
    )
    with contextlib.suppress(FormsToOgustError):
        return ledger.record(key, submission.form_id, submission.response_id, attempt)
    return None
