"""Delivery: everything that moves a live submission towards `shared.engine` — the queue (Pub/Sub
publish and push messages), the leases, the ledger, dead letters, and the reconciler.

    receiver (queue mode)    enqueue(): plan → ordering key → publish, 202 once confirmed
    receiver (sync), worker  apply_once(): plan → leases on the person → ledger verdict → process → record
    dead letters             DeadLetterBox, replay()   (the command-line tool)
    reconciler               Reconciler: the Forms API's responses since the watermark → enqueue()

The HTTP side (receiver, worker, reconciler entry points) is `shared.http`; old responses from an
export are `shared.backfill`.
"""

from shared.delivery._apply import Guard, apply_once, guard_for
from shared.delivery._enqueue import enqueue
from shared.delivery._leases import (
    LEASE_COLLECTION,
    FirestoreLeases,
    Leases,
    MemoryLeases,
    held,
    lease_keys,
)
from shared.delivery._ledger import (
    APPLIED,
    LEDGER_COLLECTION,
    Attempt,
    FirestoreLedger,
    Ledger,
    LedgerEntry,
    MemoryLedger,
    Version,
    answers_digest,
    ledger_key,
    verdict,
)
from shared.delivery._messages import (
    PushMessage,
    dead_letter_attributes,
    hashed_key,
    ordering_key,
    parse_push,
    submission_attributes,
)
from shared.delivery._pubsub import (
    PUBLISH_TIMEOUT_SECONDS,
    Publisher,
    PubSubPublisher,
    subscription_path,
    topic_path,
)
from shared.delivery.dead_letters import (
    DEFAULT_PULL_WAIT,
    DeadLetter,
    DeadLetterBox,
    Replayed,
    replay,
    replay_key,
)
from shared.delivery.reconcile import FormRun, Reconciler, settled
from shared.delivery.watermarks import FirestoreWatermarks, MemoryWatermarks, Watermark, Watermarks

__all__ = [
    "APPLIED",
    "DEFAULT_PULL_WAIT",
    "LEASE_COLLECTION",
    "LEDGER_COLLECTION",
    "PUBLISH_TIMEOUT_SECONDS",
    "Attempt",
    "DeadLetter",
    "DeadLetterBox",
    "FirestoreLeases",
    "FirestoreLedger",
    "FirestoreWatermarks",
    "FormRun",
    "Guard",
    "Leases",
    "Ledger",
    "LedgerEntry",
    "MemoryLeases",
    "MemoryLedger",
    "MemoryWatermarks",
    "PubSubPublisher",
    "Publisher",
    "PushMessage",
    "Reconciler",
    "Replayed",
    "Version",
    "Watermark",
    "Watermarks",
    "answers_digest",
    "apply_once",
    "dead_letter_attributes",
    "enqueue",
    "guard_for",
    "hashed_key",
    "held",
    "lease_keys",
    "ledger_key",
    "ordering_key",
    "parse_push",
    "replay",
    "replay_key",
    "settled",
    "submission_attributes",
    "subscription_path",
    "topic_path",
    "verdict",
]
