"""Who a person is: the one canonical key of a lookup value.

`identity_key` is what search, comparison, the ledger, the leases and the Pub/Sub ordering key all
use: an e-mail folded and checked (`canonical_email`), a phone in its national form, anything else
folded (`shared.mapping.text.fold`). Two spellings of one person give one key.
"""

from __future__ import annotations

import re

from shared.mapping.formats import canonical_email, normalise_phone
from shared.mapping.text import fold, squash, visible
from shared.ogust import Target


def canonical_phone(value: str) -> str | None:
    """The national form of a phone number (E.164 for a foreign one), or None when it is not one."""
    return normalise_phone(squash(visible(value)))


def identity_key(target: Target, value: str) -> str:
    """The canonical key of a lookup value; never empty for a value with a letter or a digit."""
    if target.is_email:
        return canonical_email(value) or fold(value)
    if target.is_phone:
        return canonical_phone(value) or re.sub(r"\D", "", visible(value))
    return fold(value)
