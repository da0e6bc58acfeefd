"""The doctor where the function runs: `probe_ogust` served by functions-framework over a real socket,
read back by `forms-to-ogust doctor --cloud`, with the worker's settings, on the sandbox."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from werkzeug.serving import make_server

from cli.main import main
from ogust_sandbox import Sandbox
from tests.support.functions import served_in_process

ROOT = Path(__file__).resolve().parents[3]
QUOTE = ROOT / "examples" / "quote-request.yaml"  # lookup: [email, mobile_phone]


@pytest.fixture
def probe_url(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """probe_ogust as Cloud Functions starts it (FUNCTION_TARGET, the worker's Ogust settings)."""
    env = {
        "FUNCTION_TARGET": "probe_ogust",
        **sandbox.settings,
        "MAPPING_FILE": str(QUOTE),
        "OGUST_TIMEOUT_SECONDS": "2",
        "K_SERVICE": "forms-to-ogust-doctor",
        "K_REVISION": "forms-to-ogust-doctor-00001-abc",
    }
    for name in ("OGUST_KEYS_SECRET", "GOOGLE_CLOUD_PROJECT", "DELIVERY_MODE", "WEBHOOK_SECRET"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with served_in_process("probe_ogust") as url:
        yield url


def printed(stdout: str) -> list[str]:
    """What the command printed, without the function's own log lines (same process, same stdout)."""
    return [line for line in stdout.splitlines() if not line.startswith('{"')]


def seed(sandbox: Sandbox) -> None:
    sandbox.seed_customer(
        {"last_name": "Lefèvre", "first_name": "Zoé", "email": "zoe.lefevre@example.fr", "type": "C"}
    )
    sandbox.seed_customer({"last_name": "d'Artagnan", "first_name": "Jean-Pierre", "type": "C"})


def test_doctor_cloud_reads_back_the_probes_of_the_functions_environment(
    sandbox: Sandbox, probe_url: str
) -> None:
    seed(sandbox)
    sandbox.set_modes(ignored_filters=["mobile_phone"])
    result = CliRunner().invoke(
        main, ["doctor", "--cloud", probe_url], env={"DOCTOR_ID_TOKEN": "jeton-de-test"}
    )
    lines = printed(result.stdout)
    assert lines[0] == (
        "Probed from the function's environment: forms-to-ogust-doctor "
        "(revision forms-to-ogust-doctor-00001-abc)"
    )
    assert any(line.startswith("ok       token") for line in lines)
    assert any("Ogust ignores the mobile_phone filter" in line for line in lines)  # the deployed mapping
    assert "OGUST_IGNORED_FILTERS=mobile_phone" in lines
    assert 'ogust_ignored_filters = "mobile_phone"' in lines  # the deployment's tfvars line
    assert result.exit_code == 1
    for secret in (*sandbox.keys, *sandbox.tokens()):
        assert secret not in result.output
    assert sandbox.writes() == []  # read-only from the cloud


def test_doctor_cloud_json_and_one_form(sandbox: Sandbox, probe_url: str) -> None:
    seed(sandbox)
    args = ["doctor", "--cloud", probe_url, "--json", "--form-id", "1ContactDevisExemple2026"]
    result = CliRunner().invoke(main, args, env={"DOCTOR_ID_TOKEN": "jeton-de-test"})
    report, _ = json.JSONDecoder().raw_decode(result.stdout[result.stdout.index("{\n") :])
    assert report["where"]["service"] == "forms-to-ogust-doctor"
    assert {c["id"] for c in report["checks"]} >= {"token", "lookup-filters", "codes", "create-fields"}
    assert report["exitCode"] == result.exit_code == 0


def test_probe_refuses_other_methods_and_bodies_it_does_not_understand(probe_url: str) -> None:
    answer = httpx.get(probe_url, timeout=10)
    assert (answer.status_code, answer.headers["Allow"]) == (405, "POST")
    answer = httpx.post(probe_url, content=b"[1, 2]", timeout=10)
    assert answer.status_code == 400
    assert "formId" in answer.json()["error"]


def test_doctor_cloud_without_the_right_to_invoke_says_which_role() -> None:
    # A real socket answering 403, as Cloud Run does for a caller without roles/run.invoker.
    server = make_server("127.0.0.1", 0, lambda environ, start: _forbidden(start))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/"
        result = CliRunner().invoke(main, ["doctor", "--cloud", url], env={"DOCTOR_ID_TOKEN": "jeton"})
    finally:
        server.shutdown()
    assert result.exit_code == 3
    assert "roles/run.invoker" in result.output
    assert "doctor_invokers" in result.output


def _forbidden(start: object) -> list[bytes]:
    start("403 Forbidden", [("Content-Type", "text/plain")])  # type: ignore[operator]
    return [b"Forbidden"]
