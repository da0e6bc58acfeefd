"""Leases: one person at a time. Before anything is searched in Ogust, a delivery takes a lease on
every canonical lookup key of its plan and on its response; a second delivery for the same person
(or the same response) waits a bounded time, then gives up with a retryable error (503 / nack).

Leases expire by themselves (`ttl`, longer than a delivery may take: `longest_delivery`) so that a
crashed holder never blocks a person for good; they are released as soon as the ledger has been
written. While the delivery runs, a heartbeat renews them every third of `ttl`, and just before
every write `Lease.fence()` renews them in one transaction that fails when another holder has taken
them over (a holder frozen longer than `ttl`): such a delivery writes nothing and is retried.
"""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from shared.errors import DeliveryUnavailableError
from shared.exactly_once._firestore import Documents
from shared.mapping import Plan, hashed_key, identity_key, person_scope

LEASE_COLLECTION = "forms_to_ogust_leases"
DEFAULT_WAIT_SECONDS = 10.0
"""How long a delivery waits for a person's lease: well under the sender's ~30 s, so it answers 503."""


def lease_keys(the_plan: Plan, form_id: str) -> list[str]:
    """Every canonical lookup key of the plan (not only the first), and the response itself: what a
    delivery leases, and where a write it leaves in doubt is recorded."""
    keys = {
        hashed_key(*person_scope(the_plan.form.entity), t.name, identity_key(t, v))
        for t, v in the_plan.lookup
    }
    keys.add(hashed_key("response", form_id, the_plan.response_id))
    return sorted(keys)


class Leases(Protocol):
    """All-or-nothing leases on a set of keys."""

    def acquire(self, keys: Sequence[str], holder: str, ttl: float, wait: float) -> bool:
        """Take every key for `holder` within `wait` seconds, or none of them (False)."""
        ...

    def renew(self, keys: Sequence[str], holder: str, ttl: float) -> bool:
        """Extend every key to `ttl` from now, atomically, if `holder` still holds each of them;
        False (and nothing changed) when any was taken over or given back."""
        ...

    def release(self, keys: Sequence[str], holder: str) -> None:
        """Give back the keys `holder` holds (a lease taken over after expiry is left alone)."""
        ...


class Lease:
    """The leases one delivery holds: `fence()` before each write, a heartbeat meanwhile."""

    def __init__(self, leases: Leases, keys: Sequence[str], holder: str, ttl: float) -> None:
        self.keys = list(keys)
        self.holder = holder
        self._leases = leases
        self._ttl = ttl
        self._lost = threading.Event()
        self._stop = threading.Event()
        self._renewing = threading.Lock()
        """The heartbeat and the fence renew one at a time (two transactions on the same documents
        would only make Firestore abort one of them)."""
        self._heart: threading.Thread | None = None
        self.kept = False
        """Set by `keep()`: the leases are left to expire instead of being given back."""

    def fence(self) -> None:
        """Renew the leases now, or raise DeliveryUnavailableError when they were taken over: called
        just before a write, so the write starts with `ttl` seconds of lease ahead of it."""
        if not self._renew():
            raise DeliveryUnavailableError(
                "this delivery's lease on the person was taken over by another delivery; "
                "nothing was written, it will be retried"
            )

    def _renew(self) -> bool:
        with self._renewing:
            if self._lost.is_set() or not self._leases.renew(self.keys, self.holder, self._ttl):
                self._lost.set()
                return False
            return True

    def keep(self) -> None:
        """Leave the leases to expire by themselves (a write in doubt could not be recorded)."""
        self.kept = True

    def start_heartbeat(self, every: float) -> None:
        """Renew the leases every `every` seconds until `stop()` (a failed renewal is tried again at
        the next beat; one that finds the lease taken over marks it lost for `fence`)."""
        self._heart = threading.Thread(target=self._beat, args=(every,), name="lease-heartbeat", daemon=True)
        self._heart.start()

    def stop(self) -> None:
        self._stop.set()
        if self._heart is not None:
            self._heart.join(timeout=30)

    def _beat(self, every: float) -> None:
        while not self._stop.wait(every):
            try:
                if not self._renew():
                    return
            except Exception:  # noqa: S112 (Firestore hiccup: the next beat or the fence decides)
                continue


@contextmanager
def held(
    leases: Leases,
    keys: Sequence[str],
    *,
    ttl: float,
    wait: float = DEFAULT_WAIT_SECONDS,
    heartbeat: bool = True,
) -> Iterator[Lease]:
    """Hold the leases for the block, renewed every `ttl / 3` (unless `heartbeat` is False: the
    fence still checks them before each write); DeliveryUnavailableError when another delivery
    keeps them."""
    holder = uuid.uuid4().hex
    if not leases.acquire(keys, holder, ttl, wait):
        raise DeliveryUnavailableError(
            "another delivery for this person is in progress; this one will be retried"
        )
    lease = Lease(leases, keys, holder, ttl)
    if heartbeat:
        lease.start_heartbeat(ttl / 3)
    try:
        yield lease
    finally:
        lease.stop()
        if not lease.kept:
            leases.release(keys, holder)


