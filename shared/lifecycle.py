"""What can happen to a submission, in one typed vocabulary: every status the engine returns, the
ledger records, the HTTP functions answer and log, `status` prints and the agency's tab translates.

    Origin          where a delivery came from: script, reconcile, backfill, replay
    Verdict         the ledger's question before any Ogust call: apply, duplicate, stale
    AttemptOutcome  what one attempt ended as (the ledger's `outcome`, one per attempt)
    Settled         the reconciler's question after the fact: applied, skipped, parked
    ResponseState   what `status` says of a response: applied, skipped, dead-lettered, unreadable,
                    pending
    AgencyState     the state in the agency's tab (`shared.tracking` says it in French)
    Reported        what an HTTP answer, a log line or a backfill row says beyond an outcome

Every value is the string the code wrote before these types existed (a `StrEnum` member is that
string): the JSON answers, the log lines and the documents already stored in Firestore are the same,
and a stored ledger is read back as it was written.

One name for where a delivery came from: `Origin`. The ledger stores it as `source` (an attempt's
and the response's first), a queued message carries it as the `origin` attribute: both hold an
`Origin` value.

A duplicate is recorded `duplicate` and answered `unchanged`; an older edit (`stale`) is recorded
`stale` and answered `skipped` (`ANSWERED_AS`). Both words are kept on purpose: the ledger says why
nothing was written (the agency's tab and `status` must tell a duplicate from a real unchanged
attempt, and ledgers already stored hold `duplicate`), the answer says what the sender needs to
know (nothing changed in Ogust; the reason field says it was already applied), and the Apps Script,
the backfill's counts and the logs' alert already read `unchanged` and `skipped`.

`verdict` and `settled` look alike and are not the same question. `verdict` is asked before
writing, under the person's leases, of one exact version (its time and the digest of its answers):
a same-time answer with other answers is another version and is applied. `settled` is asked by the
reconciler and `status` of a response read from the Forms API, whose answers may be spelt otherwise
than the script's copy: it compares times only, and also counts a version skipped by the mapping or
refused and parked, because publishing those again would only skip or park them again — while
`verdict` lets them through, so that a replay after a fix of the mapping is applied.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from enum import StrEnum
from typing import Literal, Protocol, TypeVar, cast


class Origin(StrEnum):
    """Where a delivery came from (the ledger's `source`, a message's `origin` attribute)."""

    SCRIPT = "script"
    RECONCILE = "reconcile"
    BACKFILL = "backfill"
    REPLAY = "replay"
    """A dead letter sent back, or a ticked `Renvoyer` box in the agency's tab."""


class Verdict(StrEnum):
    """What the ledger says of a version before any Ogust call."""

    APPLY = "apply"
    DUPLICATE = "duplicate"
    STALE = "stale"


class AttemptOutcome(StrEnum):
    """What one attempt at a response ended as: the ledger's `outcome` of each attempt."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    """Left alone by the mapping (`skip_when`…) or because a newer answer of the person was applied."""
    DUPLICATE = "duplicate"
    """This version was applied already: nothing written, no Ogust call."""
    STALE = "stale"
    """A newer edit of this response was applied already: nothing written, no Ogust call."""
    REJECTED = "rejected"
    """Refused for good (the mapping, Ogust): dead-lettered by the worker."""
    FAILED = "failed"
    """May succeed later: retried."""
    PARKED = "parked"
    """The worker's note that this version's dead letter was published (once per version)."""
    UNREADABLE = "unreadable"
    """The reconciler could not read it from the Forms API: parked in the ledger with its reason."""
    RESENT = "resent"
    """A ticked `Renvoyer` box: republished (origin replay), until the next attempt says more."""


ProcessStatus = Literal[
    AttemptOutcome.CREATED, AttemptOutcome.UPDATED, AttemptOutcome.UNCHANGED, AttemptOutcome.SKIPPED
]
"""What the engine's `process` returns (an `Outcome`'s status), answered as it is."""

APPLIED: frozenset[AttemptOutcome] = frozenset(
    {AttemptOutcome.CREATED, AttemptOutcome.UPDATED, AttemptOutcome.UNCHANGED}
)
"""Outcomes that mean this version is in Ogust; a skipped one may apply later (a new customer…)."""

PARKED_OUTCOMES: frozenset[AttemptOutcome] = frozenset({AttemptOutcome.REJECTED, AttemptOutcome.PARKED})
"""Attempts that leave a version parked: refused for good (the worker dead-letters it), or the
worker's note that its dead letter went out."""

