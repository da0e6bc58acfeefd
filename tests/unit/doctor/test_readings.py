"""The doctor's readings of what Ogust gives back: how each special character was stored, and the
prefix of a customer code (properties: whatever the account does, the reading says it)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from shared.doctor.codes import code_prefix, kinds_of, type_with_prefix
from shared.doctor.round_trip import SAMPLE_TEXT, SPECIALS, stored_forms

REPLACEMENTS = st.sampled_from(
    ["", "&#039;", "&quot;", "&amp;", "&lt;", "?", "\\r\\n", " ", "&#128522;", "<br />"]
)


@given(st.lists(REPLACEMENTS, min_size=len(SPECIALS), max_size=len(SPECIALS)))
def test_each_special_is_read_back_as_what_the_account_made_of_it(replacements: list[str]) -> None:
    # The text as an account storing each special as `replacement` would give it back.
    parts = [
        before + repl + after for (_, before, _, after), repl in zip(SPECIALS, replacements, strict=True)
    ]
    back = SAMPLE_TEXT.split(" : ", 1)[0] + " : " + " ; ".join(parts)
    found = {s.name: s.back for s in stored_forms(back)}
    assert found == {
        name: replacement for (name, _, _, _), replacement in zip(SPECIALS, replacements, strict=True)
    }


def test_a_text_kept_as_sent_reads_kept_and_a_cut_one_reads_none_past_the_cut() -> None:
    assert all(s.back == s.sent for s in stored_forms(SAMPLE_TEXT))
    cut = stored_forms(SAMPLE_TEXT[:40])
    assert cut[-1].back is None


@given(st.integers(0, 10**7))
def test_prospect_and_client_codes_are_told_by_their_prefix(number: int) -> None:
    assert code_prefix(f"00{number:05d}") == "00"
    assert code_prefix(f"CLI{number:05d}") == "CLI"
    assert code_prefix(f"cli{number}") == "CLI"
    assert code_prefix(f"1{number}") == "digits"


def test_a_type_is_named_only_when_all_its_codes_share_the_prefix() -> None:
    records = [
        {"type": "R", "code": "0000012"},
        {"type": "R", "code": "0000013"},
        {"type": "C", "code": "CLI00001"},
        {"type": "X", "code": "CLI00002"},
        {"type": "X", "code": "0000014"},
    ]
    kinds = kinds_of(records)
    assert type_with_prefix(kinds, "00") == "R"
    assert type_with_prefix(kinds, "CLI") == "C"
    assert (
        type_with_prefix(kinds_of([*records, {"type": "C2", "code": "CLI9"}]), "CLI") is None
    )  # two: no guess
