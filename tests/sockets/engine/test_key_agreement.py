"""Several lookup keys must agree: a key that finds a customer whose other key holds another value
has found someone else. Through the function (functions-framework, sync mode) on the sandbox."""

from __future__ import annotations

import json
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from functions_framework import create_app

from ogust_sandbox import Sandbox
from shared.exactly_once import apply_once, guard_for
from shared.mapping import load_mapping
from shared.ogust import OgustClient
from shared.ogust._keys import StaticKeys
from shared.webhook import Submission
from tests.support.function import MAIN, SETTINGS_TO_CLEAR, Post, signed_poster, sync_env

ROOT = Path(__file__).resolve().parents[3]
QUOTE = ROOT / "examples" / "quote-request.yaml"

MOTHER = {
    "title": "Mme",
    "first_name": "Colette",
    "last_name": "DUPONT-MOREAU",
    "email": "colette.dupont-moreau@exemple.fr",
    "mobile_phone": "06 98 76 54 32",
}


def request(response: str, name: str, email: str, phone: str = "06 98 76 54 32") -> dict[str, Any]:
    """A quote request of the example form: `name`'s, from `email`, with the family's phone."""
    data: dict[str, Any] = json.loads(
        (ROOT / "examples/submissions/quote-request/01-new-prospect.json").read_text(encoding="utf-8")
    )
    answers = {"Nom complet": name, "E-mail": email, "Téléphone": phone, "Civilité": "Madame"}
    data["responseId"] = response
    data["answers"] = [{**a, "value": answers.get(a["title"], a["value"])} for a in data["answers"]]
    return data


def poster(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, mapping: Path) -> Post:
    for name in SETTINGS_TO_CLEAR:
        monkeypatch.delenv(name, raising=False)
    for key, value in sync_env(sandbox, MAPPING_FILE=str(mapping)).items():
        monkeypatch.setenv(key, value)
    client: FlaskClient = create_app("receive_submission", str(MAIN)).test_client()
    return signed_poster(client)


def with_on_conflict(tmp_path: Path, choice: str) -> Path:
    text = QUOTE.read_text(encoding="utf-8")
    assert "    on_conflict: refuse\n" in text
    path = tmp_path / f"quote-{choice}.yaml"
    path.write_text(
        text.replace("    on_conflict: refuse\n", f"    on_conflict: {choice}\n"), encoding="utf-8"
    )
    return path


def test_a_new_email_with_a_phone_held_by_someone_else_is_422_naming_both_keys_and_the_customer(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    mother = sandbox.seed_customer(MOTHER)
    before = sandbox.customers()
    post = poster(sandbox, monkeypatch, QUOTE)
    # The daughter asks for a quote from her own e-mail and the family's phone.
    response = post(request("2_DevisFille", "Sophie Dupont-Moreau", "sophie.dupont@exemple.fr"))
    assert response.status_code == 422, response.get_data(as_text=True)
    body = response.get_json()
    assert body["keys"] == ["mobile_phone", "email"]
    assert body["customerIds"] == [mother]
    assert mother in body["error"]
    assert "mobile_phone" in body["error"]
    assert "email" in body["error"]
    assert sandbox.writes() == []
    assert sandbox.customers() == before


def test_with_on_conflict_create_the_other_person_is_a_new_customer_and_the_first_is_unchanged(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    mother = sandbox.seed_customer(MOTHER)
    (before,) = sandbox.customers()
    post = poster(sandbox, monkeypatch, with_on_conflict(tmp_path, "create"))
    response = post(request("2_DevisFille", "Sophie Dupont-Moreau", "sophie.dupont@exemple.fr"))
    assert response.status_code == 201, response.get_data(as_text=True)
    daughter = response.get_json()["customerId"]
    assert daughter != mother
    by_id = {str(c["id_customer"]): c for c in sandbox.customers()}
    assert set(by_id) == {mother, daughter}
    assert by_id[mother] == before
    assert (by_id[daughter]["email"], by_id[daughter]["mobile_phone"]) == (
        "sophie.dupont@exemple.fr",
        "0698765432",
    )

    # Her next request finds her own customer by her e-mail (the phone agrees): no third one.
    again = post(request("2_DevisFille2", "Sophie Dupont-Moreau", "Sophie.Dupont@exemple.fr"))
    assert again.status_code == 200, again.get_data(as_text=True)
    assert again.get_json()["customerId"] == daughter
    assert len(sandbox.customers()) == 2
    assert {str(c["id_customer"]): c for c in sandbox.customers()}[mother] == before


def test_keys_that_agree_update_the_customer_and_an_empty_other_key_is_no_conflict(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    mother = sandbox.seed_customer({**MOTHER, "mobile_phone": ""})
    post = poster(sandbox, monkeypatch, QUOTE)
    response = post(request("2_DevisMere", "Colette Dupont-Moreau", "Colette.Dupont-Moreau@exemple.fr"))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["customerId"] == mother
    (customer,) = sandbox.customers()
    assert customer["mobile_phone"] == "0698765432"


def test_families_sharing_a_phone_at_once_with_on_conflict_create_make_one_customer_each_never_an_overwrite(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    # Six families, mother and daughter answering at the same moment from their own e-mails and
    # the family's phone: the phone's lease puts them one after the other; the second finds the
    # first by the phone, with another e-mail, and becomes a customer of her own.
    sandbox.inject_latency(30)
    mapping = load_mapping(with_on_conflict(tmp_path, "create"))
    guard = guard_for(None)
    answers = [
        Submission.model_validate(
            request(
                f"2_DevisFamille{i}{who}",
                f"{who} Famille{i}",
                f"{who.lower()}.famille{i}@exemple.fr",
                f"06 98 76 54 {i:02d}",
            )
        )
        for i in range(6)
        for who in ("Colette", "Sophie")
    ]
    start = threading.Barrier(len(answers))

    def deliver(sub: Submission) -> str:
        start.wait(timeout=30)
        with OgustClient(sandbox.url, StaticKeys(*sandbox.keys), timeout=5.0, sleep=lambda _: None) as ogust:
            return apply_once(sub, mapping, ogust, guard).status

    with ThreadPoolExecutor(max_workers=len(answers)) as pool:
        statuses = list(pool.map(deliver, answers))
    assert statuses == ["created"] * 12
    customers = sandbox.customers()
    assert sorted(c["email"] for c in customers) == sorted(
        f"{who}.famille{i}@exemple.fr" for i in range(6) for who in ("colette", "sophie")
    )
    assert set(Counter(c["mobile_phone"] for c in customers).values()) == {2}
