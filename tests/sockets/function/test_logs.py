"""What the function logs for a submission: one JSON line per event, masked, with no secret."""

from __future__ import annotations

import json

import pytest

from ogust_sandbox import Sandbox
from tests.support.function import SECRET, Post, example


def lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]


def test_outcome_logged_with_trace_and_response_id(
    post: Post, sandbox: Sandbox, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "agence-demo")
    from functions_framework import create_app

    from shared.webhook import signed_headers
    from tests.support.function import MAIN

    client = create_app("receive_submission", str(MAIN)).test_client()
    body = json.dumps(example("01-new-customer")).encode()
    headers = {**signed_headers(SECRET, "msg_1", body), "X-Cloud-Trace-Context": "abc123/1;o=1"}
    assert client.post("/", data=body, headers=headers).status_code == 201
    (entry,) = [e for e in lines(capsys) if e.get("responseId")]
    assert entry["severity"] == "INFO"
    assert entry["status"] == "created"
    assert entry["responseId"] == "2_ABaOnudExemple0001"
    assert entry["logging.googleapis.com/trace"] == "projects/agence-demo/traces/abc123"


def test_refusal_logs_are_masked_and_hold_no_secret(
    post: Post, sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    post(example("01-new-customer", answers={"Téléphone portable": "06 12 34 5"}))
    post(example("01-new-customer"), secret="whsec_" + "QUJD" * 8)
    out = capsys.readouterr().out
    assert "06 12 34 5" not in out
    assert SECRET not in out
    assert sandbox.keys[1] not in out
    assert "marie-helene.darnoux@exemple.fr" not in out
    severities = [json.loads(line)["severity"] for line in out.splitlines() if line.startswith("{")]
    assert severities == ["WARNING", "WARNING"]
