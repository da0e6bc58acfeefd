"""The fake Sheets API reads A1 ranges as Google does: column letters both ways, quoted tab names."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sheets_sandbox.store import Span, column_index, column_letters, parse_range

TITLES = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20).filter(
    lambda t: t.strip() == t and "!" not in t
)


@given(st.integers(min_value=0, max_value=18_277))
def test_column_letters_and_index_are_inverse(index: int) -> None:
    assert column_index(column_letters(index)) == index


@given(TITLES, st.integers(0, 700), st.integers(1, 5000), st.integers(0, 30))
def test_a_quoted_tab_name_and_a_rectangle_are_read_back(title: str, col: int, row: int, height: int) -> None:
    quoted = "'" + title.replace("'", "''") + "'"
    text = f"{quoted}!{column_letters(col)}{row}:{column_letters(col + 2)}{row + height}"
    assert parse_range(text) == Span(title, row - 1, row + height, col, col + 3)


def test_open_ended_columns_and_a_bare_tab() -> None:
    assert parse_range("'Suivi Ogust'!A2:H") == Span("Suivi Ogust", 1, None, 0, 8)
    assert parse_range("Feuille d'été!A:C") == Span("Feuille d'été", 0, None, 0, 3)
    assert parse_range("'L''Haÿ'") == Span("L'Haÿ", 0, None, 0, None)
