"""The leases' contract, in this process and in the Firestore emulator: all or nothing, renewed by
their holder only, fenced (a holder whose lease was taken over is told so before it writes), given
back by their holder only, kept alive by the heartbeat."""

from __future__ import annotations

import threading
import time

import pytest

from shared.errors import DeliveryUnavailableError
from shared.exactly_once import held
from shared.exactly_once._leases import MemoryLeases
from tests.support.stores import Stores

MARIE = ["person:email:marie-helene", "person:mobile_phone:0612345678", "response:f:r1"]
PHONE = ["person:mobile_phone:0612345678"]


def test_leases_are_all_or_nothing_and_given_back_by_their_holder_only(stores: Stores) -> None:
    first, second = stores.leases(), stores.leases()
    assert first.acquire(MARIE, "a", ttl=60, wait=0)
    # The phone is shared: the second person cannot have any of its keys, not even the free one.
    assert not second.acquire([*PHONE, "person:email:jean-luc"], "b", ttl=60, wait=0)
    assert second.acquire(["person:email:jean-luc"], "b", ttl=60, wait=0)
    second.release(MARIE, "b")  # not b's: nothing happens
    assert not second.acquire(PHONE, "b", ttl=60, wait=0)
    first.release(MARIE, "a")
    assert second.acquire(PHONE, "b", ttl=60, wait=0)


def test_only_the_holder_renews_and_a_renewal_keeps_the_lease_past_its_first_expiry(stores: Stores) -> None:
    first, second = stores.leases(), stores.leases()
    assert first.acquire(MARIE, "a", ttl=1.0, wait=0)
    assert not second.renew(MARIE, "b", ttl=60)
    assert first.renew(MARIE, "a", ttl=60)
    time.sleep(1.2)  # past the first expiry, within the renewed one
    assert not second.acquire(PHONE, "b", ttl=60, wait=0)


def test_a_lease_taken_over_after_expiry_cannot_be_renewed_or_released_by_its_old_holder(
    stores: Stores,
) -> None:
    first, second = stores.leases(), stores.leases()
    assert first.acquire(MARIE, "a", ttl=0.5, wait=0)
    time.sleep(0.7)
    assert second.acquire(PHONE, "b", ttl=60, wait=0)
    assert not first.renew(MARIE, "a", ttl=60), "a's phone lease is b's now"
    first.release(MARIE, "a")
    assert not stores.leases().acquire(PHONE, "c", ttl=60, wait=0), "b still holds the phone"


def test_the_fence_renews_the_lease_or_says_it_was_taken_over(stores: Stores) -> None:
    with held(stores.leases(), MARIE, ttl=0.5, wait=0, heartbeat=False) as lease:
        lease.fence()  # still ours: renewed for another 0.5 s
        time.sleep(0.7)
        assert stores.leases().acquire(PHONE, "intrus", ttl=60, wait=0)
        with pytest.raises(DeliveryUnavailableError, match="taken over"):
            lease.fence()
        with pytest.raises(DeliveryUnavailableError, match="taken over"):
            lease.fence()  # lost for good
    # Leaving the block gave back only what was still ours: the phone stays the intruder's.
    assert stores.leases().acquire(MARIE[:1], "suivant", ttl=60, wait=0)
    assert not stores.leases().acquire(PHONE, "suivant", ttl=60, wait=0)


def test_the_heartbeat_keeps_a_long_delivery_s_lease(stores: Stores) -> None:
    with held(stores.leases(), MARIE, ttl=1.5, wait=0) as lease:
        time.sleep(4)  # more than twice the lease: only the heartbeat keeps it
        assert not stores.leases().acquire(PHONE, "b", ttl=60, wait=0)
        lease.fence()
    assert stores.leases().acquire(PHONE, "b", ttl=60, wait=0)


def test_a_kept_lease_is_left_to_expire(stores: Stores) -> None:
    with held(stores.leases(), MARIE, ttl=1.0, wait=0, heartbeat=False) as lease:
        lease.keep()
    assert not stores.leases().acquire(PHONE, "b", ttl=60, wait=0)
    assert stores.leases().acquire(PHONE, "b", ttl=60, wait=3)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_memory_leases_expire_on_their_clock() -> None:
    # Memory only: its clock can be moved; the Firestore store's expiry is tested above in real time.
    clock = Clock()
    leases = MemoryLeases(clock=clock)
    assert leases.acquire(["phone"], "a", ttl=60, wait=0)
    assert not leases.acquire(["email-b", "phone"], "b", ttl=60, wait=0)
    assert leases.acquire(["email-b"], "c", ttl=60, wait=0), "b took nothing when it could not take all"
    clock.now = 61
    assert leases.acquire(["phone"], "b", ttl=60, wait=0), "a crashed holder's lease expires"
    leases.release(["phone"], "a")  # a late release by the old holder leaves b's lease alone
    assert not leases.acquire(["phone"], "d", ttl=60, wait=0)


def test_a_waiter_gets_the_lease_as_soon_as_it_is_released(stores: Stores) -> None:
    assert stores.leases().acquire(["person"], "first", ttl=60, wait=0)
    got: list[bool] = []
    waiter = threading.Thread(
        target=lambda: got.append(stores.leases().acquire(["person"], "second", ttl=60, wait=30))
    )
    waiter.start()
    stores.leases().release(["person"], "first")
    waiter.join(timeout=30)
    assert got == [True]
