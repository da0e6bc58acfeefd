"""The sync engine: plan → search → decide → execute; it knows forms and Ogust but does no HTTP itself."""

from shared.engine.decide import Action, Create, Skip, Unchanged, Update, decide
from shared.engine.process import (
    Customers,
    Newer,
    Outcome,
    Preview,
    execute,
    find_customer,
    prepare,
    prepare_plan,
    process,
    process_plan,
    records_for,
    search_spellings,
)

__all__ = [
    "Action",
    "Create",
    "Customers",
    "Newer",
    "Outcome",
    "Preview",
    "Skip",
    "Unchanged",
    "Update",
    "decide",
    "execute",
    "find_customer",
    "prepare",
    "prepare_plan",
    "process",
    "process_plan",
    "records_for",
    "search_spellings",
]
