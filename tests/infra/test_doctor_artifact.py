"""The deployed doctor is what was tested: the artifact Terraform uploads, unpacked and served by
functions-framework with target probe_ogust from its own virtual environment (only its
requirements), answers `forms-to-ogust doctor --cloud` with the probes of the sandbox."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import main
from ogust_sandbox import Sandbox
from scripts.build_artifact import build
from scripts.processes import Child, NotAnswering, free_port, wait_until_answered
from tests.infra.test_artifact import _artifact_venv

ROOT = Path(__file__).resolve().parents[2]
MAPPING = ROOT / "examples" / "quote-request.yaml"


@pytest.fixture
def deployed_doctor(tmp_path: Path, sandbox: Sandbox) -> Iterator[str]:
    artifact = tmp_path / "function.zip"
    build(MAPPING, artifact)
    source = tmp_path / "source"
    with zipfile.ZipFile(artifact) as archive:
        archive.extractall(source)
        venv = _artifact_venv(archive.read("requirements.txt"))
    port = free_port()
    env = {
        "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
        "OGUST_API_URL": sandbox.url,
        "OGUST_PUBLIC_KEY": sandbox.keys[0],
        "OGUST_PRIVATE_KEY": sandbox.keys[1],
        "MAPPING_FILE": "mapping.yaml",
        "K_SERVICE": "forms-to-ogust-doctor",
    }
    command = [str(venv / "bin" / "functions-framework"), "--target", "probe_ogust"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    log_path = tmp_path / "doctor.log"
    url = f"http://127.0.0.1:{port}/"
    with log_path.open("wb") as log, Child.spawn(command, env, url, cwd=source, output=log) as child:
        try:
            wait_until_answered(child, interval=0.2)
        except NotAnswering as exc:
            pytest.fail(f"the doctor did not start ({exc}):\n{log_path.read_text(errors='replace')[-3000:]}")
        yield child.url


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
