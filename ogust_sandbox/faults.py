"""Faults a test can inject: latency, HTTP statuses, KO answers, dropped connections, raw bodies,
slow answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import sandbox_kit

FaultKind = Literal["status", "ko", "drop", "raw", "slow"]
KINDS: tuple[FaultKind, ...] = ("status", "ko", "drop", "raw", "slow")


@dataclass
class Fault(sandbox_kit.Fault):
    """An Ogust fault; `apply` = do the work first.

    `status` is the HTTP status of a status, KO or raw fault (a KO with HTTP 500: docs/ogust-api.md §9);
    `ms` is how long a slow fault waits before answering (after the work, with `apply`).
    """

    kind: FaultKind
    status: int = 200
    message: str = ""
    body: str = ""
    apply: bool = False
    ms: int = 0


class Faults(sandbox_kit.PendingFaults[Fault]):
    """The pending faults and the latency, shared by the server threads."""

    kinds = KINDS

    def __init__(self) -> None:
        super().__init__()
        self.latency_ms = 0

    def clear(self) -> None:
        """No more faults, no latency."""
        super().clear()
        self.latency_ms = 0

    def snapshot(self) -> dict[str, Any]:
        """The faults as JSON-ready data."""
        return {"latency_ms": self.latency_ms, "pending": self.pending()}


def fault_from_json(spec: dict[str, Any]) -> Fault:
    """Build a fault from the control API's JSON (`{"fault": "status", "status": 503, ...}`)."""
    return sandbox_kit.fault_from_json(Fault, KINDS, spec)
