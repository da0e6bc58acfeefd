"""Formula-looking answers are stored as text: a leading apostrophe, exactly when a spreadsheet
would run the value, never on a plain number or phone number, and never twice."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.mapping.formulas import FORMULA_STARTS, TEXT_MARKER, as_text


@pytest.mark.parametrize(
    ("answer", "stored"),
    [
        ('=HYPERLINK("http://exemple.fr";"Cliquez ici")', '\'=HYPERLINK("http://exemple.fr";"Cliquez ici")'),
        ("+SOMME(A1:A9)", "'+SOMME(A1:A9)"),
        ("-2+3", "'-2+3"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("- très bien, merci", "'- très bien, merci"),
        ("\t=1+1", "'\t=1+1"),
        ("+33 6 12 34 56 78", "+33 6 12 34 56 78"),
        ("-5", "-5"),
        ("-3,5", "-3,5"),
        ("d'Arnoux-Lefèvre", "d'Arnoux-Lefèvre"),
        ("L'Haÿ-les-Roses", "L'Haÿ-les-Roses"),
        ("'=déjà neutralisé", "'=déjà neutralisé"),
    ],
)
def test_a_value_a_spreadsheet_would_run_gets_an_apostrophe(answer: str, stored: str) -> None:
    assert as_text(answer) == stored


@given(st.text(max_size=40))
def test_no_stored_value_starts_a_formula_unless_it_is_a_plain_number(value: str) -> None:
    stored = as_text(value)
    assert stored in (value, TEXT_MARKER + value)
    if stored.startswith(FORMULA_STARTS):
        assert stored == value
        assert any(c.isdigit() for c in value)
        assert not any(c.isalpha() for c in value)


@given(st.text(max_size=40))
def test_neutralising_twice_is_neutralising_once(value: str) -> None:
    assert as_text(as_text(value)) == as_text(value)


@given(st.text(max_size=40).filter(lambda v: not v.startswith(FORMULA_STARTS)))
def test_any_other_value_is_left_exactly_as_it_is(value: str) -> None:
    assert as_text(value) == value
