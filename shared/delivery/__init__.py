"""Delivery: everything that moves a live submission towards `shared.engine` — the queue (Pub/Sub
publish and push messages), the leases, the ledger, dead letters, and the reconciler.

    receiver (queue mode)    enqueue(): plan → ordering key → publish, 202 once confirmed
    receiver (sync), worker  apply_once(): plan → leases on the person → ledger verdict → search →
                             writes in doubt settled? → fenced writes → record
    dead letters             DeadLetterBox, replay()   (the command-line tool)
    reconciler               Reconciler: the Forms API's responses since the watermark → enqueue()

The HTTP side (receiver, worker, reconciler entry points) is `shared.http`; old responses from an
export are `shared.backfill`.
"""

from shared.delivery._apply import Guard, apply_once, guard_for
from shared.delivery._doubts import (
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
from shared.delivery._enqueue import enqueue
from shared.delivery._fence import FencedCustomers
from shared.delivery._lease_budget import lease_problem, longest_delivery, ogust_calls
from shared.delivery._leases import (
    LEASE_COLLECTION,
    FirestoreLeases,
    Lease,
    Leases,
    MemoryLeases,
    held,
    lease_keys,
)
from shared.delivery._ledger import (
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
from shared.delivery._messages import (
    PushMessage,
    dead_letter_attributes,
    fallback_key,
    hashed_key,
    ordering_key,
    parse_push,
    received_at,
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
    deduplicated,
    parked_before,
    record_parked,
    replay,
    replay_key,
)
from shared.delivery.feed import OnFailure, by_person, person_key, send_by_person
from shared.delivery.reconcile import FormRun, Reconciler, unreadable_attempt
from shared.delivery.watermarks import FirestoreWatermarks, MemoryWatermarks, Watermark, Watermarks

__all__ = [
    "DEFAULT_PULL_WAIT",
    "DOUBT_COLLECTION",
    "LEASE_COLLECTION",
    "LEDGER_COLLECTION",
    "PEOPLE_COLLECTION",
    "PUBLISH_TIMEOUT_SECONDS",
    "Attempt",
    "DeadLetter",
    "DeadLetterBox",
    "Doubt",
    "DoubtKind",
    "Doubts",
    "FencedCustomers",
    "FirestoreDoubts",
    "FirestoreLeases",
    "FirestoreLedger",
    "FirestoreWatermarks",
    "FormRun",
    "Guard",
    "Lease",
    "Leases",
    "Ledger",
    "LedgerEntry",
    "MemoryDoubts",
    "MemoryLeases",
    "MemoryLedger",
    "MemoryWatermarks",
    "Newest",
    "OnFailure",
    "PersonRecord",
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
    "by_person",
    "dead_letter_attributes",
    "deduplicated",
    "enqueue",
    "fallback_key",
    "grace_seconds",
    "guard_for",
    "hashed_key",
    "held",
    "lease_keys",
    "lease_problem",
    "ledger_key",
    "longest_delivery",
    "newer_answer",
    "ogust_calls",
    "ordering_key",
    "origin_of",
    "parked_before",
    "parse_push",
    "person_key",
    "person_keys",
    "received_at",
    "record_parked",
    "replay",
    "replay_key",
    "send_by_person",
    "still_in_doubt",
    "submission_attributes",
    "subscription_path",
    "topic_path",
    "unreadable_attempt",
]
