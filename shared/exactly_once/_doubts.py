"""Writes in doubt: a write that may have reached Ogust although no answer said so (a timeout, a
5xx, a dropped connection: `OgustUnavailableError.maybe_applied`). Ogust may still land it seconds
after the client gave up, so it is remembered under each canonical lookup key of the person (the
same hashed keys the leases use), with its time, in a store that outlives the lease: this process
in sync mode, Firestore in queue mode, beside the ledger.

A doubt is settled by what the next delivery of that person sees in Ogust, under the person's
leases (`shared.exactly_once._apply`):
- a doubtful create is settled when a search finds the person (the create landed), or when the
  grace period has passed and a search still finds nothing (it never will);
- a doubtful update (the customer existed) is settled when the grace period has passed; meanwhile
  the same version of the same response may write again (the same values: whenever the first
  write lands, it changes nothing), any other delivery of the person waits.
Until then a delivery that would write to that person fails retryable (503 / nack) and writes
nothing; one that writes nothing (unchanged, skipped) goes on.

The grace period (`grace_seconds`) follows Ogust's timeout: `max(60 s, 6 × OGUST_TIMEOUT_SECONDS)`
unless OGUST_WRITE_GRACE_SECONDS says otherwise (docs/reliability.md).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

from shared.exactly_once._firestore import Documents

DOUBT_COLLECTION = "forms_to_ogust_doubts"

GRACE_FLOOR_SECONDS = 60.0
"""The shortest grace: Ogust's own request time limit is unknown, and a minute costs one retry."""
GRACE_TIMEOUT_FACTOR = 6.0
"""How many of our own timeouts Ogust is given to land a write we stopped waiting for."""

DoubtKind = Literal["create", "update"]


def grace_seconds(ogust_timeout: float, configured: float | None = None) -> float:
    """How long after a doubtful write a search that finds nothing proves it will never land."""
    if configured is not None:
        return configured
    return max(GRACE_FLOOR_SECONDS, GRACE_TIMEOUT_FACTOR * ogust_timeout)


@dataclass(frozen=True)
class Doubt:
    """A write on one person key that may have reached Ogust."""

    key: str
    kind: DoubtKind
    """create: no customer was known (setCustomer without id); update: the customer existed."""
    at: datetime
    """When the client gave up on it (the latest such write on this key)."""
    method: str
    """The Ogust method (setCustomer, setAddress, setThirdPartyInformations)."""
    origin: str = ""
    """Which version of which response wrote it (`origin_of`)."""

    def merged(self, other: Doubt) -> Doubt:
        """One doubt per key: the latest time and writer, and a create as long as either was one."""
        latest = other if other.at >= self.at else self
        kind: DoubtKind = "create" if "create" in (self.kind, other.kind) else "update"
        return Doubt(self.key, kind, latest.at, latest.method, latest.origin)


def origin_of(ledger_key: str, digest: str) -> str:
    """The writer of a doubt: a response (its ledger key) and the digest of the version's answers."""
    return f"{ledger_key}:{digest}"


def still_in_doubt(
    doubts: Sequence[Doubt], *, found: bool, searched_at: datetime, grace: float, origin: str = ""
) -> list[Doubt]:
    """The doubts that keep a delivery (of `origin`) from writing after a search started at
    `searched_at`: none once `grace` seconds have passed; a doubtful create unless the search
    `found` the person; a doubtful update unless it is the same version writing the same again."""
    return [
        d
        for d in doubts
        if (searched_at - d.at).total_seconds() < grace
        and not (d.kind == "create" and found)
        and not (d.kind == "update" and origin and d.origin == origin)
    ]


class Doubts(Protocol):
    """Where writes in doubt are remembered until a delivery of the person settles them."""

    def record(
        self, keys: Sequence[str], kind: DoubtKind, method: str, at: datetime, origin: str = ""
    ) -> None:
        """Remember a doubtful write on every key (merged with a doubt already there)."""
        ...

    def pending(self, keys: Sequence[str]) -> list[Doubt]:
        """The doubts on any of `keys`."""
        ...

    def settle(self, keys: Sequence[str], seen_at: datetime) -> None:
        """Forget the doubts on `keys` recorded at or before `seen_at` (a later one stays)."""
        ...


class MemoryDoubts:
    """The doubts of one process (sync mode, local runs, tests)."""

    def __init__(self) -> None:
        self._doubts: dict[str, Doubt] = {}
        self._lock = threading.Lock()

    def record(
        self, keys: Sequence[str], kind: DoubtKind, method: str, at: datetime, origin: str = ""
    ) -> None:
        with self._lock:
            for key in keys:
                doubt = Doubt(key, kind, at, method, origin)
                current = self._doubts.get(key)
                self._doubts[key] = doubt if current is None else current.merged(doubt)

    def pending(self, keys: Sequence[str]) -> list[Doubt]:
        with self._lock:
            return [self._doubts[key] for key in keys if key in self._doubts]

    def settle(self, keys: Sequence[str], seen_at: datetime) -> None:
        with self._lock:
            for key in keys:
                doubt = self._doubts.get(key)
                if doubt is not None and doubt.at <= seen_at:
                    del self._doubts[key]


class FirestoreDoubts:
    """The doubts in Firestore, shared by every instance: one document per person key, each change
    one transaction."""

    def __init__(
        self, project: str | None, database: str = "(default)", collection: str = DOUBT_COLLECTION
    ) -> None:
        self._documents = Documents(
            project, database, collection, unavailable="the writes in doubt (Firestore) are unavailable"
        )

    def record(
        self, keys: Sequence[str], kind: DoubtKind, method: str, at: datetime, origin: str = ""
    ) -> None:
        for key in keys:
            doubt = Doubt(key, kind, at, method, origin)

            def merge(data: dict[str, Any] | None, doubt: Doubt = doubt) -> tuple[None, dict[str, Any]]:
                current = _from_document(doubt.key, data)
                return None, _to_document(doubt if current is None else current.merged(doubt))

            self._documents.update(key, merge)

    def pending(self, keys: Sequence[str]) -> list[Doubt]:
        refs = {self._documents.ref(key).path: key for key in keys}
        with self._documents.unavailable_on_failure():  # one round trip for every key
            snapshots = list(self._documents.client().get_all([self._documents.ref(k) for k in keys]))
        found = [_from_document(refs[s.reference.path], s.to_dict() if s.exists else None) for s in snapshots]
        return sorted((d for d in found if d is not None), key=lambda d: d.key)

    def settle(self, keys: Sequence[str], seen_at: datetime) -> None:
        from google.cloud import firestore

        for key in keys:
            ref = self._documents.ref(key)

            @firestore.transactional
            def forget(transaction: Any, ref: Any = ref, key: str = key) -> None:
                snapshot = ref.get(transaction=transaction)
                doubt = _from_document(key, snapshot.to_dict() if snapshot.exists else None)
                if doubt is not None and doubt.at <= seen_at:
                    transaction.delete(ref)

            with self._documents.unavailable_on_failure():
                forget(self._documents.client().transaction())


def _to_document(doubt: Doubt) -> dict[str, Any]:
    return {"kind": doubt.kind, "at": doubt.at, "method": doubt.method, "origin": doubt.origin}


def _from_document(key: str, data: dict[str, Any] | None) -> Doubt | None:
    if not data or not isinstance(data.get("at"), datetime):
        return None
    at: datetime = data["at"]
    kind: DoubtKind = "update" if data.get("kind") == "update" else "create"  # unknown: the stronger
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    return Doubt(key, kind, at, str(data.get("method") or ""), str(data.get("origin") or ""))
