"""`apply_once`: the one guarded way a submission reaches Ogust, for the sync receiver, the worker
and the backfill: plan → lease the person → ledger verdict → search → settle writes in doubt →
fenced writes → record → release."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from shared.engine import Customers, Newer, Outcome, execute, prepare_plan, records_for
from shared.errors import DeliveryUnavailableError, FormsToOgustError
from shared.exactly_once._doubts import (
    Doubts,
    MemoryDoubts,
    grace_seconds,
    origin_of,
    still_in_doubt,
)
from shared.exactly_once._fence import FencedCustomers
from shared.exactly_once._leases import (
    DEFAULT_WAIT_SECONDS,
    Lease,
    Leases,
    held,
    lease_keys,
)
from shared.exactly_once._ledger import (
    Attempt,
    Ledger,
    LedgerEntry,
    Newest,
    PersonRecord,
    Version,
    ledger_key,
    newer_answer,
    person_keys,
)
from shared.exactly_once._stores import Where, doubts_in, leases_in, ledger_in
from shared.lifecycle import ANSWERED_AS, APPLIED, SKIPPED_FOR_NEWER, AttemptOutcome, Origin, Verdict, verdict
from shared.logs import log, mask
from shared.mapping import MappingFile, Plan, plan
from shared.webhook import Submission

if TYPE_CHECKING:
    from shared.config import Settings

DEFAULT_LEASE_TTL = 300.0
"""LEASE_SECONDS's default: longer than a delivery of any example mapping may take (_lease_budget)."""
DEFAULT_DOUBT_GRACE = grace_seconds(10.0)


def _now() -> datetime:
    return datetime.now(UTC)


Observer = Callable[[Submission, LedgerEntry | None], None]
"""Told of every attempt once it is in the ledger (the agency's tab): after the person's leases are
released, and whatever it raises never changes the delivery's outcome."""


@dataclass(frozen=True)
class Guard:
    """What keeps deliveries apart: the ledger, the leases and how long to wait for them, and the
    writes in doubt with their grace period (`shared.exactly_once._doubts`)."""

    ledger: Ledger
    leases: Leases
    lease_ttl: float = DEFAULT_LEASE_TTL
    lease_wait: float = DEFAULT_WAIT_SECONDS
    doubts: Doubts = field(default_factory=MemoryDoubts)
    doubt_grace: float = DEFAULT_DOUBT_GRACE
    heartbeat: bool = True
    """Renew the leases every third of `lease_ttl` while a delivery runs (the fence before each
    write renews them in any case)."""
    clock: Callable[[], datetime] = _now
    observer: Observer | None = None

    def record_failure(
        self,
        submission: Submission,
        exc: FormsToOgustError,
        *,
        source: Origin = Origin.SCRIPT,
        received_at: datetime | None = None,
    ) -> None:
        """Record an attempt of `submission` that ended in `exc` (failed if it is retryable, else
        rejected) with its reason, then tell the observer; never raises (the caller's error is the
        one that matters). `apply_once` records its own attempts; the worker records with this the
        refusal it decides itself (it gives up after the last delivery attempt)."""
        key = ledger_key(submission.form_id, submission.response_id)
        version = Version.of(submission, received_at)
        _tell(self, submission, _record_failure(self.ledger, key, submission, source, version, exc))


def guard_for(
    firestore: Where,
    *,
    lease_ttl: float = DEFAULT_LEASE_TTL,
    doubt_grace: float = DEFAULT_DOUBT_GRACE,
) -> Guard:
    """The guard whose stores are kept `firestore`: in Firestore, shared with the deployed
    functions (their project and database), or in this process when None (a dry run). The one
    place that picks the Firestore or the memory version of each of its stores; `guard_from` reads
    where (`Settings.firestore`, which the reconciler's watermarks follow too) and how long."""
    return Guard(
        ledger_in(firestore),
        leases_in(firestore),
        lease_ttl=lease_ttl,
        doubts=doubts_in(firestore),
        doubt_grace=doubt_grace,
    )


def guard_from(settings: Settings) -> Guard:
    """The one guard a process configured by `settings` delivers under (the functions, a backfill
    beside them): its stores where the settings keep them (`Settings.firestore`: Firestore, shared
    by every instance, or this process), leases of LEASE_SECONDS, and writes in doubt given the
    grace the Ogust timeout (or OGUST_WRITE_GRACE_SECONDS) calls for."""
    return guard_for(
        settings.firestore,
        lease_ttl=settings.lease_seconds,
        doubt_grace=grace_seconds(settings.ogust_timeout, settings.ogust_write_grace),
    )


