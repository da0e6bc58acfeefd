"""Who a person is: the one canonical key of a lookup value.

`identity_key` is what search, comparison, the ledger, the leases and the Pub/Sub ordering key all
use: an e-mail folded and checked (`canonical_email`), a phone in its national form, anything else
folded (`shared.mapping.text.fold`). Two spellings of one person give one key.
`search_spellings` goes the other way: the spellings Ogust may hold for a key, to search by.
"""

from __future__ import annotations

import hashlib
import re

from shared.mapping.formats import canonical_email, normalise_phone
from shared.mapping.text import fold, squash, visible
from shared.ogust import Target

HASHED_KEY_LENGTH = 32
"""Hex characters of sha256 kept: 128 bits, no collision in practice, short in a console."""


def hashed_key(*parts: str) -> str:
    """A short sha256 hex of `parts`: the ids of the ledger's, the leases' and the queue's records
    of a person or a response, which must not carry the values themselves."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:HASHED_KEY_LENGTH]


def person_scope(entity: str) -> tuple[str, ...]:
    """What a person's lease and ledger keys start with: a customer and a candidate with the same
    e-mail are different records, so their keys differ. Customers keep the keys they always had
    (leases and ledger records already in Firestore are under them)."""
    return ("person",) if entity == "customer" else ("person", entity)


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


PHONE_SPELLINGS = ("compact", "spaced")
"""How a French number may be stored in Ogust and must therefore be searched: `0612345678`, and
`06 12 34 56 78` as people type it in Ogust's screens (an exact or LIKE search of one would miss
the other). Each spelling is one more search, so only these two by default."""


def search_spellings(target: Target, value: str) -> list[str]:
    """What to ask Ogust's search for: the canonical value (an address folded, invisible characters
    out), and for a phone each spelling Ogust may hold; the comparison stays exact on our side."""
    if target.is_phone:
        national = canonical_phone(value)
        if national is None:
            return [squash(visible(value))]
        spaced = " ".join(national[i : i + 2] for i in range(0, len(national), 2))
        spelt = {"compact": national, "spaced": spaced if len(national) == 10 else national}
        return list(dict.fromkeys(spelt[name] for name in PHONE_SPELLINGS))
    if target.is_email:
        return [canonical_email(value) or squash(visible(value))]
    return [squash(visible(value))]
