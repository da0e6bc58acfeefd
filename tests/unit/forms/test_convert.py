"""The one Forms API reader: a Forms API response becomes the submission the script would have sent,
so that one mapping gives the same plan whichever way an answer came in."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from forms_sandbox import form_from_apps_script_export, question_id_for
from shared.backfill.sources import BadRow, read_forms_api_export
from shared.errors import ConfigError, PayloadError
from shared.forms import submission_from_response
from shared.forms._convert import script_time
from shared.mapping import load_mapping, plan
from shared.mapping.form import FormDescription
from shared.mapping.load import parse_mapping
from shared.webhook import Submission
from tests.support.forms_fixtures import (
    FORM_ID,
    QUESTION_IDS,
    ROOT,
    SATISFACTION_FORM,
    as_forms_api,
)
from tests.support.function import example

EXAMPLES = ["01-new-customer", "02-same-person-again", "03-another-person"]
MAPPING_TEXT = (ROOT / "examples" / "satisfaction.yaml").read_text(encoding="utf-8")
FORM = FormDescription.from_json(SATISFACTION_FORM)


def ids_only(text: str) -> str:
    """The mapping with every question named by its item id alone (`{id: 1002, title: Nom}` → 1002)."""
    return re.sub(r"answer: \{id: (\d+), title: [^}]+\}", r"answer: \1", text)


def titles_only(text: str) -> str:
    return re.sub(r"answer: \{id: \d+, title: ([^}]+)\}", r"answer: \1", text)


@pytest.mark.parametrize("name", EXAMPLES)
@pytest.mark.parametrize("variant", [ids_only, titles_only, lambda t: t], ids=["ids", "titles", "both"])
def test_the_script_and_the_forms_api_give_the_same_plan(name: str, variant: Any) -> None:
    mapping = parse_mapping(variant(MAPPING_TEXT), name="m.yaml")
    form = mapping.for_form(FORM_ID)
    from_script = Submission.model_validate(example(name))
    from_api = submission_from_response(as_forms_api(example(name)), FORM, FORM_ID)
    assert plan(form, from_api) == plan(form, from_script)
    assert from_api.submitted_at == from_script.submitted_at
    assert [(a.item_id, a.title) for a in from_api.answers] == [
        (a.item_id, a.title) for a in from_script.answers
    ]


def test_ids_only_mapping_really_matches_by_id() -> None:
    mapping = parse_mapping(ids_only(MAPPING_TEXT), name="m.yaml")
    assert "answer: {" not in ids_only(MAPPING_TEXT)
    renamed = {
        **SATISFACTION_FORM,
        "items": [{**i, "title": f"Question {n}"} for n, i in enumerate(SATISFACTION_FORM["items"])],
    }
    submission = submission_from_response(
        as_forms_api(example("01-new-customer")), FormDescription.from_json(renamed), FORM_ID
    )
    values = plan(mapping.for_form(FORM_ID), submission).by_label()
    assert values["email"] == "marie-helene.darnoux@exemple.fr"
    assert values["last_name"] == "D'ARNOUX-LEFÈVRE"


def test_item_id_is_the_item_id_read_as_hexadecimal_never_the_question_id() -> None:
    item = FORM.items[1]
    assert (item.item_id, item.title, item.question_id) == (1002, "Nom", question_id_for(1002))
    assert SATISFACTION_FORM["items"][1]["itemId"] == "3ea"
    assert int(item.question_id or "0", 16) != 1002
    answer = submission_from_response(as_forms_api(example("01-new-customer")), FORM, FORM_ID).answers[1]
    assert (answer.item_id, answer.title, answer.type) == (1002, "Nom", "TEXT")


def test_unanswered_text_is_empty_and_unanswered_choice_is_left_out() -> None:
    response = {
        "responseId": "2_ABaOnudSansReponse",
        "lastSubmittedTime": "2026-11-28T09:15:00Z",
        "answers": {QUESTION_IDS[1004]: {"textAnswers": {"answers": [{"value": "c.dupont@exemple.fr"}]}}},
    }
    answers = {a.item_id: a.value for a in submission_from_response(response, FORM, FORM_ID).answers}
    assert 1001 not in answers  # Civilité, a multiple choice: Apps Script leaves it out
    assert 1009 not in answers  # the scale
    assert answers[1002] == ""  # Nom, a text item: Apps Script gives ""
    assert answers[1010] == ""  # a paragraph
    assert answers[1004] == "c.dupont@exemple.fr"


def test_checkbox_grid_file_upload_and_date_shapes() -> None:
    export = {
        "formId": "1InscriptionExemple",
        "formTitle": "Inscription",
        "items": [
            {"itemId": 4007, "title": "Services", "type": "CHECKBOX", "choices": ["Ménage", "Courses"]},
            {
                "itemId": 4008,
                "title": "Disponibilités",
                "type": "CHECKBOX_GRID",
                "choices": ["Matin", "Soir"],
                "rows": ["Lundi", "Mardi", "Mercredi"],
            },
            {
                "itemId": 4010,
                "title": "Préférence",
                "type": "GRID",
                "choices": ["Oui", "Non"],
                "rows": ["Chien", "Chat"],
            },
            {"itemId": 4011, "title": "Justificatif", "type": "FILE_UPLOAD"},
            {"itemId": 4009, "title": "Date souhaitée", "type": "DATETIME"},
            {"itemId": 4012, "title": "Section", "type": "SECTION_HEADER"},
        ],
    }
    body = form_from_apps_script_export(export)
    form = FormDescription.from_json(body)
    grid, radio = (
        body["items"][1]["questionGroupItem"]["questions"],
        body["items"][2]["questionGroupItem"]["questions"],
    )
    response = {
        "responseId": "2_ABaOnudGrille",
        "lastSubmittedTime": "2026-11-28T09:15:00.5Z",
        "answers": {
            form.items[0].question_id: {
                "textAnswers": {"answers": [{"value": "Courses"}, {"value": "Ménage"}]}
            },
            grid[0]["questionId"]: {"textAnswers": {"answers": [{"value": "Matin"}, {"value": "Soir"}]}},
            grid[2]["questionId"]: {"textAnswers": {"answers": [{"value": "Soir"}]}},
            radio[1]["questionId"]: {"textAnswers": {"answers": [{"value": "Oui"}]}},
            form.items[3].question_id: {
                "fileUploadAnswers": {"answers": [{"fileId": "1AbCdEfG", "fileName": "carte.pdf"}]}
            },
            form.items[4].question_id: {"textAnswers": {"answers": [{"value": "2027-01-04 09:30"}]}},
        },
    }
    submission = submission_from_response(response, form, "1InscriptionExemple")
    assert {a.item_id: (a.type, a.value) for a in submission.answers} == {
        4007: ("CHECKBOX", ["Courses", "Ménage"]),
        4008: ("CHECKBOX_GRID", [["Matin", "Soir"], [], ["Soir"]]),
        4010: ("GRID", ["", "Oui"]),
        4011: ("FILE_UPLOAD", ["1AbCdEfG"]),  # Drive file ids, as Apps Script gives them
        4009: ("DATETIME", "2027-01-04 09:30"),
    }
    assert submission.submitted_at.isoformat() == "2026-11-28T09:15:00.500000+00:00"


@pytest.mark.parametrize(
    ("forms_api", "script"),
    [
        ("2026-11-28T09:15:00Z", "2026-11-28T09:15:00.000Z"),
        ("2026-11-28T09:15:00.1Z", "2026-11-28T09:15:00.100Z"),
        ("2026-11-28T09:15:00.123456789Z", "2026-11-28T09:15:00.123Z"),
        ("2026-11-28T10:15:00.999999+01:00", "2026-11-28T09:15:00.999Z"),
    ],
)
def test_times_are_cut_to_the_millisecond_like_to_iso_string(forms_api: str, script: str) -> None:
    assert script_time(forms_api) == script


def test_an_unreadable_response_says_which_and_why() -> None:
    with pytest.raises(
        PayloadError, match=r"Forms API response 2_ABaOnudSansDate is not readable: submittedAt"
    ):
        submission_from_response({"responseId": "2_ABaOnudSansDate", "answers": {}}, FORM, FORM_ID)
    with pytest.raises(PayloadError, match="responseId"):
        submission_from_response({"lastSubmittedTime": "2026-11-28T09:15:00Z"}, FORM, FORM_ID)


def test_the_backfill_export_reader_is_the_same_reader(tmp_path: Path) -> None:
    responses = [as_forms_api(example(name)) for name in EXAMPLES] + [{"responseId": "2_ABaOnudCasse"}]
    (tmp_path / "responses.json").write_text(json.dumps({"responses": responses}), encoding="utf-8")
    (tmp_path / "form.json").write_text(json.dumps(SATISFACTION_FORM), encoding="utf-8")
    form = FormDescription.read(tmp_path / "form.json")
    rows = list(read_forms_api_export(tmp_path / "responses.json", form, FORM_ID))
    assert [r[1] for r in rows[:3]] == [submission_from_response(r, form, FORM_ID) for r in responses[:3]]
    assert isinstance(rows[3][1], BadRow)
    assert rows[3][1].response_id == "2_ABaOnudCasse"
    assert load_mapping(ROOT / "examples" / "satisfaction.yaml").for_form(FORM_ID)


def test_a_forms_api_export_without_its_forms_get_description_is_refused(tmp_path: Path) -> None:
    (tmp_path / "responses.json").write_text('{"responses": []}', encoding="utf-8")
    apps_script = FormDescription.read(ROOT / "examples" / "satisfaction-form.json")
    for form in (None, apps_script, FormDescription(FORM_ID, "vide")):
        with pytest.raises(
            ConfigError, match=r"needs the form's Forms API description \(--form with the forms.get JSON\)"
        ):
            list(read_forms_api_export(tmp_path / "responses.json", form, FORM_ID))


def test_an_apps_script_export_has_no_guessed_question_ids() -> None:
    apps_script = FormDescription.read(ROOT / "examples" / "satisfaction-form.json")
    assert [i.item_id for i in apps_script.items] == [i.item_id for i in FORM.items]
    assert all(i.question_id is None for i in apps_script.items)
    assert not apps_script.has_question_ids
