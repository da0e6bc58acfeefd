"""The stores of one test, in this process or in the Firestore emulator (a project of their own),
for the contract suites that must hold on both (`tests/emulators/delivery/stores/`)."""

from __future__ import annotations

from shared.delivery.watermarks import FirestoreWatermarks, MemoryWatermarks
from shared.exactly_once._doubts import FirestoreDoubts, MemoryDoubts
from shared.exactly_once._leases import FirestoreLeases, MemoryLeases
from shared.exactly_once._ledger import FirestoreLedger, MemoryLedger

KINDS = ("memory", "firestore")


class Stores:
    """Leases, doubts, the ledger and the watermarks of one kind. In memory every call returns the
    same object; in Firestore each call is a new client of the same documents, as another instance
    of the function would be."""

    def __init__(self, kind: str, project: str | None) -> None:
        self.kind = kind
        self.project = project
        self._memory_leases = MemoryLeases()
        self._memory_doubts = MemoryDoubts()
        self._memory_ledger = MemoryLedger()
        self._memory_watermarks = MemoryWatermarks()

    def leases(self) -> MemoryLeases | FirestoreLeases:
        return self._memory_leases if self.project is None else FirestoreLeases(self.project)

    def doubts(self) -> MemoryDoubts | FirestoreDoubts:
        return self._memory_doubts if self.project is None else FirestoreDoubts(self.project)

    def ledger(self) -> MemoryLedger | FirestoreLedger:
        return self._memory_ledger if self.project is None else FirestoreLedger(self.project)

    def watermarks(self) -> MemoryWatermarks | FirestoreWatermarks:
        return self._memory_watermarks if self.project is None else FirestoreWatermarks(self.project)
