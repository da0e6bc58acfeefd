"""The worker entry point through functions-framework, fed push envelopes like Pub/Sub's."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from functions_framework import create_app

from ogust_sandbox import Sandbox
from tests.support.function import MAIN, example
from tests.support.queue_world import SATISFACTION

Push = Callable[..., Any]


@pytest.fixture
def worker_env(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OGUST_KEYS_SECRET", "WEBHOOK_SECRET", "WEBHOOK_SECRET_NAME", "DELIVERY_MODE", "LEDGER"):
        monkeypatch.delenv(name, raising=False)
    env = {
        **sandbox.settings,
        "MAPPING_FILE": str(SATISFACTION),
        "GOOGLE_CLOUD_PROJECT": "demo-worker",
        "DEAD_LETTER_TOPIC": "form-submissions-dead-letters",
        "OGUST_TIMEOUT_SECONDS": "2",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)


@pytest.fixture
def worker(worker_env: None) -> FlaskClient:
    # No webhook secret at all: the worker must not need one.
    return create_app("process_submission", str(MAIN)).test_client()


@pytest.fixture
def push(worker: FlaskClient) -> Push:
    """POST a submission wrapped the way a Pub/Sub push subscription wraps it."""

    def send(payload: dict[str, Any] | bytes, *, wrap: str = "push") -> Any:
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        message = {"data": base64.b64encode(data).decode(), "attributes": {}, "messageId": "42"}
        body = {"message": message, "subscription": "projects/demo-worker/subscriptions/push"}
        if wrap == "cloudevent":  # Eventarc: the same message as a binary-mode CloudEvent's data
            body = {"message": message}
        return worker.post("/", json=body)

    return send


def test_worker_applies_a_pushed_submission_and_acknowledges(push: Push, sandbox: Sandbox) -> None:
    assert push(example("01-new-customer")).status_code == 204
    assert len(sandbox.customers()) == 1


def test_cloudevent_shaped_body_is_accepted_too(push: Push, sandbox: Sandbox) -> None:
    assert push(example("01-new-customer"), wrap="cloudevent").status_code == 204
    assert len(sandbox.customers()) == 1


def test_ogust_down_is_a_nack_so_pubsub_retries(push: Push, sandbox: Sandbox) -> None:
    sandbox.inject_status(503, count=10)
    assert push(example("01-new-customer")).status_code == 503
    assert sandbox.customers() == []


def test_duplicate_delivery_is_acknowledged_without_any_ogust_call(push: Push, sandbox: Sandbox) -> None:
    push(example("01-new-customer"))
    calls = sum(sandbox.calls().values())
    assert push(example("01-new-customer")).status_code == 204
    assert sum(sandbox.calls().values()) == calls


def test_older_edit_arriving_after_a_newer_one_is_skipped(
    push: Push, sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    newer = example("01-new-customer", submittedAt="2026-11-28T10:00:00.000Z", answers={"Ville": "Créteil"})
    older = example("01-new-customer", submittedAt="2026-11-28T09:00:00.000Z", answers={"Ville": "Paris"})
    assert push(newer).status_code == 204
    assert push(older).status_code == 204
    assert sandbox.customers()[0]["main_address"]["city"] == "CRÉTEIL"
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    skipped = [e for e in lines if e.get("status") == "skipped"]
    assert len(skipped) == 1
    assert "newer edit" in skipped[0]["reason"]


def test_newer_edit_of_the_same_response_is_applied(push: Push, sandbox: Sandbox) -> None:
    push(example("01-new-customer", submittedAt="2026-11-28T09:00:00.000Z"))
    edited = example("01-new-customer", submittedAt="2026-11-28T11:00:00.000Z", answers={"Ville": "Créteil"})
    assert push(edited).status_code == 204
    assert sandbox.customers()[0]["main_address"]["city"] == "CRÉTEIL"


def test_not_a_push_body_is_a_nack_never_a_crash(worker: FlaskClient, sandbox: Sandbox) -> None:
    response = worker.post("/", data=b"bonjour")
    assert response.status_code == 400
    assert sandbox.writes() == []


def test_refused_submission_that_cannot_be_parked_is_nacked_never_lost(
    push: Push, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No Pub/Sub reachable: parking fails, so the worker must not acknowledge.
    monkeypatch.setenv("PUBSUB_EMULATOR_HOST", "127.0.0.1:9")
    from shared.delivery import _pubsub

    monkeypatch.setattr(_pubsub, "PUBLISH_TIMEOUT_SECONDS", 1.0)
    worker = create_app("process_submission", str(MAIN)).test_client()
    data = json.dumps(example("01-new-customer", answers={"Adresse e-mail": ""})).encode()
    message = {"data": base64.b64encode(data).decode(), "messageId": "7"}
    response = worker.post("/", json={"message": message, "subscription": "s"})
    assert response.status_code == 503
    assert sandbox.writes() == []


def test_a_create_applied_by_ogust_behind_a_503_is_nacked_then_found_not_made_twice(
    push: Push, sandbox: Sandbox
) -> None:
    sandbox.inject_status(503, method="setCustomer", apply=True)
    assert push(example("01-new-customer")).status_code == 503  # Pub/Sub will deliver it again
    assert len(sandbox.customers()) == 1
    assert push(example("01-new-customer")).status_code == 204  # the redelivery searches first
    assert len(sandbox.customers()) == 1
    assert sandbox.calls()["setCustomer"] == 1
