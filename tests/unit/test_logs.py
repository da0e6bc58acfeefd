"""Structured logs: Cloud Logging fields, trace correlation, personal data masked.

The masking properties draw their spellings from the canonicaliser's own equivalences: every
character `shared.mapping.text.visible` folds onto a character of the address or the number, every
invisible character it drops, every white space `squash` folds; a spelling is kept only when
`canonical_email` / `canonical_phone` take it for the person's address or number.
"""

from __future__ import annotations

import io
import json
import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from shared.logs import log, log_context, mask, phone_shape, trace_fields
from shared.mapping.formats import canonical_email
from shared.mapping.identity import canonical_phone
from shared.mapping.text import visible

BMP = [chr(c) for c in range(0x80, 0x10000) if not 0xD800 <= c <= 0xDFFF]
EQUIVALENT: dict[str, list[str]] = {}
"""For each ASCII character, the others the canonicaliser takes for it (fullwidth, small forms…)."""
for _char in BMP:
    _folded = visible(_char)
    if len(_folded) == 1 and _folded.isascii():
        EQUIVALENT.setdefault(_folded, []).append(_char)
INVISIBLE = sorted(c for c in BMP if visible(c) == "")
SPACES = sorted(c for c in [" ", "\t", *BMP] if c.isspace() and c not in "\n\r\x0b\x0c")
DIGITS = {
    d: [c for c in BMP if unicodedata.category(c) == "Nd" and unicodedata.digit(c) == d] for d in range(10)
}
"""Digits of other scripts: the phone parser reads them as 0-9."""


def test_the_equivalences_are_the_ones_people_type() -> None:
    assert {"＠", "﹫"} <= set(EQUIVALENT["@"])
    assert "．" in EQUIVALENT["."]
    assert "６" in EQUIVALENT["6"]
    assert {"\u200b", "\u00ad", "\ufeff"} <= set(INVISIBLE)
    assert {"\u00a0", "\u202f", "\u3000"} <= set(SPACES)


@st.composite
def lookalike(draw: st.DrawFn, text: str) -> str:
    """`text` with some characters replaced by others the canonicaliser folds onto them."""
    out = []
    for char in text:
        if char.isdigit() and draw(st.integers(0, 4)) == 0:
            char = draw(st.sampled_from(DIGITS[int(char)]))
        elif char in EQUIVALENT and draw(st.integers(0, 3)) == 0:
            char = draw(st.sampled_from(EQUIVALENT[char]))
        elif char.isalpha() and draw(st.booleans()):
            char = char.swapcase()
        out.append(char)
    return "".join(out)


@st.composite
def with_invisibles(draw: st.DrawFn, text: str) -> str:
    for _ in range(draw(st.integers(0, 3))):
        where = draw(st.integers(0, len(text)))
        text = text[:where] + draw(st.sampled_from(INVISIBLE)) + text[where:]
    return text


LETTERS = "a-zàâçéèêëîïôûùüÿœ0-9"
LOCAL = st.from_regex(rf"[{LETTERS}]([{LETTERS}._+'-]{{0,20}}[{LETTERS}])?", fullmatch=True).filter(
    lambda s: ".." not in s
)
DOMAIN = st.from_regex(r"[a-zé0-9]([a-zé0-9-]{0,10}[a-zé0-9])?(\.[a-z]{2,6}){1,2}", fullmatch=True)


@st.composite
def spelt_address(draw: st.DrawFn) -> tuple[str, str]:
    """(the canonical address, one spelling of it the canonicaliser takes for it)."""
    local, domain = draw(LOCAL), draw(DOMAIN)
    canonical = canonical_email(f"{local}@{domain}")
    assume(canonical is not None)
    at = draw(st.sampled_from(SPACES)) * draw(st.integers(0, 1))
    text = draw(lookalike(local)) + at + draw(lookalike("@")) + at + draw(lookalike(domain))
    if draw(st.booleans()):
        text = unicodedata.normalize("NFD", text)  # accents as combining marks (macOS copy-paste)
    text = draw(with_invisibles(text)) + ("." if draw(st.booleans()) else "")
    assume(canonical_email(text) == canonical)
    assert canonical is not None
    return canonical, text


