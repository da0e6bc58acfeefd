"""Each operation on French data: names, accents, phone numbers in every common written form."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.mapping.steps import parse_step
from shared.mapping.values import StepError


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


def test_replace_literal_in_order() -> None:
    assert run({"replace": {"St ": "Saint ", "Ste ": "Sainte "}}, "St Maur / Ste Geneviève") == (
        "Saint Maur / Sainte Geneviève"
    )


def test_replace_with_regex() -> None:
    assert run({"replace": {r"\s*/\s*": " - "}, "regex": True}, "Ménage/Repassage  /  Courses") == (
        "Ménage - Repassage - Courses"
    )


def test_bad_regex_is_refused_at_load() -> None:
    with pytest.raises(ValueError, match="not a valid regular expression"):
        parse_step({"replace": {"(": ""}, "regex": True})


@pytest.mark.parametrize(
    ("full", "first", "last"),
    [
        ("Jean-Pierre de La Fontaine", "Jean-Pierre", "de La Fontaine"),
        ("DUPONT Marie-Hélène", "Marie-Hélène", "DUPONT"),
        ("Zoé LEFÈVRE", "Zoé", "LEFÈVRE"),
        ("Cher", "", "Cher"),
        ("  ", "", ""),
    ],
)
def test_split_name(full: str, first: str, last: str) -> None:
    assert run({"split_name": "first"}, full) == first
    assert run({"split_name": "last"}, full) == last


def test_split_name_last_first_order() -> None:
    assert run({"split_name": "first", "order": "last_first"}, "Martin Léa") == "Léa"


def test_join_checkbox_answers() -> None:
    assert run({"join": " + "}, ["Ménage", "", "Courses"]) == "Ménage + Courses"
    assert run({"join": ", "}, "déjà du texte") == "déjà du texte"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1986-05-19", "19/05/1986"),
        ("1986-05-19 14:51", "19/05/1986"),
        ("2026-11-28T09:15:00.000Z", "28/11/2026"),
        ("2026-12-31T23:30:00Z", "01/01/2027"),
    ],
)
def test_date_from_every_google_forms_form(raw: str, expected: str) -> None:
    assert run({"date": "%d/%m/%Y"}, raw) == expected


def test_date_without_year_takes_the_current_year() -> None:
    from datetime import datetime

    from shared.ogust import PARIS

    assert run({"date": "%d/%m/%Y"}, "05-19") == f"19/05/{datetime.now(PARIS).year}"


def test_date_in_ogusts_own_form() -> None:
    # Ogust dates travel as YYYYMMDD (docs/ogust-api.md §9 N3): `date: ogust`.
    assert run({"date": "ogust", "input": ["%d/%m/%Y"]}, "02/03/1948") == "19480302"
    assert run({"date": "ogust"}, "1948-03-02") == "19480302"


def test_date_time_output_and_custom_input() -> None:
    assert run({"date": "%Y%m%d%H%M"}, "1986-05-19 14:51") == "198605191451"
    assert run({"date": "%Y-%m-%d", "input": ["%d/%m/%Y", "%d/%m/%y"]}, "19/05/86") == "1986-05-19"


def test_invalid_date_policies() -> None:
    with pytest.raises(StepError, match="not a date"):
        run({"date": "%d/%m/%Y"}, "le 19 mai")
    assert run({"date": "%d/%m/%Y", "on_invalid": "omit"}, "le 19 mai") == ""


@pytest.mark.parametrize(
    ("step", "raw"),
    [({"date": "ogust"}, "2026-02-31"), ({"date": "ogust", "input": ["%d/%m/%Y"]}, "31/04/1948")],
)
def test_an_impossible_date_is_called_so_not_a_format_error(step: dict[str, Any], raw: str) -> None:
    with pytest.raises(StepError, match=r"not a real date \(no such day in that month\)"):
        run(step, raw)


def test_bad_date_format_is_refused_at_load() -> None:
    with pytest.raises(ValueError, match="output format"):
        parse_step({"date": "dd/mm/yyyy"})
    with pytest.raises(ValueError, match="has no % directive"):
        parse_step({"date": "%d/%m/%Y", "input": ["YYYY-MM-DD"]})


@pytest.mark.parametrize(("raw", "expected"), [("4", "4"), (" 4,5 ", "4.5"), ("1 200", "1200"), ("3.0", "3")])
def test_number(raw: str, expected: str) -> None:
    assert run("number", raw) == expected


def test_number_scale_bounds_decimals_and_separator() -> None:
    assert run({"number": 1, "decimal_separator": ","}, "4.25") == "4,3"
    with pytest.raises(StepError, match="above the maximum 5"):
        run({"number": None, "min": 1, "max": 5}, "6")
    with pytest.raises(StepError, match="not a number"):
        run("number", "quatre")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" Zoé.Lefèvre@Exemple.FR ", "zoé.lefèvre@exemple.fr"),
        ("jp.n'diaye@exemple.org", "jp.n'diaye@exemple.org"),
    ],
)
def test_email_is_checked_and_lowered(raw: str, expected: str) -> None:
    assert run("email", raw) == expected


@pytest.mark.parametrize(
    "raw", ["zoe@exemple", "zoe exemple.fr", "@exemple.fr", "zoe@@exemple.fr", "a..b@x.fr"]
)
def test_invalid_email(raw: str) -> None:
    with pytest.raises(StepError, match="not a valid e-mail address"):
        run("email", raw)


@pytest.mark.parametrize(("raw", "expected"), [("94240", "94240"), ("94 240", "94240"), ("1000", "01000")])
def test_postal_code(raw: str, expected: str) -> None:
    assert run("postal_code", raw) == expected


def test_invalid_postal_code_policies() -> None:
    with pytest.raises(StepError, match="5 digits"):
        run("postal_code", "942400")
    assert run({"postal_code": None, "on_invalid": "keep"}, " B-1000 ") == "B-1000"


def test_date_without_year_with_time() -> None:
    from datetime import datetime

    from shared.ogust import PARIS

    assert run({"date": "%d/%m/%Y %H:%M"}, "05-19 14:51") == f"19/05/{datetime.now(PARIS).year} 14:51"


# --- split_address ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "line", "zip_code", "city"),
    [
        ("12, rue de l'Église 94240 L'Haÿ-les-Roses", "12, rue de l'Église", "94240", "L'Haÿ-les-Roses"),
        ("3 avenue Jean-Jaurès\n75011 Paris", "3 avenue Jean-Jaurès", "75011", "Paris"),
        ("5 impasse des Acacias, 13 001 Marseille", "5 impasse des Acacias", "13001", "Marseille"),
        ("Bât. B\n4 bis, chemin Vert\n01000 Bourg", "Bât. B, 4 bis, chemin Vert", "01000", "Bourg"),
        ("3 rue Haute, Saint-Étienne 42000", "3 rue Haute", "42000", "Saint-Étienne"),
        (
            "Résidence Les Tilleuls, 10 allée Vive - 92160 Antony CEDEX",
            "Résidence Les Tilleuls, 10 allée Vive",
            "92160",
            "Antony CEDEX",
        ),
    ],
)
def test_split_address_gives_line_zip_and_city(raw: str, line: str, zip_code: str, city: str) -> None:
    assert [run({"split_address": part}, raw) for part in ("line", "zip", "city")] == [line, zip_code, city]


def test_split_address_without_a_postal_code_follows_on_invalid() -> None:
    with pytest.raises(StepError, match="no French postal code"):
        run({"split_address": "zip"}, "12 rue de la Paix, Paris")
    assert run({"split_address": "line", "on_invalid": "keep"}, " 12 rue de la Paix ") == "12 rue de la Paix"
    assert run({"split_address": "city", "on_invalid": "omit"}, "12 rue de la Paix") == ""
    assert run({"split_address": "line"}, "") == ""


def test_split_address_names_its_parts() -> None:
    with pytest.raises(ValueError, match="'line', 'zip' or 'city'"):
        parse_step({"split_address": "street"})
    with pytest.raises(ValueError, match="on_invalid"):
        parse_step({"split_address": "zip", "on_invalid": "drop"})


_STREET_WORDS = st.sampled_from(["rue", "avenue", "impasse", "chemin", "allée", "bis", "de", "l'Église"])
_CITY_WORDS = st.sampled_from(["Paris", "L'Haÿ-les-Roses", "Saint-Étienne", "Bourg-en-Bresse", "CEDEX"])


@settings(deadline=None)
@given(
    number=st.integers(min_value=1, max_value=999),
    street=st.lists(_STREET_WORDS, min_size=1, max_size=4),
    zip_code=st.from_regex(r"\A[0-9]{5}\Z"),
    city=st.lists(_CITY_WORDS, min_size=1, max_size=3),
    separator=st.sampled_from([", ", "\n", " ", " - "]),
    spaced=st.booleans(),
)
def test_split_address_takes_back_what_was_joined(
    number: int, street: list[str], zip_code: str, city: str, separator: str, spaced: bool
) -> None:
    line, town = f"{number} {' '.join(street)}", " ".join(city)
    written = f"{zip_code[:2]} {zip_code[2:]}" if spaced else zip_code
    raw = f"{line}{separator}{written} {town}"
    assert [run({"split_address": part}, raw) for part in ("line", "zip", "city")] == [line, zip_code, town]
