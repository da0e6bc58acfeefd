"""`guard_from`: the one guard the settings describe — where its stores live (LEDGER, the project
and database) and how long its leases and writes in doubt last — for the functions and a backfill."""

from __future__ import annotations

from pathlib import Path

from shared.config import Settings
from shared.delivery import watermarks_in
from shared.delivery.watermarks import FirestoreWatermarks, MemoryWatermarks
from shared.exactly_once import guard_from
from shared.exactly_once._doubts import FirestoreDoubts, MemoryDoubts, grace_seconds
from shared.exactly_once._leases import FirestoreLeases, MemoryLeases
from shared.exactly_once._ledger import FirestoreLedger, MemoryLedger

MAPPING = Path("mapping.yaml")


def test_a_memory_ledger_keeps_every_store_in_this_process_with_the_settings_timings() -> None:
    settings = Settings(ogust_api_url="", mapping_file=MAPPING, lease_seconds=240.0, ogust_timeout=5.0)
    assert settings.firestore is None
    guard = guard_from(settings)
    assert isinstance(guard.ledger, MemoryLedger)
    assert isinstance(guard.leases, MemoryLeases)
    assert isinstance(guard.doubts, MemoryDoubts)
    assert isinstance(watermarks_in(settings.firestore), MemoryWatermarks)
    assert guard.lease_ttl == 240.0
    assert guard.doubt_grace == grace_seconds(5.0)


def test_ledger_firestore_keeps_every_store_in_the_project_s_database() -> None:
    settings = Settings(
        ogust_api_url="",
        mapping_file=MAPPING,
        project="agence-du-val",
        ledger="firestore",
        firestore_database="forms-to-ogust",
        ogust_write_grace=42.0,
    )
    assert settings.firestore == ("agence-du-val", "forms-to-ogust")
    guard = guard_from(settings)  # the clients are created on first use: no call here
    assert isinstance(guard.ledger, FirestoreLedger)
    assert isinstance(guard.leases, FirestoreLeases)
    assert isinstance(guard.doubts, FirestoreDoubts)
    assert isinstance(watermarks_in(settings.firestore), FirestoreWatermarks)
    assert guard.doubt_grace == 42.0  # OGUST_WRITE_GRACE_SECONDS, when set, rather than the derived one
