"""Writes in doubt, the store's contract (in this process and in the Firestore emulator): a doubt is
found under every key of the person by another instance, doubts on one key merge, settling forgets
only what the settling search saw."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.support.stores import Stores

AT = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
MARIE = ["person:email:marie-helene", "person:mobile_phone:0612345678"]


def test_a_doubt_is_found_under_every_key_of_the_person_by_another_instance(stores: Stores) -> None:
    stores.doubts().record(MARIE, "create", "setCustomer", AT)
    found = stores.doubts().pending([*MARIE, "person:email:quelqu-un-d-autre"])
    assert sorted(d.key for d in found) == sorted(MARIE)
    assert {(d.kind, d.at, d.method) for d in found} == {("create", AT, "setCustomer")}


def test_doubts_on_one_key_merge_into_the_latest_time_and_the_stronger_kind(stores: Stores) -> None:
    doubts = stores.doubts()
    doubts.record(MARIE[:1], "create", "setCustomer", AT)
    doubts.record(MARIE[:1], "update", "setAddress", AT + timedelta(seconds=5))
    (doubt,) = stores.doubts().pending(MARIE)
    assert (doubt.kind, doubt.at, doubt.method) == ("create", AT + timedelta(seconds=5), "setAddress")


def test_settling_forgets_what_was_seen_and_keeps_a_later_doubt(stores: Stores) -> None:
    doubts = stores.doubts()
    doubts.record(MARIE[:1], "create", "setCustomer", AT)
    doubts.record(MARIE[1:], "update", "setAddress", AT + timedelta(seconds=10))
    stores.doubts().settle(MARIE, AT + timedelta(seconds=1))
    # The later doubt was recorded after the settling search began: it stays for the next delivery.
    assert [(d.key, d.kind) for d in stores.doubts().pending(MARIE)] == [(MARIE[1], "update")]
    stores.doubts().settle(MARIE, AT + timedelta(seconds=10))
    assert stores.doubts().pending(MARIE) == []
