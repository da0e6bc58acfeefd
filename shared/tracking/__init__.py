"""What the agency's office staff sees of each answer, in French: the tab "Suivi Ogust" of the
form's response spreadsheet (a view of the ledger), the resend box, the one notification per
refusal, and the message catalog those texts (and `--lang fr` of the CLI) come from.

    Tracker          attempted() after each attempt; sync() at each reconciliation (resend, rows, notices)
    state_of, motif  a ledger entry → its state and its reason, in French or English
    reason           an error's class and details → the plain-language reason
"""

from shared.tracking._catalog import LANGS, Lang, catalog, letter_reason, reason, text
from shared.tracking._states import STATES, State, motif, paris, state_label, state_of
from shared.tracking._tab import HEADER, ID_HEADER, TAB_TITLE, link
from shared.tracking._tracker import REFUSED_EVENT, TabRun, Tracker, person, row

__all__ = [
    "HEADER",
    "ID_HEADER",
    "LANGS",
    "REFUSED_EVENT",
    "STATES",
    "TAB_TITLE",
    "Lang",
    "State",
    "TabRun",
    "Tracker",
    "catalog",
    "letter_reason",
    "link",
    "motif",
    "paris",
    "person",
    "reason",
    "row",
    "state_label",
    "state_of",
    "text",
]
