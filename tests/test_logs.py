"""Structured logs: Cloud Logging fields, trace correlation, personal data masked."""

from __future__ import annotations

import io
import json

import pytest

from shared.logs import log, log_context, mask, trace_fields


def test_mask_hides_emails_and_phone_numbers() -> None:
    text = mask("marie-helene.darnoux@exemple.fr a laissé le 06 12 34 56 78 et le +33 7 81 22 33 44")
    assert text == "m***@e***.fr a laissé le 06******78 et le 33*******44"


@pytest.mark.parametrize(
    ("written", "masked"),
    [
        ("zoé.lefèvre＠exemple.fr", "z***@e***.fr"),  # a fullwidth at sign
        ("jean﹫exemple.fr", "j***@e***.fr"),  # a small at sign
        ("06\u00a012\u00a034\u00a056\u00a078", "06******78"),  # non-breaking spaces
        ("06\u202f12\u202f34\u202f56\u202f78", "06******78"),  # narrow ones, as French typography has it
        ("06.12.34.56.78", "06******78"),
        ("06-12-34-56-78", "06******78"),
        ("(+33) 6 12 34 56 78", "(33*******78"),
    ],
)
def test_mask_knows_every_way_of_writing_them(written: str, masked: str) -> None:
    assert mask(f"écrire à {written} svp") == f"écrire à {masked} svp"


def test_mask_keeps_dates_amounts_and_short_numbers() -> None:
    assert (
        mask("le 2026-11-28, note 4/5, code 94240, 12,50 €") == "le 2026-11-28, note 4/5, code 94240, 12,50 €"
    )


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
            error="tel 0612345678",
        )
    entry = json.loads(out.getvalue())
    assert entry["severity"] == "WARNING"
    assert entry["message"] == "refusé pour z***@e***.fr"
    assert entry["responseId"] == "2_ABaOnud0001"
    assert entry["customerId"] == "344563872"
    assert entry["error"] == "tel 06******78"
    assert out.getvalue().count("\n") == 1
