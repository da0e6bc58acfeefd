"""Faults a test can inject: latency, HTTP statuses, KO answers, dropped connections, raw bodies,
slow answers."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import Any, Literal

FaultKind = Literal["status", "ko", "drop", "raw", "slow"]
KINDS: tuple[FaultKind, ...] = ("status", "ko", "drop", "raw", "slow")


@dataclass
class Fault:
    """The next `count` calls (of `method` only, if set) misbehave; `apply` = do the work first.

    `status` is the HTTP status of a status, KO or raw fault (a KO with HTTP 500: reference §9);
    `ms` is how long a slow fault waits before answering (after the work, with `apply`).
    """

    kind: FaultKind
    count: int = 1
    method: str | None = None
    status: int = 200
    message: str = ""
    body: str = ""
    apply: bool = False
    ms: int = 0

    def matches(self, method: str) -> bool:
        """Whether this fault applies to a call of `method` (case-insensitive)."""
        return self.method is None or self.method.lower() == method.lower()


class Faults:
    """The pending faults and the latency, shared by the server threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: list[Fault] = []
        self.latency_ms = 0

    def add(self, fault: Fault) -> None:
        """Queue a fault; faults are used in the order they were added."""
        if fault.kind not in KINDS or fault.count < 1:
            raise ValueError(f"invalid fault: {fault}")
        with self._lock:
            self._pending.append(fault)

    def take(self, method: str) -> Fault | None:
        """The fault for this call, if any, counting it as used."""
        with self._lock:
            for fault in self._pending:
                if fault.matches(method):
                    fault.count -= 1
                    if fault.count == 0:
                        self._pending.remove(fault)
                    return fault
        return None

    def clear(self) -> None:
        """No more faults, no latency."""
        with self._lock:
            self._pending.clear()
            self.latency_ms = 0

    def snapshot(self) -> dict[str, Any]:
        """The faults as JSON-ready data."""
        with self._lock:
            return {"latency_ms": self.latency_ms, "pending": [asdict(fault) for fault in self._pending]}


def fault_from_json(spec: dict[str, Any]) -> Fault:
    """Build a fault from the control API's JSON (`{"fault": "status", "status": 503, ...}`)."""
    kind = spec.get("fault")
    if kind not in KINDS:
        raise ValueError(f"unknown fault {kind!r}; expected one of {', '.join(KINDS)}")
    method = spec.get("method")
    return Fault(
        kind=kind,
        count=int(spec.get("count", 1)),
        method=None if method is None else str(method),
        status=int(spec.get("status", 200)),
        message=str(spec.get("message", "")),
        body=str(spec.get("body", "")),
        apply=bool(spec.get("apply", False)),
        ms=int(spec.get("ms", 0)),
    )
