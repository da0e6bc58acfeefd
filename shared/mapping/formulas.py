"""Answers that a spreadsheet would take for a formula, stored in Ogust as plain text.

Ogust shows text as text, but its data ends up in spreadsheets (an export of the customer list, a
CSV opened in Excel or LibreOffice), where a cell starting with `=`, `+`, `-` or `@` (or a tab or a
carriage return) is run as a formula: `=HYPERLINK("http://…", "Cliquez")` in a last name becomes
a link, `=WEBSERVICE(…)` a request. Ogust has no documented way to mark a value as text, so such a
value gets the spreadsheets' own text marker, a leading apostrophe (`'=HYPERLINK(…)`), which stays
visible in Ogust and tells the office what happened. A plain number or phone number (`-5`, `+33 6 12
34 56 78`) is no formula anywhere that matters and is left as it is. Neutralising is idempotent: a
neutralised value starts with `'` and is left alone the next time, so a replay writes nothing.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet cell a formula (OWASP's list for CSV injection)."""

TEXT_MARKER = "'"

_NUMBER_LIKE = re.compile(r"[+-]?[\d\s.,()/]*\d[\d\s.,()/]*")
"""A signed number or a phone number: digits, spaces and the usual separators only."""


def as_text(value: str) -> str:
    """`value`, with a leading apostrophe when a spreadsheet would run it as a formula."""
    if not value.startswith(FORMULA_STARTS) or _NUMBER_LIKE.fullmatch(value):
        return value
    return TEXT_MARKER + value
