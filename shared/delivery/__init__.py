"""Delivery: what moves submissions towards Ogust through the queue — Pub/Sub publish and push
messages, the dead letters, the reconciler, and the feed they share. Exactly once (the ledger, the
leases, the writes in doubt, `apply_once`) is `shared.exactly_once`, below this package: its names
are imported from there, never from here.

    receiver (queue mode)    enqueue(): plan → ordering key → publish, 202 once confirmed
    worker                   PushMessage.parse() → apply_once (shared.exactly_once) → ack, or
                             park(): to the dead letters with the reason, noted in the ledger
    dead letters             DeadLetterBox, deduplicated(), replay()   (the command-line tool)
    reconciler               Reconciler: the Forms API's responses since the watermark → enqueue()
    the feed                 person_key(), send_in_person_order(…, OnFailure): one person's answers
                             in order (the reconciler, the backfill, the replay)

The HTTP side (receiver, worker, reconciler entry points) is `shared.http`; old responses from an
export are `shared.backfill`. Tests reach the internals from the module that defines them.
"""

from shared.delivery._enqueue import enqueue
from shared.delivery._messages import PushMessage
from shared.delivery._pubsub import Publisher, PubSubPublisher, topic_path
from shared.delivery.dead_letters import DeadLetter, DeadLetterBox, deduplicated, park, replay
from shared.delivery.feed import OnFailure, person_key, send_in_person_order
from shared.delivery.reconcile import FormRun, Reconciler, unreadable_attempt
from shared.delivery.watermarks import Watermarks, watermarks_in

__all__ = [
    "DeadLetter",
    "DeadLetterBox",
    "FormRun",
    "OnFailure",
    "PubSubPublisher",
    "Publisher",
    "PushMessage",
    "Reconciler",
    "Watermarks",
    "deduplicated",
    "enqueue",
    "park",
    "person_key",
    "replay",
    "send_in_person_order",
    "topic_path",
    "unreadable_attempt",
    "watermarks_in",
]
