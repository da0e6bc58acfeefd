"""The deployed doctor is what was tested: the artifact Terraform uploads, unpacked and served by
functions-framework with target probe_ogust from its own virtual environment (only its
requirements), answers `forms-to-ogust doctor --cloud` with the probes of the sandbox."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import main
from ogust_sandbox import Sandbox
from scripts.build_artifact import build
from tests.processes.infra.artifact_run import run_artifact

ROOT = Path(__file__).resolve().parents[3]
MAPPING = ROOT / "examples" / "quote-request.yaml"


@pytest.fixture
def deployed_doctor(tmp_path: Path, sandbox: Sandbox) -> Iterator[str]:
    artifact = tmp_path / "function.zip"
    build(MAPPING, artifact)
    settings = {"K_SERVICE": "forms-to-ogust-doctor"}
    with run_artifact(artifact, tmp_path, "probe_ogust", sandbox, settings) as (url, _):
        yield url


@pytest.mark.slow
def test_the_uploaded_zip_answers_doctor_cloud(deployed_doctor: str, sandbox: Sandbox) -> None:
    sandbox.seed_customer({"last_name": "Lefèvre", "first_name": "Zoé", "email": "zoe@example.fr"})
    sandbox.seed_customer({"last_name": "d'Artagnan", "first_name": "Jean-Pierre"})
    result = CliRunner().invoke(
        main, ["doctor", "--cloud", deployed_doctor, "--json"], env={"DOCTOR_ID_TOKEN": "jeton-de-test"}
    )
    report = json.loads(result.stdout)
    assert report["where"]["service"] == "forms-to-ogust-doctor"
    assert report["couldNotRun"] is None
    assert {c["id"] for c in report["checks"]} >= {"token", "search-shape", "lookup-filters", "codes"}
    assert result.exit_code == report["exitCode"]
    assert sandbox.writes() == []
