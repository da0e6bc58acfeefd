"""The draft mapping `init` writes: French questions recognised whatever their spelling, a draft that
validates, and that plans the example submissions as the hand-written example mappings do."""

from __future__ import annotations

import copy
import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.mapping import MappingFile, load_mapping, plan, validate
from shared.mapping.draft import TO_CHECK, draft_mapping, role_of
from shared.mapping.form import FormDescription, FormItem
from shared.mapping.load import parse_mapping
from shared.webhook import parse_submission

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"
NEW_FORMS = ROOT / "tests" / "unit" / "mapping" / "forms"
FORMS = sorted(EXAMPLES.glob("*-form.json"))
SUBMISSIONS = sorted(EXAMPLES.glob("submissions/**/*.json"))
COMPARED = (
    "title",
    "last_name",
    "first_name",
    "email",
    "mobile_phone",
    "landline",
    "main_address.line",
    "main_address.zip",
    "main_address.city",
)
"""Names, e-mail, phones and address: what the draft must get right for the example forms."""


def example_mapping(form_path: Path) -> MappingFile:
    return load_mapping(EXAMPLES / form_path.name.replace("-form.json", ".yaml"))


def drafted(form_path: Path) -> MappingFile:
    form = FormDescription.read(form_path)
    return parse_mapping(draft_mapping(form, source=form_path.name).text)


def pairs() -> list[tuple[Path, Path]]:
    """(form description, submission) for every example submission."""
    by_id = {json.loads(p.read_text(encoding="utf-8"))["formId"]: p for p in FORMS}
    return [(by_id[json.loads(s.read_text(encoding="utf-8"))["formId"]], s) for s in SUBMISSIONS]


@pytest.mark.parametrize(
    ("title", "kind", "role"),
    [
        ("Civilité", "MULTIPLE_CHOICE", "title"),
        ("CIVILITE :", "LIST", "title"),
        ("Nom", "TEXT", "last_name"),
        ("Votre nom de famille", "TEXT", "last_name"),
        ("Prénom", "TEXT", "first_name"),
        ("Nom et prénom", "TEXT", "full_name"),
        ("Nom complet", "TEXT", "full_name"),
        ("Nom de naissance", "TEXT", "maiden_name"),
        ("Nom de votre médecin traitant", "TEXT", None),
        ("Adresse e-mail", "TEXT", "email"),
        ("Courriel", "TEXT", "email"),
        ("E-MAIL", "TEXT", "email"),
        ("Téléphone portable", "TEXT", "mobile_phone"),
        ("Tél. mobile", "TEXT", "mobile_phone"),
        ("Téléphone fixe", "TEXT", "landline"),
        ("Numéro de téléphone", "TEXT", "phone"),
        ("Adresse", "TEXT", "address"),
        ("Adresse postale complète", "PARAGRAPH_TEXT", "address"),
        ("Complément d'adresse", "TEXT", "supplement"),
        ("Code postal", "TEXT", "zip"),
        ("CP", "TEXT", "zip"),
        ("Ville", "TEXT", "city"),
        ("Commune", "TEXT", "city"),
        ("Date de naissance", "DATE", "date_of_birth"),
        ("Né(e) le", "TEXT", "date_of_birth"),
        ("Lieu de naissance", "TEXT", "place_of_birth"),
        ("Digicode", "TEXT", "door_code"),
        ("Services souhaités", "CHECKBOX", None),
        ("Note globale (1 à 5)", "SCALE", None),
    ],
)
def test_french_questions_are_recognised(title: str, kind: str, role: str | None) -> None:
    assert role_of(FormItem(1, title, kind)) == role


def test_a_choice_question_of_civilities_is_the_title_whatever_its_title() -> None:
    item = FormItem(1, "Vous êtes", "MULTIPLE_CHOICE", ("Madame", "Monsieur", "Autre"))
    assert role_of(item) == "title"


