"""Faults a test can inject into the fake Forms API: an HTTP error (with Google's error body), a
dropped connection, or latency — for the next calls of one method, after letting some through."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import sandbox_kit

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
class Fault(sandbox_kit.Fault):
    """A Forms API fault: `status` and `message` of a status fault, `ms` of a latency one."""

    kind: FaultKind
    status: int = 503
    message: str = ""
    ms: int = 0


class Faults(sandbox_kit.PendingFaults[Fault]):
    """The pending faults of the fake Forms API."""

    kinds = KINDS
    methods = METHODS

    def snapshot(self) -> list[dict[str, Any]]:
        """The faults as JSON-ready data."""
        return self.pending()


def fault_from_json(spec: dict[str, Any]) -> Fault:
    """A fault from the control API's JSON (`{"fault": "status", "status": 503, "method": ...}`)."""
    return sandbox_kit.fault_from_json(Fault, KINDS, spec)
