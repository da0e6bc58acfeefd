"""Every refusal and failure answer, and proof that Ogust was not written where it must not be."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from functions_framework import create_app

from ogust_sandbox import Sandbox
from tests.support.function import MAIN, ROOT, SECRET, WRONG_SECRET, Post, example, signed_poster


def assert_nothing_written(sandbox: Sandbox) -> None:
    assert sandbox.writes() == []
    assert sandbox.customers() == []


def test_wrong_secret_is_401(post: Post, sandbox: Sandbox) -> None:
    response = post(example("01-new-customer"), secret=WRONG_SECRET)
    assert response.status_code == 401
    assert "webhook-signature" in response.get_json()["error"]
    assert_nothing_written(sandbox)


def test_tampered_body_is_401(client: FlaskClient, sandbox: Sandbox) -> None:
    from shared.webhook import signed_headers

    body = json.dumps(example("01-new-customer")).encode()
    headers = signed_headers(SECRET, "msg_1", body)
    response = client.post("/", data=body.replace(b"Madame", b"Monsieur"), headers=headers)
    assert response.status_code == 401
    assert_nothing_written(sandbox)


@pytest.mark.parametrize("shift", [-301, 301])
def test_stale_or_future_timestamp_is_401(post: Post, sandbox: Sandbox, shift: int) -> None:
    response = post(example("01-new-customer"), timestamp=int(time.time()) + shift)
    assert response.status_code == 401
    assert "webhook-timestamp" in response.get_json()["error"]
    assert_nothing_written(sandbox)


@pytest.mark.parametrize(
    "overrides",
    [
        {"webhook_signature": "garbage"},
        {"webhook_signature": "v1,not-base64!!"},
        {"webhook_signature": "v1,a,b"},
        {"webhook_timestamp": "demain"},
        {"webhook_id": "un.point"},
        {"webhook_signature": ""},
    ],
)
def test_malformed_headers_are_401_never_500(post: Post, sandbox: Sandbox, overrides: dict[str, str]) -> None:
    response = post(example("01-new-customer"), **overrides)
    assert response.status_code == 401
    assert_nothing_written(sandbox)


def test_missing_headers_are_401(client: FlaskClient, sandbox: Sandbox) -> None:
    response = client.post("/", data=json.dumps(example("01-new-customer")))
    assert response.status_code == 401
    assert "webhook-id is missing" in response.get_json()["error"]
    assert_nothing_written(sandbox)


def test_oversize_body_is_413(post: Post, sandbox: Sandbox) -> None:
    big = example("01-new-customer", answers={"Commentaires": "é" * 140_000})
    response = post(big)
    assert response.status_code == 413
    assert_nothing_written(sandbox)


def test_not_json_is_400(post: Post, sandbox: Sandbox) -> None:
    response = post(b"Nom=Dupont&Prenom=Jean")
    assert response.status_code == 400
    assert "not JSON" in response.get_json()["error"]
    assert_nothing_written(sandbox)


def test_wrong_schema_is_400_naming_the_field(post: Post, sandbox: Sandbox) -> None:
    response = post(example("01-new-customer", submittedAt="hier soir"))
    assert response.status_code == 400
    assert "submittedAt" in response.get_json()["error"]
    assert_nothing_written(sandbox)


def test_get_is_405(client: FlaskClient) -> None:
    assert client.get("/").status_code == 405


def test_missing_required_answer_is_422_naming_field_and_question(post: Post, sandbox: Sandbox) -> None:
    response = post(example("01-new-customer", answers={"Adresse e-mail": "  "}))
    assert response.status_code == 422
    body = response.get_json()
    assert (body["field"], body["question"]) == ("email", "'Adresse e-mail'")
    assert "required" in body["error"]
    assert_nothing_written(sandbox)


def test_invalid_phone_is_422(post: Post, sandbox: Sandbox) -> None:
    response = post(example("01-new-customer", answers={"Téléphone portable": "06 12"}))
    assert response.status_code == 422
    body = response.get_json()
    assert (body["field"], body["question"], body["value"]) == (
        "mobile_phone",
        "'Téléphone portable'",
        "06 12",
    )
    assert_nothing_written(sandbox)


def test_unknown_form_is_422(post: Post, sandbox: Sandbox) -> None:
    response = post(example("01-new-customer", formId="1UnAutreFormulaire"))
    assert response.status_code == 422
    assert "no mapping for form" in response.get_json()["error"]
    assert_nothing_written(sandbox)


def test_several_matching_customers_is_422_and_nothing_written(post: Post, sandbox: Sandbox) -> None:
    for name in ("DARNOUX", "D'ARNOUX"):
        sandbox.seed_customer({"email": "marie-helene.darnoux@exemple.fr", "last_name": name})
    response = post(example("01-new-customer"))
    assert response.status_code == 422
    body = response.get_json()
    assert body["field"] == "email"
    assert len(body["customerIds"]) == 2
    assert sandbox.writes() == []


def test_ogust_ko_on_the_data_is_422(post: Post, sandbox: Sandbox) -> None:
    sandbox.inject_ko("Le champ title est invalide", method="setCustomer")
    response = post(example("01-new-customer"))
    assert response.status_code == 422
    body = response.get_json()
    assert (body["ogustMethod"], body["ogustMessage"]) == ("setCustomer", "Le champ title est invalide")
    assert_nothing_written(sandbox)


def test_ogust_down_is_503_with_retry_after(post: Post, sandbox: Sandbox) -> None:
    sandbox.inject_status(503, count=100)
    response = post(example("01-new-customer"))
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert response.get_json()["status"] == "retry-later"
    sandbox.clear_faults()
    assert_nothing_written(sandbox)


def test_ogust_unreachable_is_503(post: Post, sandbox: Sandbox) -> None:
    sandbox.inject_drop(count=100)
    assert post(example("01-new-customer")).status_code == 503
    sandbox.clear_faults()
    assert_nothing_written(sandbox)


def test_ogust_timeout_is_503(
    function_env: dict[str, str], sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every call answers after 3 s; this function gives up after 0.5 s (these tests' others: 2 s), so
    # each of getToken's three attempts times out all the same, in a quarter of the time.
    monkeypatch.setenv("OGUST_TIMEOUT_SECONDS", "0.5")
    post = signed_poster(create_app("receive_submission", str(MAIN)).test_client())
    sandbox.inject_latency(3000)
    assert post(example("01-new-customer")).status_code == 503
    sandbox.clear_faults()


def test_token_expiry_mid_run_is_refreshed_transparently(post: Post, sandbox: Sandbox) -> None:
    assert post(example("01-new-customer")).status_code == 201
    sandbox.expire_tokens()
    response = post(example("02-same-person-again"))
    assert response.status_code == 200
    assert response.get_json()["status"] == "updated"
    assert sandbox.calls()["getToken"] == 2
    assert len(sandbox.customers()) == 1


def test_ogust_refusing_the_keys_is_503_and_names_no_key(
    post: Post, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, client: FlaskClient
) -> None:
    from functions_framework import create_app

    from tests.support.function import MAIN

    monkeypatch.setenv("OGUST_PRIVATE_KEY", "FFFFFFFFFFFFFFFF")
    bad = create_app("receive_submission", str(MAIN)).test_client()
    body = json.dumps(example("01-new-customer")).encode()
    from shared.webhook import signed_headers

    response = bad.post("/", data=body, headers=signed_headers(SECRET, "msg_1", body))
    assert response.status_code == 503
    assert "FFFFFFFFFFFFFFFF" not in response.get_data(as_text=True)
    assert_nothing_written(sandbox)


def test_webhook_secret_from_secret_manager_and_503_when_it_is_down_or_missing(
    sandbox: Sandbox,
    function_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from functions_framework import create_app

    from shared.webhook import signed_headers
    from tests.support.fakes.secret_manager import FakeSecretManager
    from tests.support.function import MAIN

    fake = FakeSecretManager().start()
    try:
        fake.add_version("webhook-secret", SECRET)
        monkeypatch.setenv("WEBHOOK_SECRET_NAME", "webhook-secret")
        monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "agence-demo")
        monkeypatch.setenv("SECRET_MANAGER_ENDPOINT", fake.endpoint)
        client = create_app("receive_submission", str(MAIN)).test_client()
        other = json.dumps(example("03-another-person")).encode()
        assert client.post("/", data=other, headers=signed_headers(SECRET, "msg_3", other)).status_code == 201
        writes = len(sandbox.writes())
        client = create_app("receive_submission", str(MAIN)).test_client()  # a new instance: no cache
        body = json.dumps(example("01-new-customer")).encode()
        fake.unavailable = True
        assert client.post("/", data=body, headers=signed_headers(SECRET, "msg_1", body)).status_code == 503
        fake.unavailable = False
        del fake.secrets["webhook-secret"]
        response = client.post("/", data=body, headers=signed_headers(SECRET, "msg_1", body))
        assert response.status_code == 503
        assert "webhook-secret" not in response.get_data(as_text=True)  # the details stay in the logs
        assert "secret 'webhook-secret' or its version does not exist" in capsys.readouterr().out
        assert len(sandbox.writes()) == writes
    finally:
        fake.stop()


@pytest.mark.parametrize(
    ("body", "named"),
    [
        (b'{"schemaVersion": 1, "formId": "\\ud800"}', "lone UTF-16 surrogate"),
        (b"[" * 50_000 + b"]" * 50_000, "nests"),
        (b'{"schemaVersion": 1, "answers": ' + b"9" * 5_000 + b"}", "number too long"),
        (b'{"formId": "caf\xe9"}', "not UTF-8"),  # Latin-1, not UTF-8
    ],
    ids=["surrogate", "deep-nesting", "huge-integer", "not-utf8"],
)
def test_malformed_json_is_400_naming_the_problem(
    post: Post, sandbox: Sandbox, body: bytes, named: str
) -> None:
    response = post(body)
    assert response.status_code == 400
    assert named in response.get_json()["error"]
    assert_nothing_written(sandbox)


def test_a_surrogate_inside_an_answer_names_the_answer(post: Post, sandbox: Sandbox) -> None:
    body = json.dumps(example("01-new-customer", answers={"Nom": "LEF\ud800VRE"})).encode()
    response = post(body)
    assert response.status_code == 400
    assert "answers[1].value" in response.get_json()["error"]
    assert_nothing_written(sandbox)


@pytest.mark.parametrize(
    ("submitted_at", "why"),
    [("2999-01-01T00:00:00Z", "in the future"), ("1999-12-31T23:59:59Z", "before 2000")],
)
def test_an_implausible_submission_date_is_400_naming_the_field(
    post: Post, sandbox: Sandbox, submitted_at: str, why: str
) -> None:
    response = post(example("01-new-customer", submittedAt=submitted_at))
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert "submittedAt" in error
    assert why in error
    assert_nothing_written(sandbox)


def test_a_refused_address_after_the_customer_was_written_says_what_was_applied(
    post: Post, sandbox: Sandbox
) -> None:
    sandbox.seed_customer(
        {
            "email": "marie-helene.darnoux@exemple.fr",
            "last_name": "D'ARNOUX-LEFÈVRE",
            "main_address": {"line": "12 rue de l'Église", "zip": "94240", "city": "L'HAŸ-LES-ROSES"},
        }
    )
    sandbox.inject_ko("Adresse invalide : code postal inconnu", method="setAddress")
    response = post(example("02-same-person-again"))
    assert response.status_code == 422
    body = response.get_json()
    assert body["ogustMethod"] == "setAddress"
    assert "main_address.line" in body["notApplied"]
    assert body["applied"]
    assert "main_address.line" not in body["applied"]
    assert body["customerId"] == sandbox.customers()[0]["id_customer"]
    assert [w["method"] for w in sandbox.writes()] == ["setCustomer"]

    # Fixed in Ogust (here: the fault is gone), the same answer sent again completes it: only the
    # address is written, the customer fields already applied are not sent again.
    again = post(example("02-same-person-again"))
    assert again.status_code == 200
    assert again.get_json()["changed"] == ["main_address.line"]
    assert [w["method"] for w in sandbox.writes()] == ["setCustomer", "setAddress"]
    assert len(sandbox.customers()) == 1


def test_custom_fields_refused_after_a_create_are_completed_by_the_retry(
    sandbox: Sandbox, function_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        (ROOT / "examples" / "satisfaction.yaml")
        .read_text(encoding="utf-8")
        .replace(
            "    fields:\n",
            "    custom_fields:\n      NOTESAT: {answer: Note globale (1 à 5)}\n    fields:\n",
            1,
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("MAPPING_FILE", str(mapping))
    send = signed_poster(create_app("receive_submission", str(MAIN)).test_client())
    sandbox.inject_status(503, method="setThirdPartyInformations", count=3)
    first = send(example("01-new-customer"))
    assert first.status_code == 503
    details = first.get_json()
    assert details["notApplied"] == ["custom.NOTESAT"]
    assert "email" in details["applied"]
    sandbox.clear_faults()
    second = send(example("01-new-customer"))
    assert second.status_code == 200
    assert second.get_json()["changed"] == ["custom.NOTESAT"]
    assert len(sandbox.customers()) == 1
    assert sandbox.third_party_values(sandbox.customers()[0]["id_customer"]) == {"NOTESAT": "4"}


def test_ogust_ko_carried_by_a_500_is_a_retry_and_the_retry_creates_once(
    sandbox: Sandbox, function_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A 500 may come from a server that applied the create all the same, late: until a search finds
    # the customer or the grace period has passed, the retry waits (503) instead of creating.
    monkeypatch.setenv("OGUST_WRITE_GRACE_SECONDS", "1")
    post = signed_poster(create_app("receive_submission", str(MAIN)).test_client())
    sandbox.inject_ko("Erreur interne, réessayez plus tard", method="setCustomer", status=500)
    first = post(example("01-new-customer"))
    assert first.status_code == 503
    assert first.get_json()["ogustMessage"] == "Erreur interne, réessayez plus tard"
    assert sandbox.customers() == []
    early = post(example("01-new-customer"))
    assert early.status_code == 503
    assert "may still reach Ogust" in early.get_json()["error"]
    time.sleep(1.1)  # the grace period: the search still finds nothing, so the create never landed
    retry = post(example("01-new-customer"))
    assert retry.status_code == 201
    assert len(sandbox.customers()) == 1


@pytest.mark.parametrize("fault", ["503", "500", "drop", "timeout"])
def test_a_create_ogust_applied_but_did_not_confirm_is_found_by_the_retry_not_made_twice(
    post: Post, sandbox: Sandbox, fault: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if fault == "drop":
        sandbox.inject_drop(method="setCustomer", apply=True)
    elif fault == "timeout":
        # Applied at once, answered after 3 s; a function giving up after 1 s (not 2) is as sure.
        monkeypatch.setenv("OGUST_TIMEOUT_SECONDS", "1")
        post = signed_poster(create_app("receive_submission", str(MAIN)).test_client())
        sandbox.inject_slow(3000, method="setCustomer")
    else:
        sandbox.inject_status(int(fault), method="setCustomer", apply=True)
    first = post(example("01-new-customer"))
    assert first.status_code == 503
    assert first.get_json()["maybeApplied"] is True
    assert sandbox.calls()["setCustomer"] == 1, "an uncertain write is never repeated blindly"
    assert len(sandbox.customers()) == 1  # Ogust did apply it
    retry = post(example("01-new-customer"))
    assert retry.status_code == 200
    assert retry.get_json()["status"] in ("unchanged", "updated")
    assert len(sandbox.customers()) == 1


@pytest.mark.parametrize("typed", ["pas une adresse", "\u200b"])
def test_an_email_lookup_that_is_no_address_is_422_naming_the_question(
    post: Post, sandbox: Sandbox, typed: str
) -> None:
    response = post(example("01-new-customer", answers={"Adresse e-mail": typed}))
    assert response.status_code == 422
    body = response.get_json()
    assert body["field"] == "email"
    assert "Adresse e-mail" in body["question"]
    assert_nothing_written(sandbox)
