"""The sync engine: plan → search → decide → execute; it knows forms and Ogust but does no HTTP itself.

`prepare` (a submission) and `prepare_plan` (a plan, with the ledger's `Newer`) read and decide;
the `Preview` they return says what would be written (`action.writes`, `differences()`);
`execute` performs it and returns the `Outcome`. `records_for` is the view of the Ogust client a
form writes through (customers, or workers), which `Customers` describes.
"""

from shared.engine.process import (
    Customers,
    Newer,
    Outcome,
    execute,
    prepare,
    prepare_plan,
    records_for,
)

__all__ = [
    "Customers",
    "Newer",
    "Outcome",
    "execute",
    "prepare",
    "prepare_plan",
    "records_for",
]