class MemoryLeases:
    """Leases of one process (sync mode, local runs): a condition wakes the waiters on release."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._held: dict[str, tuple[str, float]] = {}
        self._changed = threading.Condition()
        self._clock = clock

    def acquire(self, keys: Sequence[str], holder: str, ttl: float, wait: float) -> bool:
        deadline = self._clock() + wait
        with self._changed:
            while True:
                now = self._clock()
                if all(self._free(key, holder, now) for key in keys):
                    for key in keys:
                        self._held[key] = (holder, now + ttl)
                    return True
                if now >= deadline:
                    return False
                self._changed.wait(timeout=min(deadline - now, 0.5))

    def renew(self, keys: Sequence[str], holder: str, ttl: float) -> bool:
        with self._changed:
            # Still ours even past its expiry as long as nobody took it: taking over is atomic here.
            if any(self._held.get(key, ("", 0.0))[0] != holder for key in keys):
                return False
            now = self._clock()
            for key in keys:
                self._held[key] = (holder, now + ttl)
            return True

    def release(self, keys: Sequence[str], holder: str) -> None:
        with self._changed:
            for key in keys:
                if self._held.get(key, ("", 0.0))[0] == holder:
                    del self._held[key]
            self._changed.notify_all()

    def _free(self, key: str, holder: str, now: float) -> bool:
        owner, expires = self._held.get(key, ("", 0.0))
        return owner in ("", holder) or expires <= now


class FirestoreLeases:
    """Leases shared by every instance: one document per key, taken and given back in transactions."""

    POLL_SECONDS = (0.05, 0.1, 0.2, 0.4, 0.8)
    """Waits between attempts while another holder has the lease (then 0.8 s each)."""

    def __init__(
        self,
        project: str | None,
        database: str = "(default)",
        collection: str = LEASE_COLLECTION,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._documents = Documents(
            project, database, collection, unavailable="the leases (Firestore) are unavailable"
        )
        self._sleep = sleep

    def acquire(self, keys: Sequence[str], holder: str, ttl: float, wait: float) -> bool:
        deadline = time.monotonic() + wait
        for attempt in range(10_000):
            if self._try(keys, holder, ttl):
                return True
            pause = self.POLL_SECONDS[min(attempt, len(self.POLL_SECONDS) - 1)]
            if time.monotonic() + pause > deadline:
                return False
            self._sleep(pause)
        return False

    def renew(self, keys: Sequence[str], holder: str, ttl: float) -> bool:
        """One transaction: every document still names `holder` (the fencing precondition), then
        each gets its new expiry. DeliveryUnavailableError when Firestore cannot say."""
        from google.cloud import firestore

        refs = [self._documents.ref(key) for key in keys]

        @firestore.transactional
        def extend(transaction: Any) -> bool:
            snapshots = [ref.get(transaction=transaction) for ref in refs]
            if any(not s.exists or (s.to_dict() or {}).get("holder") != holder for s in snapshots):
                return False
            expires = datetime.now(UTC) + timedelta(seconds=ttl)
            for ref in refs:
                transaction.set(ref, {"holder": holder, "expires": expires})
            return True

        with self._documents.unavailable_on_failure():
            renewed: bool = extend(self._documents.client().transaction())
        return renewed

    def release(self, keys: Sequence[str], holder: str) -> None:
        from google.cloud import firestore

        refs = [self._documents.ref(key) for key in keys]

        @firestore.transactional
        def give_back(transaction: Any) -> None:
            snapshots = [ref.get(transaction=transaction) for ref in refs]
            for ref, snapshot in zip(refs, snapshots, strict=True):
                if snapshot.exists and (snapshot.to_dict() or {}).get("holder") == holder:
                    transaction.delete(ref)

        with contextlib.suppress(Exception):  # an unreleased lease expires by itself after its ttl
            give_back(self._documents.client().transaction())

    def _try(self, keys: Sequence[str], holder: str, ttl: float) -> bool:
        from google.api_core import exceptions as gexc
        from google.cloud import firestore

        refs = [self._documents.ref(key) for key in keys]

        @firestore.transactional
        def take(transaction: Any) -> bool:
            now = datetime.now(UTC)
            snapshots = [ref.get(transaction=transaction) for ref in refs]
            for snapshot in snapshots:
                data = (snapshot.to_dict() or {}) if snapshot.exists else {}
                expires = data.get("expires")
                if (
                    data.get("holder") not in (None, holder)
                    and isinstance(expires, datetime)
                    and expires > now
                ):
                    return False
            for ref in refs:
                transaction.set(ref, {"holder": holder, "expires": now + timedelta(seconds=ttl)})
            return True

        with self._documents.unavailable_on_failure():
            try:
                taken: bool = take(self._documents.client().transaction())
            except (gexc.Aborted, gexc.Conflict, ValueError):
                return False  # another instance wrote the same documents meanwhile: try again
        return taken
