"""Each operation on French data: names, accents, phone numbers in every common written form."""

from __future__ import annotations

from typing import Any

import pytest

from shared.mapping.steps import StepError, parse_step


def run(step: Any, value: str | list[str]) -> str | list[str]:
    return parse_step(step).run(value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("jean-pierre d'artagnan", "Jean-Pierre d'Artagnan"),
        ("JEAN DE LA FONTAINE", "Jean de La Fontaine"),
        ("marie-hélène", "Marie-Hélène"),
        ("  éloïse   o'connor ", "Éloïse O'Connor"),
        ("d'arnoux", "D'Arnoux"),
        ("n’diaye", "N’Diaye"),
        ("ZOÉ LEFÈVRE", "Zoé Lefèvre"),
        ("", ""),
    ],
)
def test_title_case_handles_french_names(raw: str, expected: str) -> None:
    assert run("title_case", raw) == expected


def test_trim_folds_inner_and_non_breaking_spaces() -> None:
    assert run("trim", "\u00a0 12,  rue de\tl'Église \n") == "12, rue de l'Église"


def test_upper_and_lower_keep_accents() -> None:
    assert run("upper", "l'haÿ-les-roses") == "L'HAŸ-LES-ROSES"
    assert run("lower", "Zoé.LEFÈVRE@Exemple.FR") == "zoé.lefèvre@exemple.fr"


def test_strip_accents() -> None:
    assert run("strip_accents", "Zoé Lefèvre à L'Haÿ") == "Zoe Lefevre a L'Hay"


def test_steps_apply_to_each_checkbox_answer() -> None:
    assert run("upper", ["Ménage", "Courses"]) == ["MÉNAGE", "COURSES"]


@pytest.mark.parametrize(
    "raw",
    [
        "06 12 34 56 78",
        "0612345678",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "+33 6 12 34 56 78",
        "+33612345678",
        "0033612345678",
        "+33 (0)6 12 34 56 78",
        "33612345678",
    ],
)
def test_phone_gives_the_ten_digit_national_form(raw: str) -> None:
    assert run("phone", raw) == "0612345678"


def test_phone_landline_and_e164_output() -> None:
    assert run("phone", "01 44 55 66 77") == "0144556677"
    assert run({"phone": "e164"}, "06 12 34 56 78") == "+33612345678"


def test_foreign_number_stays_dialable_in_e164() -> None:
    assert run("phone", "+32 470 12 34 56") == "+32470123456"


def test_invalid_phone_is_an_error_by_default() -> None:
    with pytest.raises(StepError, match="not a valid phone number") as caught:
        run("phone", "06 12")
    assert caught.value.value == "06 12"
    assert "06 12" not in str(caught.value)


def test_invalid_phone_can_be_omitted_or_kept() -> None:
    assert run({"phone": None, "on_invalid": "omit"}, "pas de téléphone") == ""
    assert run({"phone": None, "on_invalid": "keep"}, " 06 12 ") == "06 12"


def test_empty_phone_is_empty_not_an_error() -> None:
    assert run("phone", "  ") == ""


def test_map_exact_then_ignoring_case_and_spaces() -> None:
    step = {"map": {"Madame": "Mme", "Monsieur": "M."}}
    assert run(step, "Madame") == "Mme"
    assert run(step, " monsieur ") == "M."


def test_map_unmatched_without_fallback_is_an_error_listing_choices() -> None:
    with pytest.raises(StepError, match="not in the value map \\('Madame', 'Monsieur'\\)") as caught:
        run({"map": {"Madame": "Mme", "Monsieur": "M."}}, "Mademoiselle")
    assert caught.value.value == "Mademoiselle"


def test_map_fallback_and_keep_unmatched() -> None:
    assert run({"map": {"Madame": "Mme"}, "fallback": "Mme et M."}, "Autre") == "Mme et M."
    assert run({"map": {"Madame": "Mme"}, "keep_unmatched": True}, "Docteur") == "Docteur"


def test_map_leaves_empty_empty() -> None:
    assert run({"map": {"Madame": "Mme"}, "fallback": "?"}, "") == ""


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("uper", "unknown operation 'uper'"),
        ({"trim": 3}, "takes no argument"),
        ({"map": []}, "needs a table"),
        ({"map": {"a": "b"}, "fallbak": "x"}, "no option fallbak"),
        ({"phone": "international"}, "format must be one of"),
        ({"phone": None, "region": "XX"}, "region"),
        ({"phone": None, "on_invalid": "ignore"}, "on_invalid"),
        ({"trim": None, "upper": None}, "exactly one operation"),
        (42, "operation name or a mapping"),
    ],
)
def test_bad_steps_are_refused_at_load(raw: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_step(raw)
