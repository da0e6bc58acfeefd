"""E-mail addresses as hypothesis draws them: French letters in the local part, accented domains, and
the same address spelt as a person, a phone keyboard or a spreadsheet may type it."""

from __future__ import annotations

import unicodedata

from hypothesis import strategies as st

LETTERS = "a-zàâçéèêëîïôûùüÿœ0-9"
LOCAL = st.from_regex(rf"[{LETTERS}]([{LETTERS}._+-]{{0,20}}[{LETTERS}])?", fullmatch=True).filter(
    lambda s: ".." not in s
)
DOMAIN = st.from_regex(r"[a-zé0-9]([a-zé0-9-]{0,10}[a-zé0-9])?(\.[a-z]{2,6}){1,2}", fullmatch=True)
ADDRESSES = st.builds(lambda local, domain: f"{local}@{domain}", LOCAL, DOMAIN)
INVISIBLE = st.sampled_from(["\u200b", "\ufeff", "\u200d", "\u00ad", "\u2060"])
SPACES = st.sampled_from([" ", "\u00a0", "\u202f", "\t", "\u3000", "\n"])


@st.composite
def spelt_differently(draw: st.DrawFn, address: str) -> str:
    """The same address as a person, a phone keyboard or a spreadsheet may type it."""
    chars = [c.upper() if draw(st.booleans()) else c for c in address]
    text = "".join(chars)
    if draw(st.booleans()):
        text = text.replace("@", "＠")  # a fullwidth at sign (Japanese or Chinese keyboard)
    if draw(st.booleans()):
        text = unicodedata.normalize("NFD", text)  # accents as combining marks (macOS copy-paste)
    for _ in range(draw(st.integers(0, 3))):
        where = draw(st.integers(0, len(text)))
        text = text[:where] + draw(INVISIBLE) + text[where:]
    if draw(st.booleans()):
        text += "."  # a final dot on the domain
    return draw(SPACES) * draw(st.integers(0, 2)) + text + draw(SPACES) * draw(st.integers(0, 2))