NO_NEWS: frozenset[AttemptOutcome] = frozenset(
    {AttemptOutcome.DUPLICATE, AttemptOutcome.STALE, AttemptOutcome.PARKED}
)
"""Outcomes that say nothing new of the response: a duplicate, an older edit, the worker's note
that the refusal's dead letter went out."""

REFUSED: frozenset[AttemptOutcome] = frozenset({AttemptOutcome.REJECTED, AttemptOutcome.UNREADABLE})
"""Refused for good: by the mapping or Ogust (rejected), or unreadable from the Forms API."""

ANSWERED_AS: Mapping[Verdict, ProcessStatus] = {
    Verdict.DUPLICATE: AttemptOutcome.UNCHANGED,
    Verdict.STALE: AttemptOutcome.SKIPPED,
}
"""What a delivery the ledger stopped is answered and logged as (it is recorded as its verdict)."""


class Settled(StrEnum):
    """What became of a version, as the reconciler and `status` ask it (`settled`)."""

    APPLIED = "applied"
    SKIPPED = "skipped"
    PARKED = "parked"


class ResponseState(StrEnum):
    """What `forms-to-ogust status` says of a response."""

    APPLIED = "applied"
    SKIPPED = "skipped"
    DEAD_LETTERED = "dead-lettered"
    UNREADABLE = "unreadable"
    PENDING = "pending"


class AgencyState(StrEnum):
    """The state of a response in the agency's tab (`État`), from its ledger entry."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    PENDING = "pending"
    FAILED = "failed"
    REJECTED = "rejected"
    RESENT = "resent"


SKIPPED_FOR_NEWER = "a newer answer of this person"
"""How the reason of a skip starts when a newer answer of the same person was already applied to the
customer found (per-person order): the ledger keeps that reason, and the agency's tab tells this skip
from one the mapping asked for."""


class Reported(StrEnum):
    """What an HTTP answer, a log line or a backfill's row says beyond an attempt's outcome."""

    QUEUED = "queued"
    """Published to the queue (202): the worker applies it."""
    RETRY_LATER = "retry-later"
    """Not applied now, may succeed later (503 with Retry-After)."""
    DEAD_LETTERED = "dead-lettered"
    """Refused for good and published to the dead-letter topic."""
    RECONCILED = "reconciled"
    """A reconciliation run went through."""
    PLANNED = "planned"
    """A backfill's offline run: read and planned, nothing sent."""


Word = TypeVar("Word", bound=StrEnum)


def read_word(kind: type[Word], value: object) -> Word:
    """A stored or received word (a ledger document, a message attribute) as its member. A word
    this release does not know (written by a newer one, or empty in an old document) is kept as it
    was written, never read as another: the ledger stays readable whoever wrote it."""
    text = str(value or "")
    return kind(text) if text in kind._value2member_map_ else cast(Word, text)


class _Versioned(Protocol):
    @property
    def submitted_at(self) -> datetime: ...
    @property
    def digest(self) -> str: ...


class _Attempted(Protocol):
    @property
    def submitted_at(self) -> datetime | None: ...
    @property
    def outcome(self) -> str: ...


class _Entry(Protocol):
    """What `verdict` and `settled` read of a ledger entry."""

    @property
    def submitted_at(self) -> datetime | None: ...
    @property
    def digests(self) -> tuple[str, ...]: ...
    @property
    def history(self) -> Iterable[_Attempted]: ...


def verdict(entry: _Entry | None, version: _Versioned) -> Verdict:
    """apply: a new or newer version (or other answers at the same time); duplicate: this version
    was applied; stale: a newer one was."""
    if entry is None or entry.submitted_at is None or version.submitted_at > entry.submitted_at:
        return Verdict.APPLY
    if version.submitted_at < entry.submitted_at:
        return Verdict.STALE
    return Verdict.DUPLICATE if version.digest in entry.digests else Verdict.APPLY


def settled(entry: _Entry | None, submitted_at: datetime) -> Settled | None:
    """What became of this version of a response: applied, skipped or parked; None: nothing yet.

    Applied: the version in Ogust is this one or newer (times, never digests — the Forms API and
    the script may spell the same answers differently). Skipped (by the mapping) and refused
    (parked in the dead letters by the worker) count too: publishing them again would only skip or
    park them again.
    """
    if entry is None:
        return None
    if entry.submitted_at is not None and entry.submitted_at >= submitted_at:
        return Settled.APPLIED
    for attempt in reversed(list(entry.history)):
        if attempt.submitted_at is not None and attempt.submitted_at >= submitted_at:
            if attempt.outcome == AttemptOutcome.SKIPPED:
                return Settled.SKIPPED
            if attempt.outcome in PARKED_OUTCOMES:
                return Settled.PARKED
    return None
