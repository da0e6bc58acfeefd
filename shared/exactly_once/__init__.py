"""Exactly once, one person at a time: the ledger (what happened to each response, the version in
Ogust, the newest answer of each person), the leases that keep one person to one delivery at a
time on any number of instances, the writes in doubt, and `apply_once`, the one guarded way a
submission reaches Ogust (the sync receiver, the worker and the backfill). Each store has a
Firestore version, shared by every instance, and a memory one for one process: `guard_for` is the
one place that chooses (`guard_from` reads the choice and the timings from the settings).

The queue (`shared.delivery`) and the reconciler sit above it; it knows nothing of Pub/Sub. What
code outside reads of the ledger is here (`Ledger`, `LedgerEntry`, `Attempt`, `ledger_key`), and
`held` for a lease of its own (the agency's tab); tests reach the rest from the defining modules.
"""

from shared.exactly_once._apply import Guard, apply_once, guard_for, guard_from
from shared.exactly_once._firestore import Documents
from shared.exactly_once._lease_budget import lease_problem
from shared.exactly_once._leases import Leases, held
from shared.exactly_once._ledger import Attempt, Ledger, LedgerEntry, ledger_key

__all__ = [
    "Attempt",
    "Documents",
    "Guard",
    "Leases",
    "Ledger",
    "LedgerEntry",
    "apply_once",
    "guard_for",
    "guard_from",
    "held",
    "lease_problem",
    "ledger_key",
]
