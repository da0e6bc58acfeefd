"""Exactly once, one person at a time: the ledger (what happened to each response, the version in
Ogust, the newest answer of each person), the leases that keep one person to one delivery at a
time on any number of instances, the writes in doubt, and `apply_once`, the one guarded way a
submission reaches Ogust (the sync receiver, the worker and the backfill). Each store has a
Firestore version, shared by every instance, and a memory one for one process (`guard_for`).

The queue (`shared.delivery`) and the reconciler sit above it; it knows nothing of Pub/Sub.
"""

from shared.exactly_once._apply import Guard, apply_once, guard_for
from shared.exactly_once._doubts import (
    DOUBT_COLLECTION,
    Doubt,
    DoubtKind,
    Doubts,
    FirestoreDoubts,
    MemoryDoubts,
    grace_seconds,
    origin_of,
    still_in_doubt,
)
from shared.exactly_once._fence import FencedCustomers
from shared.exactly_once._firestore import Documents
from shared.exactly_once._lease_budget import lease_problem, longest_delivery, ogust_calls
from shared.exactly_once._leases import (
    LEASE_COLLECTION,
    FirestoreLeases,
    Lease,
    Leases,
    MemoryLeases,
    held,
    lease_keys,
)
from shared.exactly_once._ledger import (
    LEDGER_COLLECTION,
    PEOPLE_COLLECTION,
    Attempt,
    FirestoreLedger,
    Ledger,
    LedgerEntry,
    MemoryLedger,
    Newest,
    PersonRecord,
    Version,
    answers_digest,
    ledger_key,
    newer_answer,
    person_keys,
)
from shared.exactly_once._stores import Where, doubts_in, leases_in, ledger_in

__all__ = [
    "DOUBT_COLLECTION",
    "LEASE_COLLECTION",
    "LEDGER_COLLECTION",
    "PEOPLE_COLLECTION",
    "Attempt",
    "Documents",
    "Doubt",
    "DoubtKind",
    "Doubts",
    "FencedCustomers",
    "FirestoreDoubts",
    "FirestoreLeases",
    "FirestoreLedger",
    "Guard",
    "Lease",
    "Leases",
    "Ledger",
    "LedgerEntry",
    "MemoryDoubts",
    "MemoryLeases",
    "MemoryLedger",
    "Newest",
    "PersonRecord",
    "Version",
    "Where",
    "answers_digest",
    "apply_once",
    "doubts_in",
    "grace_seconds",
    "guard_for",
    "held",
    "lease_keys",
    "lease_problem",
    "leases_in",
    "ledger_in",
    "ledger_key",
    "longest_delivery",
    "newer_answer",
    "ogust_calls",
    "origin_of",
    "person_keys",
    "still_in_doubt",
]
