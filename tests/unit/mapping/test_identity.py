"""One canonical identity: every spelling of a person's e-mail or phone gives one key (hypothesis)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.mapping import fold, identity_key
from shared.mapping.formats import canonical_email
from shared.mapping.identity import canonical_phone, search_spellings
from shared.mapping.plan import stored_identity
from shared.ogust import Target
from tests.support.email_spellings import ADDRESSES, INVISIBLE, SPACES, spelt_differently

EMAIL = Target("customer", "email")
MOBILE = Target("customer", "mobile_phone")


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.data(), ADDRESSES)
def test_every_spelling_of_an_address_is_one_key(data: st.DataObject, address: str) -> None:
    expected = canonical_email(address)
    assert expected is not None
    variant = data.draw(spelt_differently(address))
    assert canonical_email(variant) == expected
    assert identity_key(EMAIL, variant) == identity_key(EMAIL, address) == expected


@given(ADDRESSES, ADDRESSES)
def test_two_addresses_keep_two_keys(a: str, b: str) -> None:
    if fold(a) != fold(b):
        assert identity_key(EMAIL, a) != identity_key(EMAIL, b)


@given(st.text(alphabet=st.characters(exclude_characters="@＠﹫")))
def test_text_without_an_at_sign_is_no_address(text: str) -> None:
    assert canonical_email(text) is None


@given(st.lists(st.one_of(INVISIBLE, SPACES)))
def test_invisible_text_is_no_address_and_folds_to_nothing(parts: list[str]) -> None:
    text = "".join(parts)
    assert canonical_email(text) is None
    assert fold(text) == ""


MOBILES = st.builds(
    lambda prefix, rest: f"{prefix}{rest:07d}",
    st.sampled_from(["061", "062", "065", "078", "079"]),  # assigned French mobile ranges
    st.integers(0, 9_999_999),
)
STYLES = ["compact", "spaced", "dotted", "dashed", "international", "00", "fullwidth"]


@given(MOBILES, st.sampled_from(STYLES))
def test_every_spelling_of_a_mobile_number_is_one_key(number: str, style: str) -> None:
    pairs = [number[i : i + 2] for i in range(0, 10, 2)]
    spelt = {
        "compact": number,
        "spaced": " ".join(pairs),
        "dotted": ".".join(pairs),
        "dashed": "-".join(pairs),
        "international": "+33 " + number[1] + " " + " ".join(pairs[1:]),
        "00": "0033" + number[1:],
        "fullwidth": "".join(chr(ord(c) + 0xFEE0) for c in number),
    }[style]
    assert canonical_phone(spelt) == number
    assert identity_key(MOBILE, "\u00a0" + spelt + "\u200b") == number


@pytest.mark.parametrize(
    "variant",
    [
        "Marie-Helene.Darnoux@Exemple.fr",
        "marie-helene.darnoux＠exemple.fr",
        "marie-helene.darnoux@\u200bexemple.fr",
        "\ufeffmarie-helene.darnoux@exemple.fr",
        "marie-helene.darnoux@exemple.fr.",
        " marie-helene.darnoux@exemple.fr\u00a0",
    ],
    ids=["case", "fullwidth-at", "zero-width-space", "bom", "final-dot", "nbsp"],
)
def test_the_spellings_seen_in_the_wild(variant: str) -> None:
    assert identity_key(EMAIL, variant) == "marie-helene.darnoux@exemple.fr"


def test_decomposed_and_composed_accents_are_one_name() -> None:
    name = Target("customer", "last_name")
    assert identity_key(name, unicodedata.normalize("NFD", "Lefèvre")) == identity_key(name, "LEFÈVRE")


@pytest.mark.parametrize(
    "text", ["pas une adresse", "a@b", "zoé@", "@exemple.fr", "a..b@exemple.fr", "a@b_c.fr"]
)
def test_what_is_not_an_address(text: str) -> None:
    assert canonical_email(text) is None


@given(st.data(), ADDRESSES, MOBILES)
def test_the_identity_stored_is_the_canonical_key_and_stays_it(
    data: st.DataObject, address: str, number: str
) -> None:
    # What a lookup e-mail or phone is written as: its own key, so that searching it finds it again.
    email = data.draw(spelt_differently(address))
    stored = stored_identity(EMAIL, email)
    assert stored == identity_key(EMAIL, email) == canonical_email(address)
    assert stored_identity(EMAIL, stored) == stored
    phone = data.draw(
        st.sampled_from([number, " ".join(number[i : i + 2] for i in range(0, 10, 2)), "+33" + number[1:]])
    )
    assert stored_identity(MOBILE, phone) == identity_key(MOBILE, phone) == number


LAST_NAME = Target("customer", "last_name")


@given(st.data(), ADDRESSES, MOBILES)
def test_every_spelling_searched_is_the_same_person(data: st.DataObject, address: str, number: str) -> None:
    # The search asks Ogust for these; the match is then exact on the key: a spelling searched
    # whose key differed would find a customer and never match it.
    pairs = " ".join(number[i : i + 2] for i in range(0, 10, 2))
    for target, value in (
        (EMAIL, data.draw(spelt_differently(address))),
        (
            MOBILE,
            data.draw(st.sampled_from([number, pairs, "+33 " + number[1:], "\u00a0" + number + "\u200b"])),
        ),
        (LAST_NAME, data.draw(st.text())),
    ):
        spellings = search_spellings(target, value)
        assert spellings
        assert {identity_key(target, s) for s in spellings} == {identity_key(target, value)}


@given(MOBILES)
def test_a_french_number_is_searched_compact_then_as_people_type_it(number: str) -> None:
    pairs = " ".join(number[i : i + 2] for i in range(0, 10, 2))
    assert search_spellings(MOBILE, "+33 " + number[1:]) == [number, pairs]


@given(st.text())
def test_any_text_is_searched_once_whatever_it_is(text: str) -> None:
    assert len(search_spellings(EMAIL, text)) == len(search_spellings(LAST_NAME, text)) == 1
    assert len(search_spellings(MOBILE, text)) in (1, 2)
