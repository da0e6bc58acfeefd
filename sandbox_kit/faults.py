"""Faults a test injects into a fake: the pending ones, taken call by call in the order they were
added, and how the control API's JSON becomes one."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any, ClassVar, Generic, TypeVar


@dataclass
class Fault:
    """The next `count` calls of `method` (any when None), after `skip` of them passed, misbehave;
    each fake adds what its kinds need."""

    kind: str
    count: int = 1
    method: str | None = None
    skip: int = 0

    def matches(self, method: str) -> bool:
        """Whether this fault applies to a call of `method` (case-insensitive)."""
        return self.method is None or self.method.lower() == method.lower()


F = TypeVar("F", bound=Fault)


class PendingFaults(Generic[F]):
    """The pending faults, shared by the server threads; used in the order they were added."""

    kinds: ClassVar[Sequence[str]]
    methods: ClassVar[Sequence[str] | None] = None
    """The methods a fault may name (None: any)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: list[F] = []

    def add(self, fault: F) -> None:
        """Queue a fault; ValueError for one this fake cannot play."""
        if fault.kind not in self.kinds or fault.count < 1 or fault.skip < 0:
            raise ValueError(f"invalid fault: {fault}")
        if self.methods is not None and fault.method is not None and fault.method not in self.methods:
            raise ValueError(f"unknown method {fault.method!r}; expected one of {', '.join(self.methods)}")
        with self._lock:
            self._pending.append(fault)

    def take(self, method: str) -> F | None:
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
        """No more faults."""
        with self._lock:
            self._pending.clear()

    def pending(self) -> list[dict[str, Any]]:
        """The faults still to come, as JSON-ready data."""
        with self._lock:
            return [asdict(fault) for fault in self._pending]


def fault_from_json(cls: type[F], kinds: Sequence[str], spec: dict[str, Any]) -> F:
    """A fault of `cls` from the control API's JSON (`{"fault": "status", "status": 503, ...}`):
    each field the spec gives, as the type of the field's default."""
    kind = spec.get("fault")
    if kind not in kinds:
        raise ValueError(f"unknown fault {kind!r}; expected one of {', '.join(kinds)}")
    values: dict[str, Any] = {"kind": kind}
    for field in fields(cls):
        if field.name == "kind" or field.name not in spec:
            continue
        raw = spec[field.name]
        if field.name == "method":
            values["method"] = None if raw is None else str(raw)
        else:
            default: Any = field.default  # every field but `kind` has one: int, str or bool
            values[field.name] = type(default)(raw)
    return cls(**values)
