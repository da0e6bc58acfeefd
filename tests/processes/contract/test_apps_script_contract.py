"""Cross-language contract: the requests the real Apps Script sender emits pass the Python side.

`apps_script/test/emit_requests.js` runs the real `.gs` files in Node (node:vm, Apps Script
stand-ins) and prints the exact HTTP requests (headers + body bytes) for French sample responses.
Each one must pass `shared.webhook.verify_signature`, parse into the right `Submission`, and pass
the reference library `standardwebhooks.Webhook(secret).verify`.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from shared.errors import SignatureError
from shared.webhook import parse_submission, verify_signature

ROOT = Path(__file__).resolve().parents[3]
EMITTER = ROOT / "apps_script" / "test" / "emit_requests.js"
SECRET = "whsec_" + base64.b64encode(b"cle-du-contrat-apps-script-32o!!").decode()
OTHER_SECRET = "whsec_" + base64.b64encode(b"une-autre-cle-secrete-32-octets!").decode()
FIXED_NOW = 1_795_857_300  # 2026-11-28T09:15:00Z, the sender's fake clock
SAMPLES = ["intervention_full", "intervention_edited", "workshop_no_email"]

Request = dict[str, Any]


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node is required in CI to run the Apps Script contract tests")
        pytest.skip("node is not installed: the Apps Script contract cannot be checked here")
    return node


def _emit(*, now: str) -> dict[str, Request]:
    completed = subprocess.run(
        [_node(), str(EMITTER), "--secret", SECRET, "--now", now],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    return {r["name"]: r for r in json.loads(completed.stdout)["requests"]}


@pytest.fixture(scope="module")
def fixed_clock_requests() -> dict[str, Request]:
    """Requests signed at FIXED_NOW, checked with `now=FIXED_NOW`."""
    return _emit(now=str(FIXED_NOW))


@pytest.fixture(scope="module")
def real_clock_requests() -> dict[str, Request]:
    """Requests signed with the real clock, for the reference library (it reads time.time())."""
    return _emit(now="real")


def _body(request: Request) -> bytes:
    return base64.b64decode(request["bodyBase64"])


@pytest.mark.parametrize("name", SAMPLES)
def test_shared_webhook_accepts_the_apps_script_signature(
    fixed_clock_requests: dict[str, Request], name: str
) -> None:
    request = fixed_clock_requests[name]
    verify_signature(request["headers"], _body(request), [SECRET], now=FIXED_NOW)


@pytest.mark.parametrize("name", SAMPLES)
def test_reference_library_accepts_the_apps_script_signature(
    real_clock_requests: dict[str, Request], name: str
) -> None:
    request = real_clock_requests[name]
    parsed = Webhook(SECRET).verify(_body(request), request["headers"])
    assert parsed["responseId"] == request["expected"]["responseId"]


@pytest.mark.parametrize("name", SAMPLES)
def test_request_is_an_ascii_json_post(fixed_clock_requests: dict[str, Request], name: str) -> None:
    request = fixed_clock_requests[name]
    assert request["method"] == "post"
    assert request["contentType"] == "application/json"
    assert request["url"].startswith("https://")
    assert _body(request).isascii()
    assert request["headers"]["webhook-timestamp"] == str(FIXED_NOW)
    assert request["headers"]["webhook-id"].startswith("sub_")
    assert "." not in request["headers"]["webhook-id"]


@pytest.mark.parametrize("name", SAMPLES)
def test_parse_submission_restores_the_original_answers(
    fixed_clock_requests: dict[str, Request], name: str
) -> None:
    request = fixed_clock_requests[name]
    expected = request["expected"]
    submission = parse_submission(_body(request))
    assert submission.schema_version == 1
    assert submission.form_id == expected["formId"]
    assert submission.form_title == expected["formTitle"]
    assert submission.response_id == expected["responseId"]
    assert submission.submitted_at == datetime.fromisoformat(expected["submittedAt"])
    assert submission.submitted_at.utcoffset() == timedelta(0)
    assert submission.respondent_email == expected["respondentEmail"]
    assert {str(a.item_id): a.value for a in submission.answers} == expected["answers"]


def test_french_values_survive_the_trip(fixed_clock_requests: dict[str, Request]) -> None:
    submission = parse_submission(_body(fixed_clock_requests["intervention_full"]))
    by_title = {a.title: a for a in submission.answers}
    assert submission.form_title == "Demande d'intervention — Aide à domicile"
    assert submission.respondent_email == "zoé.dupont-lefèvre@example.fr"
    assert by_title["Prénom"].value == "Zoé"
    assert by_title["Ville"].value == "L'Haÿ-les-Roses"
    assert by_title["Commentaire"].value == (
        "Merci ! 😊 Entrée côté cour, 2ᵉ étage.\nCode : « 1234 » — sonnez fort."
    )
    assert by_title["Services souhaités"].type == "CHECKBOX"
    assert by_title["Services souhaités"].value == ["Ménage", "Courses", "Aide à la toilette"]
    assert by_title["Disponibilités"].value == ["Matin", "", "Soir"]
    assert by_title["Créneaux"].value == [["Matin", "Après-midi"], ["Soir"]]
    assert by_title["Justificatif de domicile"].value == ["1AbC-dEfGhIjKlMnOpQrStUvWxYz_0123"]
    assert by_title["Niveau d'autonomie"].value == "4"
    assert by_title["Complément d'adresse"].value == ""
    assert "Animaux au domicile" not in by_title


def test_no_email_collected_gives_none(fixed_clock_requests: dict[str, Request]) -> None:
    submission = parse_submission(_body(fixed_clock_requests["workshop_no_email"]))
    assert submission.respondent_email is None
    assert submission.answers[0].value == "François N'Guessan-Noël"


def test_edited_response_has_a_new_webhook_id_and_the_same_response_id(
    fixed_clock_requests: dict[str, Request],
) -> None:
    first = fixed_clock_requests["intervention_full"]
    edited = fixed_clock_requests["intervention_edited"]
    assert first["headers"]["webhook-id"] != edited["headers"]["webhook-id"]
    assert first["expected"]["responseId"] == edited["expected"]["responseId"]


def test_webhook_id_does_not_depend_on_the_clock(
    fixed_clock_requests: dict[str, Request], real_clock_requests: dict[str, Request]
) -> None:
    for name in SAMPLES:
        fixed_id = fixed_clock_requests[name]["headers"]["webhook-id"]
        assert fixed_id == real_clock_requests[name]["headers"]["webhook-id"]


def _tampered(body: bytes) -> bytes:
    index = body.index(b"Dupont")
    return body[:index] + b"E" + body[index + 1 :]


def test_tampered_body_is_rejected_by_shared_webhook(fixed_clock_requests: dict[str, Request]) -> None:
    request = fixed_clock_requests["intervention_full"]
    with pytest.raises(SignatureError):
        verify_signature(request["headers"], _tampered(_body(request)), [SECRET], now=FIXED_NOW)


def test_tampered_body_is_rejected_by_the_reference_library(real_clock_requests: dict[str, Request]) -> None:
    request = real_clock_requests["intervention_full"]
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(_tampered(_body(request)), request["headers"])


def test_wrong_secret_is_rejected_by_shared_webhook(fixed_clock_requests: dict[str, Request]) -> None:
    request = fixed_clock_requests["intervention_full"]
    with pytest.raises(SignatureError):
        verify_signature(request["headers"], _body(request), [OTHER_SECRET], now=FIXED_NOW)


def test_wrong_secret_is_rejected_by_the_reference_library(real_clock_requests: dict[str, Request]) -> None:
    request = real_clock_requests["intervention_full"]
    with pytest.raises(WebhookVerificationError):
        Webhook(OTHER_SECRET).verify(_body(request), request["headers"])


def test_rotated_secrets_accept_the_current_one(fixed_clock_requests: dict[str, Request]) -> None:
    request = fixed_clock_requests["intervention_full"]
    verify_signature(request["headers"], _body(request), [OTHER_SECRET, SECRET], now=FIXED_NOW)


def test_stale_request_is_rejected(fixed_clock_requests: dict[str, Request]) -> None:
    request = fixed_clock_requests["intervention_full"]
    with pytest.raises(SignatureError):
        verify_signature(request["headers"], _body(request), [SECRET], now=FIXED_NOW + 301)
