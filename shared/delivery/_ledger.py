"""The ledger: what happened to each response — the version applied to Ogust, every attempt, the
last error — so that a duplicate costs no Ogust call, an older edit never overwrites a newer one,
and `forms-to-ogust status` can tell a person where any answer is.

One record per response (formId + responseId, hashed). A version is the response's `submittedAt`
plus a digest of its answers: the same time with other answers is another version. Only an applied
outcome (created, updated, unchanged) moves the version; a refused or failed attempt is kept in the
history with its reason, so that replaying it after a fix is not mistaken for a duplicate.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

from shared.delivery._firestore import Documents
from shared.delivery._messages import hashed_key
from shared.webhook import Submission

LEDGER_COLLECTION = "forms_to_ogust_ledger"
HISTORY_LIMIT = 20
"""Attempts kept per response (the oldest go first); the count of attempts is kept whole."""

APPLIED = frozenset({"created", "updated", "unchanged"})
"""Outcomes that mean this version is in Ogust; a skipped one may apply later (a new customer…)."""

Verdict = Literal["apply", "duplicate", "stale"]
Source = Literal["script", "reconcile", "backfill", "replay"]


@dataclass(frozen=True)
class Version:
    """Which edit of a response: when it was submitted, and a digest of what it says."""

    submitted_at: datetime
    digest: str

    @classmethod
    def of(cls, submission: Submission) -> Version:
        return cls(submission.submitted_at, answers_digest(submission))


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
    source: str
    outcome: str
    """created, updated, unchanged, skipped, duplicate, stale, rejected (for good) or failed (retried)."""
    submitted_at: datetime | None = None
    customer_id: str | None = None
    error: str | None = None
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
    """The last attempt's outcome."""
    customer_id: str | None = None
    source: str = ""
    """Where the response first came from: script, reconcile, backfill or replay."""
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


def ledger_key(form_id: str, response_id: str) -> str:
    """The record id of a response (a hash: ids may hold characters Firestore refuses)."""
    return hashed_key(form_id, response_id)


def verdict(entry: LedgerEntry | None, version: Version) -> Verdict:
    """apply: a new or newer version (or other answers at the same time); duplicate: this version
    was applied; stale: a newer one was."""
    if entry is None or entry.submitted_at is None or version.submitted_at > entry.submitted_at:
        return "apply"
    if version.submitted_at < entry.submitted_at:
        return "stale"
    return "duplicate" if version.digest in entry.digests else "apply"


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


class MemoryLedger:
    """The ledger of one process: sync mode, local runs and tests."""

    def __init__(self) -> None:
        self._entries: dict[str, LedgerEntry] = {}
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


class FirestoreLedger:
    """The ledger in Firestore, shared by every instance; each record is one transaction."""

    def __init__(
        self, project: str | None, database: str = "(default)", collection: str = LEDGER_COLLECTION
    ) -> None:
        self._documents = Documents(
            project, database, collection, unavailable="the ledger (Firestore) is unavailable"
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


def _to_document(entry: LedgerEntry) -> dict[str, Any]:
    return {
        "formId": entry.form_id,
        "responseId": entry.response_id,
        "submittedAt": entry.submitted_at,
        "digests": list(entry.digests),
        "status": entry.status,
        "customerId": entry.customer_id,
        "source": entry.source,
        "attempts": entry.attempts,
        "lastError": entry.last_error,
        "firstSeen": entry.first_seen,
        "updatedAt": entry.updated_at,
        "history": [
            {
                "at": a.at,
                "source": a.source,
                "outcome": a.outcome,
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
                source=str(a.get("source") or ""),
                outcome=str(a.get("outcome") or ""),
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
