"""Faults a test can inject into the fake Forms API: an HTTP error (with Google's error body), a
dropped connection, or latency — for the next calls of one method, after letting some through."""

from __future__ import annotations

from sandbox_kit import PendingFaults
from sandbox_kit.google import FAULT_KINDS, GoogleFault

Fault = GoogleFault
"""A Forms API fault: `status` and `message` of a status fault, `ms` of a latency one."""

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


class Faults(PendingFaults[GoogleFault]):
    """The pending faults of the fake Forms API."""

    kinds = FAULT_KINDS
    methods = METHODS
