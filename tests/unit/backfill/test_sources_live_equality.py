"""Every example mapping gives the same result from a live submission and from the same answers
exported as CSV by Google (French and English), once the form description is given."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from shared.backfill.csv_export import CsvExport
from shared.errors import SubmissionRejected
from shared.mapping import MappingFile, load_mapping, plan
from shared.mapping.form import FormDescription
from shared.webhook import Submission
from tests.support.google_export import Language, export

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
MAPPINGS = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))


def samples(name: str) -> list[dict[str, Any]]:
    folder = EXAMPLES / "submissions" / name
    files = (
        sorted(folder.glob("*.json"))
        if folder.is_dir()
        else sorted((EXAMPLES / "submissions").glob("0*.json"))
    )
    return [json.loads(f.read_text(encoding="utf-8")) for f in files]


def outcome(mapping: MappingFile, submission: Submission) -> Any:
    """What the mapping makes of a submission: values, lookup and skip, or the refusal."""
    try:
        result = plan(mapping.for_form(submission.form_id), submission)
    except SubmissionRejected as exc:
        return ("rejected", str(exc), exc.field)
    return (result.by_label(), [(t.label, v) for t, v in result.lookup], result.skipped)


def test_every_example_mapping_is_covered() -> None:
    assert MAPPINGS == [
        "job-application",
        "quote-request",
        "registration",
        "satisfaction",
        "satisfaction-clients",
    ]
    assert all(samples(name) for name in MAPPINGS)


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("name", MAPPINGS)
def test_a_csv_export_plans_exactly_like_the_live_submissions(
    name: str, language: Language, tmp_path: Path
) -> None:
    mapping = load_mapping(EXAMPLES / f"{name}.yaml")
    form = FormDescription.read(EXAMPLES / f"{name}-form.json")
    live = [Submission.model_validate(s) for s in samples(name)]
    path = tmp_path / "réponses.csv"
    path.write_text(export(samples(name), form, language), encoding="utf-8")
    read = CsvExport.read(path, form.form_id, form=form)
    from_csv = [item for _, item in read.rows]
    assert all(isinstance(item, Submission) for item in from_csv), from_csv
    assert len(from_csv) == len(live)
    for live_sub, csv_sub in zip(live, from_csv, strict=True):
        assert isinstance(csv_sub, Submission)
        assert csv_sub.submitted_at == live_sub.submitted_at
        assert csv_sub.respondent_email == live_sub.respondent_email
        assert outcome(mapping, csv_sub) == outcome(mapping, live_sub)


def test_the_checks_are_not_vacuous_without_the_form(tmp_path: Path) -> None:
    """Without --form the registration's dates and checkboxes differ: the equality above is earned."""
    mapping = load_mapping(EXAMPLES / "registration.yaml")
    form = FormDescription.read(EXAMPLES / "registration-form.json")
    path = tmp_path / "réponses.csv"
    path.write_text(export(samples("registration"), form, "fr"), encoding="utf-8")
    (_, first), _ = CsvExport.read(path, form.form_id).rows
    assert isinstance(first, Submission)
    live = Submission.model_validate(samples("registration")[0])
    assert outcome(mapping, first) != outcome(mapping, live)


SHIPPED = sorted((EXAMPLES / "exports").glob("*.csv"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_the_shipped_export_samples_plan_like_their_live_submissions(path: Path) -> None:
    name = path.name.split("-responses-")[0]
    mapping = load_mapping(EXAMPLES / f"{name}.yaml")
    form = FormDescription.read(EXAMPLES / f"{name}-form.json")
    live = [Submission.model_validate(s) for s in samples(name)]
    rows = [item for _, item in CsvExport.read(path, form.form_id, form=form).rows]
    assert [outcome(mapping, r) for r in rows if isinstance(r, Submission)] == [
        outcome(mapping, s) for s in live
    ]


def test_every_example_has_a_shipped_export_sample() -> None:
    assert {p.name.split("-responses-")[0] for p in SHIPPED} == set(MAPPINGS)
    assert any(
        p.read_bytes().decode("cp1252").startswith("Horodateur;") for p in SHIPPED if "excel" in p.name
    )
