"""What the local fakes (ogust_sandbox, forms_sandbox, sheets_sandbox) share: a development tool,
never deployed. `sandbox_kit.google` holds what the fakes of Google APIs share."""

from sandbox_kit.background import Background, wait_for_ctrl_c
from sandbox_kit.faults import Fault, PendingFaults, fault_from_json
from sandbox_kit.server import FakeHandler, FakeServer

__all__ = [
    "Background",
    "FakeHandler",
    "FakeServer",
    "Fault",
    "PendingFaults",
    "fault_from_json",
    "wait_for_ctrl_c",
]
