"""The one place that chooses where the exactly-once stores live: in Firestore, shared by every
instance (the functions with LEDGER=firestore, a backfill beside them, the `status` command), or in
this process alone (sync mode, local runs, tests)."""

from __future__ import annotations

from shared.exactly_once._doubts import Doubts, FirestoreDoubts, MemoryDoubts
from shared.exactly_once._leases import FirestoreLeases, Leases, MemoryLeases
from shared.exactly_once._ledger import FirestoreLedger, Ledger, MemoryLedger

Where = tuple[str | None, str] | None
"""Firestore's project and database, or None: this process only."""


def ledger_in(where: Where) -> Ledger:
    """The ledger kept `where`."""
    return FirestoreLedger(*where) if where is not None else MemoryLedger()


def leases_in(where: Where) -> Leases:
    """The leases kept `where`."""
    return FirestoreLeases(*where) if where is not None else MemoryLeases()


def doubts_in(where: Where) -> Doubts:
    """The writes in doubt kept `where`."""
    return FirestoreDoubts(*where) if where is not None else MemoryDoubts()
