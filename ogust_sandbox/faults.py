"""Faults a test can inject: latency, HTTP statuses, KO answers, dropped connections, raw bodies,
slow answers."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Literal

import sandbox_kit

FaultKind = Literal["status", "ko", "drop", "raw", "slow"]
KINDS: tuple[FaultKind, ...] = ("status", "ko", "drop", "raw", "slow")


@dataclass
class Fault(sandbox_kit.Fault):
    """An Ogust fault; `apply` = do the work first.

    `status` is the HTTP status of a status, KO or raw fault (a KO with HTTP 500: docs/ogust-api.md §9);
    `ms` is how long a slow fault waits before answering (after the work, with `apply`); a `held`
    one waits until the test releases it (`Faults.release_held`), `ms` being then only a limit, so
    a call lands at the moment the test chooses, not after a delay the machine's load may outrun.
    """

    kind: FaultKind
    status: int = 200
    message: str = ""
    body: str = ""
    apply: bool = False
    ms: int = 0
    held: bool = False


class _Gate:
    """Where the calls of one held fault wait: released (they go on) or cancelled (dropped)."""

    def __init__(self) -> None:
        self.opened = threading.Event()
        self.cancelled = False


class Faults(sandbox_kit.PendingFaults[Fault]):
    """The pending faults and the latency, shared by the server threads."""

    kinds = KINDS

    def __init__(self) -> None:
        super().__init__()
        self.latency_ms = 0
        self._gates: list[tuple[Fault, _Gate]] = []

    def add(self, fault: Fault) -> None:
        super().add(fault)
        if fault.held:
            with self._lock:
                self._gates.append((fault, _Gate()))

    def clear(self) -> None:
        """No more faults, no latency; the calls still held are dropped unapplied (a reset must not
        see a write of the test before land in the next one's store)."""
        super().clear()
        self.latency_ms = 0
        with self._lock:
            gates, self._gates = self._gates, []
        for _, gate in gates:
            gate.cancelled = True
            gate.opened.set()

    def wait(self, fault: Fault) -> bool:
        """A slow fault's wait: `ms`, or until `release_held` (at most `ms`) for a held one; False
        when the held call was cancelled by `clear` meanwhile (it must then do nothing)."""
        if not fault.held:
            time.sleep(fault.ms / 1000)
            return True
        with self._lock:
            gate = next((g for f, g in self._gates if f is fault), None)
        if gate is None:  # its faults were cleared before it got here
            return False
        gate.opened.wait(fault.ms / 1000)
        return not gate.cancelled

    def release_held(self) -> None:
        """Let the calls of every held fault added so far go on, those already waiting and those
        still to come (a fault added later holds until the next release)."""
        with self._lock:
            for _, gate in self._gates:
                gate.opened.set()

    def snapshot(self) -> dict[str, Any]:
        """The faults as JSON-ready data."""
        return {"latency_ms": self.latency_ms, "pending": self.pending()}


def fault_from_json(spec: dict[str, Any]) -> Fault:
    """Build a fault from the control API's JSON (`{"fault": "status", "status": 503, ...}`)."""
    return sandbox_kit.fault_from_json(Fault, KINDS, spec)
