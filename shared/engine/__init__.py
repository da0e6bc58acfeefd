"""The sync engine: decide and process; it knows forms and Ogust but does no HTTP of its own."""

from shared.engine.decide import Action, Create, Unchanged, Update, decide
from shared.engine.process import Customers, Outcome, execute, find_customer, process

__all__ = [
    "Action",
    "Create",
    "Customers",
    "Outcome",
    "Unchanged",
    "Update",
    "decide",
    "execute",
    "find_customer",
    "process",
]
