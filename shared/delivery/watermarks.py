"""Watermarks: per form, the newest `lastSubmittedTime` up to which the reconciler has published
every response it read. It only ever moves forward, and only after Pub/Sub confirmed every publish
of the run (docs/reconciliation.md, "The watermark"); the next run reads from a little before it.

Firestore (one document per form, updated in a transaction) in the cloud; this process locally.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from shared.exactly_once import Documents
from shared.mapping import hashed_key

WATERMARK_COLLECTION = "forms_to_ogust_watermarks"


@dataclass(frozen=True)
class Watermark:
    """Where the reconciliation of one form stands."""

    form_id: str
    at: datetime
    """Every response the reconciler read up to this `lastSubmittedTime` was published."""
    updated_at: datetime


class Watermarks(Protocol):
    """Where each form's watermark is kept."""

    def get(self, form_id: str) -> Watermark | None: ...

    def advance(self, form_id: str, at: datetime) -> Watermark:
        """Move the watermark to `at` unless it is already there or later (atomically)."""
        ...


class MemoryWatermarks:
    """The watermarks of one process: local runs and tests."""

    def __init__(self) -> None:
        self._marks: dict[str, Watermark] = {}
        self._lock = threading.Lock()

    def get(self, form_id: str) -> Watermark | None:
        with self._lock:
            return self._marks.get(form_id)

    def advance(self, form_id: str, at: datetime) -> Watermark:
        with self._lock:
            current = self._marks.get(form_id)
            if current is None or at > current.at:
                current = Watermark(form_id, at, datetime.now(UTC))
                self._marks[form_id] = current
            return current


class FirestoreWatermarks:
    """The watermarks in Firestore, shared by every instance (two runs may overlap)."""

    def __init__(
        self, project: str | None, database: str = "(default)", collection: str = WATERMARK_COLLECTION
    ) -> None:
        self._documents = Documents(
            project, database, collection, unavailable="the watermarks (Firestore) are unavailable"
        )

    def get(self, form_id: str) -> Watermark | None:
        return _from_document(self._documents.get(_key(form_id)))

    def advance(self, form_id: str, at: datetime) -> Watermark:
        def move(data: dict[str, Any] | None) -> tuple[Watermark, dict[str, Any] | None]:
            current = _from_document(data)
            if current is not None and current.at >= at:
                return current, None
            moved = Watermark(form_id, at, datetime.now(UTC))
            return moved, {"formId": form_id, "at": moved.at, "updatedAt": moved.updated_at}

        return self._documents.update(_key(form_id), move)


def _key(form_id: str) -> str:
    return hashed_key("watermark", form_id)


def _from_document(data: dict[str, Any] | None) -> Watermark | None:
    if not data or not isinstance(data.get("at"), datetime):
        return None
    at, updated = data["at"], data.get("updatedAt")
    return Watermark(
        str(data.get("formId") or ""),
        at if at.tzinfo else at.replace(tzinfo=UTC),
        updated if isinstance(updated, datetime) else at,
    )


def watermarks_in(firestore: tuple[str | None, str] | None) -> Watermarks:
    """The watermarks kept beside the ledger: in Firestore (its project and database, shared by
    every instance) or, when None, in this process."""
    return FirestoreWatermarks(*firestore) if firestore is not None else MemoryWatermarks()
