"""The ledger: what happened to each response — the version applied to Ogust, every attempt, the
last error — so that a duplicate costs no Ogust call, an older edit never overwrites a newer one,
and `forms-to-ogust status` can tell a person where any answer is.

One record per response (formId + responseId, hashed). A version is the response's `submittedAt`
plus a digest of its answers: the same time with other answers is another version. Only an applied
outcome (created, updated, unchanged) moves the version; a refused or failed attempt is kept in the
history with its reason, so that replaying it after a fix is not mistaken for a duplicate.

A `submittedAt` ahead of the time the answer was received (the schema allows 5 minutes of clock
skew) is ordered at its receive time: a version dated ahead must not hold back a real edit made a
second later.

Per person, the newest answer wins: one more record per canonical lookup key (the keys the leases
take) remembers, for each customer an answer under that key was applied to, the `submittedAt` of
the newest one. An older answer of that person (any response, any path) that finds the customer
is skipped (`newer_answer`), never applied over it.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Protocol

from shared.exactly_once._firestore import Documents
from shared.lifecycle import APPLIED, AttemptOutcome, Origin, read_word
from shared.mapping import Plan, hashed_key, identity_key, person_scope
from shared.webhook import Submission

LEDGER_COLLECTION = "forms_to_ogust_ledger"
PEOPLE_COLLECTION = "forms_to_ogust_people"
"""The per-person records (one per hashed canonical lookup key): no personal data in them."""
CUSTOMERS_PER_PERSON_KEY = 20
"""Customers remembered under one lookup key (a family's shared phone); the oldest go first."""
HISTORY_LIMIT = 20
"""Attempts kept per response (the oldest go first); the count of attempts is kept whole."""


@dataclass(frozen=True)
class Version:
    """Which edit of a response: when it was submitted, and a digest of what it says."""

    submitted_at: datetime
    digest: str

    @classmethod
    def of(cls, submission: Submission, received_at: datetime | None = None) -> Version:
        """The version of `submission`, dated no later than when it was received (`received_at`,
        now by default): a clock ahead of ours cannot date an answer after the edits that follow it."""
        received = received_at or datetime.now(UTC)
        return cls(min(submission.submitted_at, received), answers_digest(submission))


def answers_digest(submission: Submission) -> str:
    """A short hash of the answers (checkbox order ignored: Apps Script does not keep it)."""
    answers = sorted(
        (a.item_id, sorted(map(json.dumps, a.value)) if isinstance(a.value, list) else a.value)
        for a in submission.answers
    )
    content = json.dumps([submission.respondent_email, answers], ensure_ascii=False, default=str)
    return hashlib.sha256(content.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Attempt:
    """One delivery of a response and what came of it."""

    at: datetime
    source: Origin
    outcome: AttemptOutcome
    submitted_at: datetime | None = None
    customer_id: str | None = None
    error: str | None = None
    """The masked error of a refused or failed attempt, or why a skipped one was skipped."""
    error_type: str | None = None
    """The error's class (`SubmissionRejected`…): with `details`, what the agency's tab explains."""
    details: dict[str, Any] = field(default_factory=dict)
    """The error's `details()` (question, answer, Ogust's message…), for the reason in French."""


@dataclass(frozen=True)
class LedgerEntry:
    """Everything known of one response."""

    form_id: str
    response_id: str
    submitted_at: datetime | None = None
    """The version in Ogust (None: never applied)."""
    digests: tuple[str, ...] = ()
    """Digests applied at that `submitted_at` (two payloads may share a time)."""
    status: str = ""
    """The last attempt's outcome (an `AttemptOutcome`; empty before any)."""
    customer_id: str | None = None
    source: str = ""
    """Where the response first came from (an `Origin`; empty before any)."""
    attempts: int = 0
    last_error: str | None = None
    first_seen: datetime | None = None
    updated_at: datetime | None = None
    history: tuple[Attempt, ...] = field(default_factory=tuple)
    notified: tuple[str, ...] = ()
    """Versions (`submittedAt`, ISO) whose refusal was announced to the agency: once each."""

    @property
    def applied(self) -> bool:
        return self.submitted_at is not None

    def covers(self, submitted_at: datetime) -> bool:
        """True when the version in Ogust is this one or newer (what the reconciler asks)."""
        return self.submitted_at is not None and self.submitted_at >= submitted_at


@dataclass(frozen=True)
class Newest:
    """The newest answer applied to one customer under one lookup key of a person."""

    submitted_at: datetime
    form_id: str = ""
    response_id: str = ""


PersonRecord = dict[str, Newest]
"""customer id → the newest answer applied to it, under one canonical lookup key."""


def person_keys(the_plan: Plan) -> list[str]:
    """The record ids of a plan's person: its canonical lookup keys, hashed exactly as the leases
    hash them (`lease_keys`), so the person who is leased is the person whose order is kept."""
    return sorted(
        {
            hashed_key(*person_scope(the_plan.form.entity), t.name, identity_key(t, v))
            for t, v in the_plan.lookup
        }
    )


def newer_answer(records: Iterable[PersonRecord], customer_id: str, version: Version) -> Newest | None:
    """The newest answer applied to `customer_id` under any of the person's keys, when it is newer
    than `version` (an older answer never overwrites it); None otherwise."""
    found = [r[customer_id] for r in records if customer_id in r]
    newest = max(found, key=lambda n: n.submitted_at, default=None)
    return newest if newest is not None and newest.submitted_at > version.submitted_at else None


def with_newest(record: PersonRecord | None, customer_id: str, newest: Newest) -> PersonRecord | None:
    """The record once `newest` was applied to `customer_id` (None: nothing to change, it is older)."""
    current = dict(record or {})
    known = current.get(customer_id)
    if known is not None and known.submitted_at >= newest.submitted_at:
        return None
    current[customer_id] = newest
    kept = sorted(current.items(), key=lambda item: item[1].submitted_at)[-CUSTOMERS_PER_PERSON_KEY:]
    return dict(kept)


def ledger_key(form_id: str, response_id: str) -> str:
    """The record id of a response (a hash: ids may hold characters Firestore refuses)."""
    return hashed_key(form_id, response_id)


def with_attempt(
    current: LedgerEntry | None, form_id: str, response_id: str, attempt: Attempt, version: Version | None
) -> LedgerEntry:
    """The entry after one more attempt (pure: both ledgers use it inside their atomic update)."""
    entry = current or LedgerEntry(form_id, response_id, source=attempt.source, first_seen=attempt.at)
    changes: dict[str, Any] = {
        "status": attempt.outcome,
        "attempts": entry.attempts + 1,
        "updated_at": attempt.at,
        "history": (*entry.history, attempt)[-HISTORY_LIMIT:],
        "last_error": attempt.error,
    }
    if attempt.customer_id:
        changes["customer_id"] = attempt.customer_id
    if attempt.outcome in APPLIED and version is not None:
        if entry.submitted_at is None or version.submitted_at > entry.submitted_at:
            changes.update(submitted_at=version.submitted_at, digests=(version.digest,))
        elif version.submitted_at == entry.submitted_at and version.digest not in entry.digests:
            changes["digests"] = (*entry.digests, version.digest)
    return replace(entry, **changes)


def with_notified(current: LedgerEntry | None, version: str) -> LedgerEntry | None:
    """The entry with `version` announced, or None when there is nothing to change (pure)."""
    if current is None or version in current.notified:
        return None
    return replace(current, notified=(*current.notified, version)[-HISTORY_LIMIT:])


class Ledger(Protocol):
    """Where what happened to each response is kept."""

    def get(self, key: str) -> LedgerEntry | None: ...

    def record(
        self, key: str, form_id: str, response_id: str, attempt: Attempt, version: Version | None = None
    ) -> LedgerEntry:
        """Add one attempt atomically; an applied one moves the version forward, never back."""
        ...

    def mark_notified(self, key: str, version: str) -> bool:
        """Note atomically that the refusal of `version` was announced; False if it already was."""
        ...

    def entries(self, form_id: str | None = None) -> Iterator[LedgerEntry]:
        """Every response of a form (or of all forms), for `status`."""
        ...

    def person(self, keys: Sequence[str]) -> list[PersonRecord]:
        """The per-person records of these canonical lookup keys (empty for a key never applied)."""
        ...

    def advance(self, keys: Sequence[str], customer_id: str, newest: Newest) -> None:
        """Remember that `newest` was applied to `customer_id` under each key (never moved back)."""
        ...


class MemoryLedger:
    """The ledger of one process: sync mode, local runs and tests."""

    def __init__(self) -> None:
        self._entries: dict[str, LedgerEntry] = {}
        self._people: dict[str, PersonRecord] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> LedgerEntry | None:
        with self._lock:
            return self._entries.get(key)

    def record(
        self, key: str, form_id: str, response_id: str, attempt: Attempt, version: Version | None = None
    ) -> LedgerEntry:
        with self._lock:
            entry = with_attempt(self._entries.get(key), form_id, response_id, attempt, version)
            self._entries[key] = entry
            return entry

    def mark_notified(self, key: str, version: str) -> bool:
        with self._lock:
            changed = with_notified(self._entries.get(key), version)
            if changed is not None:
                self._entries[key] = changed
            return changed is not None

    def entries(self, form_id: str | None = None) -> Iterator[LedgerEntry]:
        with self._lock:
            found = list(self._entries.values())
        return iter([e for e in found if form_id is None or e.form_id == form_id])

    def person(self, keys: Sequence[str]) -> list[PersonRecord]:
        with self._lock:
            return [dict(self._people.get(key, {})) for key in keys]

    def advance(self, keys: Sequence[str], customer_id: str, newest: Newest) -> None:
        with self._lock:
            for key in keys:
                changed = with_newest(self._people.get(key), customer_id, newest)
                if changed is not None:
                    self._people[key] = changed


class FirestoreLedger:
    """The ledger in Firestore, shared by every instance; each record is one transaction."""

    def __init__(
        self,
        project: str | None,
        database: str = "(default)",
        collection: str = LEDGER_COLLECTION,
        people_collection: str = PEOPLE_COLLECTION,
    ) -> None:
        self._documents = Documents(
            project, database, collection, unavailable="the ledger (Firestore) is unavailable"
        )
        self._people = Documents(
            project, database, people_collection, unavailable="the ledger (Firestore) is unavailable"
        )

    def get(self, key: str) -> LedgerEntry | None:
        return _from_document(self._documents.get(key))

    def record(
        self, key: str, form_id: str, response_id: str, attempt: Attempt, version: Version | None = None
    ) -> LedgerEntry:
        def write(data: dict[str, Any] | None) -> tuple[LedgerEntry, dict[str, Any]]:
            entry = with_attempt(_from_document(data), form_id, response_id, attempt, version)
            return entry, _to_document(entry)

        return self._documents.update(key, write)

    def mark_notified(self, key: str, version: str) -> bool:
        def write(data: dict[str, Any] | None) -> tuple[bool, dict[str, Any] | None]:
            changed = with_notified(_from_document(data), version)
            return changed is not None, _to_document(changed) if changed is not None else None

        return self._documents.update(key, write)

    def entries(self, form_id: str | None = None) -> Iterator[LedgerEntry]:
        from google.cloud.firestore_v1.base_query import FieldFilter

        with self._documents.unavailable_on_failure():
            query: Any = self._documents.collection()
            if form_id is not None:
                query = query.where(filter=FieldFilter("formId", "==", form_id))
            documents = list(query.stream(timeout=60))
        return iter([e for d in documents if (e := _from_document(d.to_dict())) is not None])

    def person(self, keys: Sequence[str]) -> list[PersonRecord]:
        refs = [self._people.ref(key) for key in keys]
        with self._people.unavailable_on_failure():  # one round trip for every key
            found = {s.id: s.to_dict() for s in self._people.client().get_all(refs, timeout=10) if s.exists}
        return [_person_from_document(found.get(ref.id)) for ref in refs]

    def advance(self, keys: Sequence[str], customer_id: str, newest: Newest) -> None:
        from google.cloud import firestore

        refs = [self._people.ref(key) for key in keys]

        @firestore.transactional
        def move(transaction: Any) -> None:  # every key in one transaction (run again on contention)
            snapshots = [ref.get(transaction=transaction) for ref in refs]
            for ref, snapshot in zip(refs, snapshots, strict=True):
                current = _person_from_document(snapshot.to_dict() if snapshot.exists else None)
                changed = with_newest(current, customer_id, newest)
                if changed is not None:
                    transaction.set(ref, _person_to_document(changed))

        with self._people.unavailable_on_failure():
            move(self._people.client().transaction())


def _person_to_document(record: PersonRecord) -> dict[str, Any]:
    return {
        "customers": {
            customer_id: {"submittedAt": n.submitted_at, "formId": n.form_id, "responseId": n.response_id}
            for customer_id, n in record.items()
        }
    }


def _person_from_document(data: dict[str, Any] | None) -> PersonRecord:
    customers = (data or {}).get("customers")
    if not isinstance(customers, dict):
        return {}
    record: PersonRecord = {}
    for customer_id, value in customers.items():
        at = _aware(value.get("submittedAt")) if isinstance(value, dict) else None
        if at is not None:
            record[str(customer_id)] = Newest(
                at, str(value.get("formId") or ""), str(value.get("responseId") or "")
            )
    return record


def _to_document(entry: LedgerEntry) -> dict[str, Any]:
    return {
        "formId": entry.form_id,
        "responseId": entry.response_id,
        "submittedAt": entry.submitted_at,
        "digests": list(entry.digests),
        "status": str(entry.status),  # a plain string in Firestore, as before the enums
        "customerId": entry.customer_id,
        "source": str(entry.source),
        "attempts": entry.attempts,
        "lastError": entry.last_error,
        "firstSeen": entry.first_seen,
        "updatedAt": entry.updated_at,
        "history": [
            {
                "at": a.at,
                "source": str(a.source),
                "outcome": str(a.outcome),
                "submittedAt": a.submitted_at,
                "customerId": a.customer_id,
                "error": a.error,
                **({"errorType": a.error_type, "details": dict(a.details)} if a.error_type else {}),
            }
            for a in entry.history
        ],
        "notified": list(entry.notified),
    }


def _from_document(data: dict[str, Any] | None) -> LedgerEntry | None:
    if not data or not data.get("responseId"):
        return None
    return LedgerEntry(
        form_id=str(data.get("formId") or ""),
        response_id=str(data["responseId"]),
        submitted_at=_aware(data.get("submittedAt")),
        digests=tuple(str(d) for d in data.get("digests") or ()),
        status=str(data.get("status") or ""),
        customer_id=data.get("customerId"),
        source=str(data.get("source") or ""),
        attempts=int(data.get("attempts") or 0),
        last_error=data.get("lastError"),
        first_seen=_aware(data.get("firstSeen")),
        updated_at=_aware(data.get("updatedAt")),
        history=tuple(
            Attempt(
                at=_aware(a.get("at")) or datetime.fromtimestamp(0, UTC),
                source=read_word(Origin, a.get("source")),
                outcome=read_word(AttemptOutcome, a.get("outcome")),
                submitted_at=_aware(a.get("submittedAt")),
                customer_id=a.get("customerId"),
                error=a.get("error"),
                error_type=a.get("errorType"),
                details=dict(a.get("details") or {}),
            )
            for a in data.get("history") or ()
            if isinstance(a, dict)
        ),
        notified=tuple(str(v) for v in data.get("notified") or ()),
    )


def _aware(value: Any) -> datetime | None:
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)
