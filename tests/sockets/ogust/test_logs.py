"""The client's warnings: one JSON line each through shared.logs, masked, with the request's context."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from ogust_sandbox import Sandbox
from shared.logs import log_context
from shared.ogust import OgustClient


def json_lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    out = capsys.readouterr().out
    return [json.loads(line) for line in out.splitlines()]  # every line must be JSON


def test_retry_warning_is_one_json_line_with_severity_and_request_context(
    sandbox: Sandbox,
    ogust_client: OgustClient,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    sandbox.inject_ko("Client zoe.lefevre@example.fr : erreur interne", status=500, method="searchCustomer")
    trace = {"logging.googleapis.com/trace": "projects/agence-demo/traces/abc123"}
    with log_context(responseId="2_ABaOnud0001", **trace):
        ogust_client.search_customers(email="zoe.lefevre@example.fr")
    (line,) = json_lines(capsys)
    assert line["severity"] == "WARNING"
    assert (line["ogustMethod"], line["attempt"], line["maxAttempts"]) == ("searchCustomer", 1, 3)
    assert line["responseId"] == "2_ABaOnud0001"
    assert line["logging.googleapis.com/trace"] == trace["logging.googleapis.com/trace"]
    assert "HTTP 500" in line["message"]
    assert "z***@e***.fr" in line["message"]
    assert "zoe.lefevre" not in json.dumps(line)
    assert not [r for r in caplog.records if r.name.startswith("shared.ogust")]  # no plain-text twin


def test_refused_keys_warning_is_json_and_names_no_key(
    sandbox: Sandbox, ogust_client: OgustClient, capsys: pytest.CaptureFixture[str]
) -> None:
    sandbox.inject_ko(f"Clé {sandbox.keys.public_key} refusée", count=1, method="getToken")
    ogust_client.get_list("customer.origin")
    (line,) = json_lines(capsys)
    assert line["severity"] == "WARNING"
    assert line["ogustMethod"] == "getToken"
    assert sandbox.keys.public_key not in json.dumps(line)
    assert "***" in line["ogustMessage"]


def test_log_stream_can_be_another_stream(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    import io

    from shared.ogust._keys import StaticKeys

    stream = io.StringIO()
    client = OgustClient(sandbox.url, StaticKeys(*sandbox.keys), sleep=lambda _: None, log_stream=stream)
    sandbox.inject_status(503, method="getList")
    with client:
        client.get_list("customer.origin")
    assert capsys.readouterr().out == ""
    assert json.loads(stream.getvalue())["ogustMethod"] == "getList"
