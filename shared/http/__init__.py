"""The HTTP side of the functions: what each entry point answers, built on one Runtime per instance.

    receive()      receive_submission: signed submission → Ogust (sync) or Pub/Sub (queue)
    handle_push()  process_submission: Pub/Sub push → Ogust → ack / nack / dead letter
    reconcile()    reconcile_forms: Scheduler or a watch notification → the Forms API → Pub/Sub
    probe()        probe_ogust: the doctor's read-only probes from the function's environment

Every request goes through one `Entry` (entry.py) first: the method, the body's size and time
limits, the trace, the crash line; `not_found` answers functions-framework's own 404s unread.

Only this package knows Flask; `shared.delivery` and `shared.engine` below it do no HTTP of their
own besides their clients.
"""

from shared.http.doctor import probe
from shared.http.entry import not_found
from shared.http.receiver import receive
from shared.http.reconciler import reconcile
from shared.http.runtime import Runtime
from shared.http.worker import handle_push

__all__ = [
    "Runtime",
    "handle_push",
    "not_found",
    "probe",
    "receive",
    "reconcile",
]