def _respelt(title: str, data: st.DataObject) -> str:
    """The same title as another person types it: case, accents, punctuation and spaces changed."""
    text = data.draw(st.sampled_from([title, title.upper(), title.lower(), title.title()]))
    if data.draw(st.booleans()):
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    before = data.draw(st.sampled_from(["", " ", "* ", "1. "]))
    after = data.draw(st.sampled_from(["", " :", " ?", " *", "…"]))
    return before + text.replace(" ", data.draw(st.sampled_from([" ", "  ", " - "]))) + after


@settings(deadline=None)
@given(data=st.data())
def test_recognition_ignores_accents_case_and_punctuation(data: st.DataObject) -> None:
    title, role = data.draw(
        st.sampled_from(
            [
                ("Prénom", "first_name"),
                ("Adresse e-mail", "email"),
                ("Téléphone portable", "mobile_phone"),
                ("Code postal", "zip"),
                ("Date de naissance", "date_of_birth"),
                ("Complément d'adresse", "supplement"),
                ("Nom de famille", "last_name"),
            ]
        )
    )
    assert role_of(FormItem(1, _respelt(title, data), "TEXT")) == role


@pytest.mark.parametrize("form_path", FORMS + sorted(NEW_FORMS.glob("*.json")), ids=lambda p: p.name)
def test_the_draft_validates_against_its_form_without_error(form_path: Path) -> None:
    form = FormDescription.read(form_path)
    draft = draft_mapping(form, source=form_path.name)
    report = validate(draft.text, name=form_path.name, form=form)
    assert report.errors == []
    assert report.mapping is not None
    (mapped,) = report.mapping.forms
    assert mapped.reconcile is True
    assert mapped.tracking_tab is True  # the office staff see each answer's fate: the default path
    assert mapped.form_id == form.form_id
    assert all(f"{TO_CHECK} {note}" in draft.text for note in draft.to_check)


@pytest.mark.parametrize(
    ("title", "applicants"),
    [
        ("Candidature – auxiliaire de vie", True),
        ("Recrutement 2027 : aide à domicile", True),
        ("Demande de devis", False),
        ("Questionnaire de satisfaction", False),
    ],
)
def test_a_job_application_draft_says_applicants_are_not_customers(title: str, applicants: bool) -> None:
    form = FormDescription("1FormulaireExemple", title, (FormItem(1, "Adresse e-mail", "TEXT"),))
    draft = draft_mapping(form, source="form.json")
    warned = [note for note in draft.to_check if "job application" in note]
    assert bool(warned) is applicants
    assert ("entity: employee" in draft.text) is applicants


def test_the_example_job_application_is_drafted_as_candidates_with_the_cv_as_a_drive_link() -> None:
    form = FormDescription.read(EXAMPLES / "job-application-form.json")
    draft = draft_mapping(form, source="job-application-form.json", on_create={"type": "P"})
    mapped = parse_mapping(draft.text, name="draft.yaml").forms[0]
    assert mapped.entity == "employee"
    assert {t.label: r.value for t, r in mapped.rules.items() if t.label == "nature"} == {"nature": "C"}
    assert "type" not in {t.label for t in mapped.rules}  # the doctor's customer codes are no worker's
    comment = mapped.fields["comment"].template or ""
    assert "https://drive.google.com/open?id={{CV (1 fichier)}}" in comment