@given(spelt_address())
def test_every_spelling_of_an_address_is_masked(spelt: tuple[str, str]) -> None:
    canonical, spelling = spelt
    masked = mask(f"Réponse de {spelling}, merci")
    assert masked.startswith("Réponse de ")
    assert masked.endswith(", merci")
    hidden = visible(masked[len("Réponse de ") : -len(", merci")]).casefold()
    assert "***@" in hidden
    shown = hidden.rstrip(".").rsplit(".", 1)[0]  # the top-level domain stays readable
    local, domain = canonical.split("@")
    label = domain.split(".")[0]
    for secret in (local[1:], label[1:]):
        assert len(secret) < 2 or secret not in shown, (spelling, masked)


NUMBERS = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from(["01", "02", "03", "04", "05", "06", "07", "09"]),
    st.from_regex(r"[0-9]{8}", fullmatch=True),
).filter(lambda n: canonical_phone(n) == n)
"""French numbers in their canonical national form."""
PREFIXES = st.sampled_from(["{}", "+33{}", "+33 (0){}", "0033{}", "(+33){}"])
SEPARATORS = st.sampled_from(
    [" ", "\u00a0", "\u202f", ".", "-", "/", "‐", "–", "—", "−", "~", "*", "  ", " - "]
)
LABELS = st.sampled_from(["", "Tél", "Tél:", "Tél. ", "tel ", "Portable : ", "mobile_phone="])


@st.composite
def spelt_number(draw: st.DrawFn, separators: st.SearchStrategy[str] = SEPARATORS) -> tuple[str, str]:
    """(the canonical national number, one spelling of it)."""
    national = draw(NUMBERS)
    prefix = draw(PREFIXES)
    digits = national if prefix == "{}" else national[1:]
    groups, rest = [], digits
    while rest:
        size = draw(st.integers(1, 4))
        groups.append(rest[:size])
        rest = rest[size:]
    separator = draw(separators)
    text = prefix.format(separator.join(groups) if draw(st.booleans()) else digits)
    text = draw(LABELS) + draw(with_invisibles(draw(lookalike(text))))
    return national, text


def shown_digits(text: str) -> str:
    return "".join(str(unicodedata.digit(c)) for c in visible(text) if c.isdigit())


@given(spelt_number())
def test_every_spelling_of_a_phone_number_is_masked(spelt: tuple[str, str]) -> None:
    national, spelling = spelt
    assume(canonical_phone(spelling) == national)
    masked = mask(f"rappeler {spelling} demain")
    assert masked.startswith("rappeler ")
    assert masked.endswith(" demain")
    assert len(shown_digits(masked)) <= 4, (spelling, masked)


@given(spelt_number(st.sampled_from(["_", "_ ", " _ "])))
def test_numbers_the_canonicaliser_refuses_are_masked_too(spelt: tuple[str, str]) -> None:
    """A phone typed with underscores is refused (422) and its answer still reaches a log line."""
    _, spelling = spelt
    assume("_" in spelling)
    masked = mask(f"'Téléphone' : {spelling} n'est pas un numéro")
    assert len(shown_digits(masked)) <= 4, (spelling, masked)


@given(st.lists(st.from_regex(r"[1-9][0-9]{8}", fullmatch=True), min_size=1, max_size=3))
def test_customer_ids_are_shown_in_full(ids: list[str]) -> None:
    for text in (
        f"{len(ids)} Ogust customers have this email (ids {', '.join(ids)}): merge them",
        f"customer #{ids[0]}",
        f"customerId={ids[0]}",
        f"fiche client n° {ids[0]} à fusionner",
    ):
        assert mask(text) == text


