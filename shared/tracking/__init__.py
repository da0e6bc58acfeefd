"""What the agency's office staff sees of each answer, in French: the tab "Suivi Ogust" of the
form's response spreadsheet (a view of the ledger), the resend box, the one notification per
refusal, and the message catalog those texts (and `--lang fr` of the CLI) come from.

    Tracker          attempted() after each attempt; sync() at each reconciliation (resend, rows, notices)
    Standing         a ledger entry → its state and its reason (motif), in French or English
    letter_reason    a dead letter's attributes → the plain-language reason
    text             one message of the catalog (the CLI's --lang fr speaks with it)

The surface is what the functions and the command-line tool use; the tests import the pieces
(state_of, motif, reason, the tab's rows) from their modules.
"""

from shared.tracking._catalog import Lang, letter_reason, text
from shared.tracking._states import Standing
from shared.tracking._tab import HEADER, TAB_TITLE
from shared.tracking._tracker import Tracker

__all__ = [
    "HEADER",
    "TAB_TITLE",
    "Lang",
    "Standing",
    "Tracker",
    "letter_reason",
    "text",
]