_NAMES = st.sampled_from(
    ["d'Arnoux-Lefèvre", "N'DIAYE", "  marie-hélène ", "Jean-Pierre", "ÉLOÏSE", "de la Fontaine"]
)
_PHONES = st.sampled_from(
    ["06 12 34 56 78", "+33 7 81 22 33 44", "0612345678", "01.44.55.66.77", "+33 (0)6 98 76 54 32"]
)
_EMAILS = st.sampled_from([" Zoé.Lefèvre@Exemple.FR", "jp.ndiaye@exemple.org ", "MARIE@EXEMPLE.FR"])
_LINES = st.sampled_from(["12, rue de l'Église", "3 avenue Jean-Jaurès", "  5 impasse des Acacias "])
_ZIPS = st.sampled_from(["94240", "13001", "01000", "75011"])
_CITIES = st.sampled_from(["L'Haÿ-les-Roses", "Saint-Étienne", "bourg-en-bresse", "MARSEILLE"])
KINDS = {
    "last_name": _NAMES,
    "first_name": _NAMES,
    "email": _EMAILS,
    "mobile_phone": _PHONES,
    "landline": _PHONES,
    "main_address.line": _LINES,
    "main_address.zip": _ZIPS,
    "main_address.city": _CITIES,
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), pair=st.sampled_from(pairs()))
def test_the_draft_plans_the_example_submissions_as_the_hand_written_mappings(
    data: st.DataObject, pair: tuple[Path, Path]
) -> None:
    form_path, submission_path = pair
    hand, draft = example_mapping(form_path), drafted(form_path)
    payload: dict[str, Any] = json.loads(submission_path.read_text(encoding="utf-8"))
    titles = {a["title"] for a in payload["answers"]}
    form = hand.forms[0]
    for name, kind in KINDS.items():  # other French answers in the same questions
        rule = form.fields.get(name)
        if rule is None or data.draw(st.booleans()):
            continue
        for ref in rule.questions():
            if ref.title in titles:
                payload = _answered(payload, ref.title or "", data.draw(kind))
    submission = parse_submission(json.dumps(payload).encode())
    expected = plan(hand.for_form(submission.form_id), submission)
    if expected.skipped:  # the hand-written mapping skips these answers: the draft only says how (comment)
        return
    got = plan(draft.for_form(submission.form_id), submission)
    wanted = {k: v for k, v in expected.by_label().items() if k in COMPARED}
    assert wanted, "nothing compared"
    assert {k: v for k, v in got.by_label().items() if k in wanted} == wanted


def _answered(payload: dict[str, Any], title: str, value: str) -> dict[str, Any]:
    changed = copy.deepcopy(payload)
    for answer in changed["answers"]:
        if answer["title"] == title:
            answer["value"] = value
    return changed


_TITLES = st.sampled_from(
    [
        "Nom", "Prénom", "Nom et prénom", "Civilité", "Adresse", "Code postal", "Ville", "Téléphone",
        "Téléphone fixe", "Portable", "E-mail", "Adresse e-mail", "Date de naissance", "Commentaires",
        "Votre demande : un devis ?", "Note [1-5]", "Services {ménage}", "Question #3", "L'âge | la taille",
        "yes", "123", "#7", "@date", "- tiret", "« Guillemets »", "", "Nom de l'enfant",
        "Complément d'adresse",
    ]
)  # fmt: skip
_KINDS = st.sampled_from(
    ["TEXT", "PARAGRAPH_TEXT", "MULTIPLE_CHOICE", "CHECKBOX", "LIST", "DATE", "DATETIME", "SCALE", "GRID",
     "CHECKBOX_GRID", "FILE_UPLOAD", "PAGE_BREAK", "SECTION_HEADER"]
)  # fmt: skip
_CHOICES = st.lists(
    st.sampled_from(["Madame", "Monsieur", "Autre", "Mlle", "Oui", "Non", "Simple information"])
)


@settings(max_examples=80, deadline=None)
@given(
    items=st.lists(st.tuples(_TITLES, _KINDS, _CHOICES, st.booleans()), max_size=14),
    title=st.sampled_from(["Demande de devis", "Inscription: « été » 2027", "", "Avis #2"]),
)
def test_any_form_gets_a_draft_that_validates_without_error(
    items: list[tuple[str, str, list[str], bool]], title: str
) -> None:
    form = FormDescription(
        "1FormulaireQuelconque2027abc",
        title,
        tuple(
            FormItem(1000 + n if with_id else None, t, kind, tuple(choices))
            for n, (t, kind, choices, with_id) in enumerate(items)
        ),
    )
    draft = draft_mapping(form, source="test")
    report = validate(draft.text, name="draft.yaml", form=form)
    assert report.errors == [], draft.text
