"""`forms-to-ogust send`: a submission signed as the Apps Script signs it, posted to the real receiver
(functions-framework in its own process, sync mode, on the Ogust sandbox)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import main
from ogust_sandbox import Sandbox
from tests.support.function import SECRET, sync_env
from tests.support.functions import FunctionProcess

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
NEW_CUSTOMER = EXAMPLES / "submissions" / "01-new-customer.json"


@pytest.fixture
def receiver(sandbox: Sandbox, tmp_path: Path) -> Iterator[FunctionProcess]:
    process = FunctionProcess("receive_submission", sync_env(sandbox), tmp_path / "receiver.log").start()
    try:
        yield process
    finally:
        process.stop()


def test_a_signed_submission_is_applied_and_a_wrong_secret_refused(
    receiver: FunctionProcess, sandbox: Sandbox
) -> None:
    result = CliRunner().invoke(main, ["send", str(NEW_CUSTOMER), "--url", receiver.url, "--secret", SECRET])
    assert result.exit_code == 0, result.output
    assert result.output.startswith('HTTP 201  {"status": "created"')
    assert [c["last_name"] for c in sandbox.customers()] == ["D'ARNOUX-LEFÈVRE"]
    wrong = "whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo="
    result = CliRunner().invoke(main, ["send", str(NEW_CUSTOMER), "--url", receiver.url, "--secret", wrong])
    assert result.exit_code == 1
    assert result.output.startswith("HTTP 401")
    assert len(sandbox.customers()) == 1


def test_the_secret_comes_from_the_environment_and_a_silent_receiver_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["send", str(NEW_CUSTOMER), "--url", "http://127.0.0.1:9/"],
        env={"WEBHOOK_SECRET": SECRET},
    )
    assert result.exit_code == 3
    assert "the receiver at http://127.0.0.1:9/ did not answer" in result.stderr
