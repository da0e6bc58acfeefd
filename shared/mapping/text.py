"""How two texts are taken for the same: answers, titles, labels, names and lookup values.

`fold`: Unicode compatibility forms (NFKC: fullwidth `＠`, decomposed accents, ligatures), invisible
format characters removed (zero-width spaces, BOM, soft hyphens), runs of any white space folded,
ends trimmed, case folded.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_SPACES = re.compile(r"\s+")


def squash(value: str) -> str:
    """Strip the ends and fold runs of white space (non-breaking and the like included) to one space."""
    return _SPACES.sub(" ", value).strip()


def visible(value: str) -> str:
    """Without the invisible format characters (category Cf), then NFKC."""
    # In this order: a zero-width space between a letter and its accent must not keep them apart.
    text = "".join(c for c in value if unicodedata.category(c) != "Cf")
    return unicodedata.normalize("NFKC", text)


@functools.lru_cache(maxsize=8192)
def fold(value: str) -> str:
    """The form in which two texts are taken for the same (see the module docstring)."""
    return squash(visible(value)).casefold()
