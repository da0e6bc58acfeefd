"""The delivery stores of one test, in this process or in the Firestore emulator (a project of
their own), for contract tests that must hold on both (fixtures in conftest.py)."""

from __future__ import annotations

from shared.delivery import FirestoreDoubts, FirestoreLeases, MemoryDoubts, MemoryLeases

KINDS = ("memory", "firestore")


class Stores:
    """Leases and doubts of one kind; in Firestore each object is another instance's client of the
    same documents."""

    def __init__(self, kind: str, project: str | None) -> None:
        self.kind = kind
        self.project = project
        self._memory_leases = MemoryLeases()
        self._memory_doubts = MemoryDoubts()

    def leases(self) -> MemoryLeases | FirestoreLeases:
        return self._memory_leases if self.project is None else FirestoreLeases(self.project)

    def doubts(self) -> MemoryDoubts | FirestoreDoubts:
        return self._memory_doubts if self.project is None else FirestoreDoubts(self.project)
