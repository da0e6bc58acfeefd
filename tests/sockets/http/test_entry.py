"""The one entry every function's requests go through: the crash line and answer, the trace, the
method check, on a real Flask request (functions-framework's app is Flask)."""

from __future__ import annotations

import json

import flask
import pytest

from ogust_sandbox import Sandbox
from shared.http.entry import Entry
from shared.http.runtime import Runtime
from shared.logs import log_context
from tests.support.function import sync_env

ENTRY = Entry(max_body_bytes=1024, crash_message="submission not handled")


def app_for(entry: Entry, runtime: Runtime, handler: object) -> flask.Flask:
    app = flask.Flask("entry-test")

    @app.route("/", methods=["GET", "POST", "PUT", "OPTIONS"])
    def view() -> flask.Response:
        return entry.serve(handler, flask.request, runtime)  # type: ignore[arg-type]

    return app


@pytest.fixture
def runtime(sandbox: Sandbox) -> Runtime:
    return Runtime.from_env({**sync_env(sandbox), "GOOGLE_CLOUD_PROJECT": "agence-demo"}, role="sync")


def crashing(request: flask.Request, body: bytes, runtime: Runtime) -> flask.Response:
    with log_context(responseId="2_ABaOnudCrash0001"):
        raise ValueError(f"bug en traitant {body.decode()} pour zoé.lefèvre@exemple.fr, tél 06 12 34 56 78")


def test_a_crash_is_one_masked_error_line_and_functions_frameworks_crash_answer(
    runtime: Runtime, capsys: pytest.CaptureFixture[str]
) -> None:
    client = app_for(ENTRY, runtime, crashing).test_client()
    response = client.post("/", data=b"la demande", headers={"X-Cloud-Trace-Context": "abc123/1;o=1"})
    assert response.status_code == 500
    assert response.headers["X-Google-Status"] == "crash"
    assert "zoé" not in response.get_data(as_text=True)  # the details are in the log only
    (line,) = [json.loads(out) for out in capsys.readouterr().out.splitlines() if out.startswith("{")]
    assert line["severity"] == "ERROR"
    assert line["message"] == "submission not handled: unexpected ValueError"
    assert line["status"] == "failed"
    assert line["responseId"] == "2_ABaOnudCrash0001"  # from where it was raised
    assert line["logging.googleapis.com/trace"] == "projects/agence-demo/traces/abc123"
    assert "la demande" in line["error"]
    assert "in crashing" in line["stack_trace"]
    everything = json.dumps(line, ensure_ascii=False)
    assert "lefèvre" not in everything
    assert "12 34 56" not in everything


def test_a_crash_can_be_a_nack(runtime: Runtime) -> None:
    entry = Entry(max_body_bytes=1024, crash_message="submission not applied", crash_status=503)
    assert app_for(entry, runtime, crashing).test_client().post("/", data=b"{}").status_code == 503


@pytest.mark.parametrize("method", ["GET", "PUT", "OPTIONS"])
def test_another_method_is_405_with_allow_and_the_handler_never_runs(runtime: Runtime, method: str) -> None:
    response = app_for(ENTRY, runtime, crashing).test_client().open("/", method=method, data=b"x")
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    assert response.headers["Connection"] == "close"
    assert method in response.get_json()["error"]


def test_the_handler_gets_the_body_and_an_oversize_one_is_413(runtime: Runtime) -> None:
    def echo(request: flask.Request, body: bytes, runtime: Runtime) -> flask.Response:
        return flask.Response(body[::-1], status=200)

    client = app_for(ENTRY, runtime, echo).test_client()
    assert client.post("/", data=b"Noel").get_data() == b"leoN"
    assert client.post("/", data=b"x" * 1025).status_code == 413


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Cloud-Trace-Context": "4bf92f3577b34da6a3ce929d0e0e4736/1;o=1"},
        {"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
    ],
    ids=["cloud-trace", "w3c"],
)
def test_every_line_of_a_request_carries_its_trace(
    runtime: Runtime, capsys: pytest.CaptureFixture[str], headers: dict[str, str]
) -> None:
    from shared.logs import log

    def logging(request: flask.Request, body: bytes, runtime: Runtime) -> flask.Response:
        log("INFO", "traité")
        return flask.Response(status=204)

    assert app_for(ENTRY, runtime, logging).test_client().post("/", headers=headers).status_code == 204
    (line,) = [json.loads(out) for out in capsys.readouterr().out.splitlines() if out.startswith("{")]
    trace = "projects/agence-demo/traces/4bf92f3577b34da6a3ce929d0e0e4736"
    assert line["logging.googleapis.com/trace"] == trace
