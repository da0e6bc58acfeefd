"""Faults a test can inject into the fake Forms API: an HTTP error (with Google's error body), a
dropped connection, or latency — for the next calls of one method, after letting some through."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import Any, Literal

FaultKind = Literal["status", "drop", "latency"]
KINDS: tuple[FaultKind, ...] = ("status", "drop", "latency")

METHODS = (
    "forms.get",
    "forms.responses.list",
    "forms.responses.get",
    "forms.watches.create",
    "forms.watches.list",
    "forms.watches.renew",
    "forms.watches.delete",
)
"""The Forms API methods the fake serves, as the REST reference names them."""


@dataclass
class Fault:
    """The next `count` calls of `method` (any when None), after `skip` of them passed, misbehave."""

    kind: FaultKind
    count: int = 1
    method: str | None = None
    skip: int = 0
    status: int = 503
    message: str = ""
    ms: int = 0

    def matches(self, method: str) -> bool:
        return self.method is None or self.method == method


class Faults:
    """The pending faults, shared by the server threads; used in the order they were added."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: list[Fault] = []

    def add(self, fault: Fault) -> None:
        if fault.kind not in KINDS or fault.count < 1 or fault.skip < 0:
            raise ValueError(f"invalid fault: {fault}")
        if fault.method is not None and fault.method not in METHODS:
            raise ValueError(f"unknown method {fault.method!r}; expected one of {', '.join(METHODS)}")
        with self._lock:
            self._pending.append(fault)

    def take(self, method: str) -> Fault | None:
        """The fault for this call, if any, counting it as used (or as skipped)."""
        with self._lock:
            for fault in self._pending:
                if not fault.matches(method):
                    continue
                if fault.skip:
                    fault.skip -= 1
                    return None
                fault.count -= 1
                if fault.count == 0:
                    self._pending.remove(fault)
                return fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._pending.clear()

    def snapshot(self) -> list[dict[str, Any]]:
        with self._lock:
            return [asdict(f) for f in self._pending]


def fault_from_json(spec: dict[str, Any]) -> Fault:
    """A fault from the control API's JSON (`{"fault": "status", "status": 503, "method": ...}`)."""
    kind = spec.get("fault")
    if kind not in KINDS:
        raise ValueError(f"unknown fault {kind!r}; expected one of {', '.join(KINDS)}")
    method = spec.get("method")
    return Fault(
        kind=kind,
        count=int(spec.get("count", 1)),
        method=None if method is None else str(method),
        skip=int(spec.get("skip", 0)),
        status=int(spec.get("status", 503)),
        message=str(spec.get("message", "")),
        ms=int(spec.get("ms", 0)),
    )