@given(st.text(st.characters(blacklist_categories=["Nd", "No", "Cs"]).filter(lambda c: visible(c) != "@")))
def test_a_text_without_digits_or_at_sign_is_left_as_it_is(text: str) -> None:
    assert mask(text) == text


def test_mask_hides_emails_and_phone_numbers() -> None:
    text = mask("marie-helene.darnoux@exemple.fr a laissé le 06 12 34 56 78 et le +33 7 81 22 33 44")
    assert text == "m***@e***.fr a laissé le 06******78 et le 33*******44"


@pytest.mark.parametrize(
    ("written", "masked"),
    [
        ("zoé.lefèvre＠exemple.fr", "z***@e***.fr"),  # a fullwidth at sign
        ("jean﹫exemple.fr", "j***@e***.fr"),  # a small at sign
        ("Jean\u200b.Dupont＠Exemple．fr", "J***@E***.fr"),  # a zero-width space, a fullwidth dot
        ("jean @ exemple.fr", "j***@e***.fr"),  # spaces around the at sign
        ("o'brien@exemple.fr", "o***@e***.fr"),
        ("06\u00a012\u00a034\u00a056\u00a078", "06******78"),  # non-breaking spaces
        ("06\u202f12\u202f34\u202f56\u202f78", "06******78"),  # narrow ones, as French typography has it
        ("06.12.34.56.78", "06******78"),
        ("06-12-34-56-78", "06******78"),
        ("06/12/34/56/78", "06******78"),
        ("06_12_34_56_78", "06******78"),
        ("Tél0612345678", "Tél06******78"),
        ("Tél : 612345678", "Tél : 61*****78"),  # the leading zero lost, but labelled
        ("０６１２３４５６７８", "06******78"),  # fullwidth digits
        ("06\u200b12\u00ad34 56 78", "06******78"),  # invisible characters inside
        ("(+33) 6 12 34 56 78", "(33*******78"),
        ("+33 (0)6 12 34 56 78", "33********78"),
        ("0033612345678", "00*********78"),
    ],
)
def test_mask_knows_every_way_of_writing_them(written: str, masked: str) -> None:
    assert mask(f"écrire à {written} svp") == f"écrire à {masked} svp"


def test_mask_keeps_dates_amounts_short_numbers_and_ids() -> None:
    text = (
        "le 2026-11-28, le 28/11/2026 à 10:15, note 4/5, code 94240, 12,50 €, "
        "reçu 2026-11-28T10:15:30.123Z, message 2070443601311540, client 344563872"
    )
    assert mask(text) == text


def test_the_shape_of_a_phone_shows_how_it_is_written_not_the_number() -> None:
    assert phone_shape("06.12.34.56.78") == "06.**.**.**.78"
    assert phone_shape("+33 6 12 34 56 78") == "+33 * ** ** ** 78"
    assert phone_shape("612345678") == "61*****78"


def test_trace_field_from_cloud_header() -> None:
    assert trace_fields("105445aa7843bc8bf206b12000100000/1;o=1", "agence") == {
        "logging.googleapis.com/trace": "projects/agence/traces/105445aa7843bc8bf206b12000100000"
    }
    assert trace_fields(None, "agence") == {}
    assert trace_fields("pas une trace", "agence") == {}


def test_one_json_line_with_context_and_masked_values() -> None:
    out = io.StringIO()
    with log_context(responseId="2_ABaOnud0001"):
        log(
            "WARNING",
            "refusé pour zoe@exemple.fr",
            stream=out,
            customerId="344563872",
            messageId="2070443601311540",
            error="tel 0612345678, client 344563873",
        )
    entry = json.loads(out.getvalue())
    assert entry["severity"] == "WARNING"
    assert entry["message"] == "refusé pour z***@e***.fr"
    assert entry["responseId"] == "2_ABaOnud0001"
    assert entry["customerId"] == "344563872"
    assert entry["messageId"] == "2070443601311540"
    assert entry["error"] == "tel 06******78, client 344563873"
    assert out.getvalue().count("\n") == 1