def apply_once(
    submission: Submission,
    mapping: MappingFile,
    ogust: Customers,
    guard: Guard,
    *,
    source: Origin = Origin.SCRIPT,
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
        with held(
            guard.leases, keys, ttl=guard.lease_ttl, wait=guard.lease_wait, heartbeat=guard.heartbeat
        ) as lease:
            entry = guard.ledger.get(key)
            decided = verdict(entry, version)
            kind: AttemptOutcome
            if entry is not None and decided != Verdict.APPLY:
                outcome, kind = _already(decided, entry.customer_id), AttemptOutcome(decided)
            else:
                people = person_keys(the_plan)
                newer = _newer(guard.ledger.person(people), version)
                outcome = _write_settled(
                    the_plan, ogust, guard, lease, origin_of(key, version.digest), newer=newer
                )
                kind = AttemptOutcome(outcome.status)
                if outcome.status in APPLIED and outcome.customer_id:
                    newest = Newest(version.submitted_at, submission.form_id, submission.response_id)
                    guard.ledger.advance(people, outcome.customer_id, newest)
            # A skip keeps its reason (a newer answer's id, a skip_when), for `status`.
            why = mask(outcome.reason) if kind == AttemptOutcome.SKIPPED and outcome.reason else None
            attempt = Attempt(datetime.now(UTC), source, kind, version.submitted_at, outcome.customer_id, why)
            recorded = guard.ledger.record(key, submission.form_id, submission.response_id, attempt, version)
    except FormsToOgustError as exc:
        _tell(guard, submission, _record_failure(guard.ledger, key, submission, source, version, exc))
        raise
    _tell(guard, submission, recorded)
    return outcome


def _newer(records: list[PersonRecord], version: Version) -> Newer:
    """The engine's question "was a newer answer of this person applied to this customer?"."""

    def why(customer_id: str) -> str | None:
        newest = newer_answer(records, customer_id, version)
        if newest is None:
            return None
        when = newest.submitted_at.isoformat(timespec="seconds").replace("+00:00", "Z")
        return (
            f"{SKIPPED_FOR_NEWER} (response {newest.response_id}, submitted {when}) was "
            f"already applied to customer {customer_id}: this older one is not written over it"
        )

    return why


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


_ALREADY = {
    Verdict.DUPLICATE: "this version was already applied",
    Verdict.STALE: "a newer edit of this response was already applied",
}


def _already(decided: Verdict, customer_id: str | None) -> Outcome:
    """What a delivery the ledger stopped is answered as: recorded as its verdict, answered as
    `ANSWERED_AS` says (shared.lifecycle explains why the two words differ)."""
    return Outcome(ANSWERED_AS[decided], customer_id, reason=_ALREADY[decided])


def _record_failure(
    ledger: Ledger, key: str, submission: Submission, source: Origin, version: Version, exc: FormsToOgustError
) -> LedgerEntry | None:
    """Keep the reason in the ledger; if even that fails, the caller's error is the one that matters."""
    attempt = Attempt(
        datetime.now(UTC),
        source,
        AttemptOutcome.FAILED if exc.retryable else AttemptOutcome.REJECTED,
        version.submitted_at,
        exc.customer_id,
        mask(f"{type(exc).__name__}: {exc}"),
        error_type=type(exc).__name__,
        details=_masked(exc.details()),
    )
    with contextlib.suppress(FormsToOgustError):
        return ledger.record(key, submission.form_id, submission.response_id, attempt)
    return None


def _write_settled(
    the_plan: Plan, ogust: Customers, guard: Guard, lease: Lease, origin: str, *, newer: Newer
) -> Outcome:
    """Search, then write unless a write in doubt for this person is still unsettled (retryable).
    Every write is fenced by the lease; one Ogust may have applied unanswered is put in doubt."""
    records = records_for(the_plan.form, ogust)  # a worker's methods for `entity: employee`
    fenced = FencedCustomers(records, lease, guard.doubts, lease.keys, origin=origin, clock=guard.clock)
    doubts = guard.doubts.pending(lease.keys)
    searched_at = guard.clock()
    preview = prepare_plan(the_plan, fenced, newer=newer)
    if doubts:
        found = preview.record is not None
        unsettled = still_in_doubt(
            doubts, found=found, searched_at=searched_at, grace=guard.doubt_grace, origin=origin
        )
        if not unsettled:
            guard.doubts.settle(lease.keys, searched_at)
        elif preview.action.writes:
            since = min(d.at for d in unsettled)
            raise DeliveryUnavailableError(
                f"an earlier write for this person ({unsettled[0].method}, {since:%H:%M:%S} UTC) may "
                f"still reach Ogust; nothing is written until it is found or {guard.doubt_grace:g} s "
                "have passed; this delivery will be retried"
            )
    return execute(fenced, preview.action)


def _masked(details: dict[str, Any]) -> dict[str, Any]:
    """An error's details as the ledger keeps them: every text masked like the error line beside it
    (an e-mail or a phone in the answer given or in Ogust's message), customer ids left whole."""

    def masked(value: Any) -> Any:
        if isinstance(value, str):
            return mask(value)
        if isinstance(value, list):
            return [masked(v) for v in value]
        return value

    return {key: masked(value) for key, value in details.items()}
