"""The idempotency ledger: which version of each response was applied, so that a duplicate costs
no Ogust call and an older edit never overwrites a newer one.

One record per response (formId + responseId, hashed): `submittedAt` of the version applied, its
status and customer id. Only applied versions are recorded; a refused one is in the dead letters,
so that replaying it after a fix is not mistaken for a duplicate.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

from shared.delivery._messages import hashed_key
from shared.engine import Customers, Outcome, process
from shared.errors import DeliveryUnavailableError
from shared.mapping import MappingFile
from shared.webhook import Submission

LEDGER_COLLECTION = "forms_to_ogust_ledger"

Verdict = Literal["apply", "duplicate", "stale"]


@dataclass(frozen=True)
class LedgerEntry:
    """The version of a response last applied to Ogust."""

    submitted_at: datetime
    status: str
    customer_id: str | None = None
    updated_at: datetime | None = None


class Ledger(Protocol):
    """Where applied versions are remembered."""

    def get(self, key: str) -> LedgerEntry | None: ...
    def record(self, key: str, entry: LedgerEntry) -> bool:
        """Store `entry` unless a newer version is already recorded; False when it was not stored."""
        ...


def ledger_key(form_id: str, response_id: str) -> str:
    """The record id of a response (a hash: ids may hold characters Firestore refuses)."""
    return hashed_key(form_id, response_id)


def verdict(entry: LedgerEntry | None, submitted_at: datetime) -> Verdict:
    """apply: new or newer version; duplicate: this version was applied; stale: a newer one was."""
    if entry is None or submitted_at > entry.submitted_at:
        return "apply"
    return "duplicate" if submitted_at == entry.submitted_at else "stale"


RECORDED = frozenset({"created", "updated", "unchanged"})
"""Outcomes that mean this version is in Ogust; a skipped one may apply later (a new customer…)."""


def apply_once(submission: Submission, mapping: MappingFile, ogust: Customers, ledger: Ledger) -> Outcome:
    """`process` guarded by the ledger: a duplicate or an older edit writes nothing and calls no Ogust."""
    key = ledger_key(submission.form_id, submission.response_id)
    entry = ledger.get(key)
    decided = verdict(entry, submission.submitted_at)
    if entry is not None and decided == "duplicate":
        return Outcome("unchanged", entry.customer_id, reason="this version was already applied")
    if entry is not None and decided == "stale":
        return Outcome(
            "skipped", entry.customer_id, reason="a newer edit of this response was already applied"
        )
    outcome = process(submission, mapping, ogust)
    if outcome.status in RECORDED:
        ledger.record(
            key, LedgerEntry(submission.submitted_at, outcome.status, outcome.customer_id, datetime.now(UTC))
        )
    return outcome


class MemoryLedger:
    """The ledger of one process: sync mode, local runs and tests."""

    def __init__(self) -> None:
        self._entries: dict[str, LedgerEntry] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> LedgerEntry | None:
        with self._lock:
            return self._entries.get(key)

    def record(self, key: str, entry: LedgerEntry) -> bool:
        with self._lock:
            current = self._entries.get(key)
            if current is not None and current.submitted_at > entry.submitted_at:
                return False
            self._entries[key] = entry
            return True


class FirestoreLedger:
    """The ledger in Firestore, shared by every worker instance; writes happen in a transaction."""

    def __init__(
        self, project: str | None, database: str = "(default)", collection: str = LEDGER_COLLECTION
    ) -> None:
        self._project = project
        self._database = database
        self._collection = collection
        self._client: Any = None
        self._lock = threading.Lock()

    def get(self, key: str) -> LedgerEntry | None:
        try:
            snapshot = self._ref(key).get(timeout=10)
        except Exception as exc:
            raise DeliveryUnavailableError(
                f"the ledger (Firestore) is unavailable: {type(exc).__name__}"
            ) from None
        return _entry(snapshot.to_dict()) if snapshot.exists else None

    def record(self, key: str, entry: LedgerEntry) -> bool:
        from google.cloud import firestore

        ref = self._ref(key)

        @firestore.transactional
        def write(transaction: Any) -> bool:
            snapshot = ref.get(transaction=transaction)
            current = _entry(snapshot.to_dict()) if snapshot.exists else None
            if current is not None and current.submitted_at > entry.submitted_at:
                return False
            transaction.set(
                ref,
                {
                    "submittedAt": entry.submitted_at,
                    "status": entry.status,
                    "customerId": entry.customer_id,
                    "updatedAt": firestore.SERVER_TIMESTAMP,
                },
            )
            return True

        try:
            stored: bool = write(self._get_client().transaction())
        except Exception as exc:
            raise DeliveryUnavailableError(
                f"the ledger (Firestore) is unavailable: {type(exc).__name__}"
            ) from None
        return stored

    def _ref(self, key: str) -> Any:
        return self._get_client().collection(self._collection).document(key)

    def _get_client(self) -> Any:
        with self._lock:
            if self._client is None:
                from google.cloud import firestore

                self._client = firestore.Client(project=self._project, database=self._database)
            return self._client


def _entry(data: dict[str, Any] | None) -> LedgerEntry | None:
    if not data or not isinstance(data.get("submittedAt"), datetime):
        return None
    submitted: datetime = data["submittedAt"]
    updated = data.get("updatedAt")
    return LedgerEntry(
        submitted_at=submitted if submitted.tzinfo else submitted.replace(tzinfo=UTC),
        status=str(data.get("status") or ""),
        customer_id=data.get("customerId"),
        updated_at=updated if isinstance(updated, datetime) else None,
    )
