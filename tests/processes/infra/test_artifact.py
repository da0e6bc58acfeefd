"""The deploy artifact: built by scripts/build_artifact.py, exactly what Terraform uploads.

The slow test installs only the artifact's requirements.txt into a fresh virtual environment, starts
functions-framework from the unpacked zip as Cloud Functions does, and sends a signed example
submission that lands in the sandbox Ogust: the zip Terraform uploads runs.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ogust_sandbox import Sandbox
from scripts.build_artifact import build, main
from shared.webhook import signed_headers
from tests.processes.infra.artifact_run import run_artifact

ROOT = Path(__file__).resolve().parents[3]
MAPPING = ROOT / "examples" / "satisfaction.yaml"
EXAMPLE = ROOT / "examples" / "submissions" / "01-new-customer.json"
FUNCTION = ROOT / "functions" / "forms_to_ogust"


@pytest.fixture(scope="module")
def artifact(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("artifact") / "function.zip"
    build(MAPPING, out)
    return out


def test_artifact_holds_the_function_the_shared_code_and_the_mapping_only(artifact: Path) -> None:
    names = zipfile.ZipFile(artifact).namelist()
    top = {n for n in names if "/" not in n}
    assert {"main.py", "requirements.txt", "mapping.yaml", "mapping.yaml.checked"} <= top
    assert top - {"mapping.yaml", "mapping.yaml.checked"} == {
        p.name for p in FUNCTION.iterdir() if p.suffix == ".py"
    } | {"requirements.txt"}
    packaged = {n for n in names if "/" in n}
    # Python sources, the py.typed marker and the message catalogs the functions read at run time.
    kept = (".py", "py.typed", ".po")
    assert all(n.startswith("shared/") and n.endswith(kept) for n in packaged), packaged
    sources = [p for pattern in ("*.py", "*.po") for p in (ROOT / "shared").rglob(pattern)]
    expected = {p.relative_to(ROOT).as_posix() for p in sources}
    expected = {n for n in expected if "__pycache__" not in n and "/tests/" not in n}
    assert packaged == expected
    for forbidden in (
        "ogust_sandbox/",
        "forms_sandbox/",
        "sandbox_kit/",
        "cli/",
        "tests/",
        "__pycache__",
        ".pyc",
        "examples/",
    ):
        assert not [n for n in names if forbidden in n], f"{forbidden} must not be deployed"


def test_the_artifact_is_the_same_byte_for_byte_when_built_again(artifact: Path, tmp_path: Path) -> None:
    # The mapping's checked form is a pickle: built with a fixed hash seed, so its sets keep one order.
    assert build(MAPPING, tmp_path / "again.zip") == hashlib.sha256(artifact.read_bytes()).hexdigest()


def test_artifact_files_are_the_sources_byte_for_byte(artifact: Path) -> None:
    with zipfile.ZipFile(artifact) as archive:
        assert archive.read("mapping.yaml") == MAPPING.read_bytes()
        assert archive.read("requirements.txt") == (FUNCTION / "requirements.txt").read_bytes()
        assert archive.read("main.py") == (FUNCTION / "main.py").read_bytes()
        assert (
            archive.read("shared/http/receiver.py") == (ROOT / "shared" / "http" / "receiver.py").read_bytes()
        )


def test_artifact_is_deterministic_so_its_hash_changes_only_with_its_content(tmp_path: Path) -> None:
    first = build(MAPPING, tmp_path / "a.zip")
    time.sleep(1.1)  # a zip that stored file times would now differ
    second = build(MAPPING, tmp_path / "b.zip")
    assert first == second == hashlib.sha256((tmp_path / "a.zip").read_bytes()).hexdigest()
    changed = tmp_path / "changed.yaml"
    changed.write_text(MAPPING.read_text(encoding="utf-8") + "\n# a comment is a change\n", encoding="utf-8")
    assert build(changed, tmp_path / "c.zip") != first


def test_a_mapping_with_errors_is_refused_and_nothing_is_built(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "version: 1\nforms:\n  - name: Questionnaire\n    form_id: f\n    lookup: email\n"
        "    fields:\n      prénom_inconnu:\n        answer: {id: 1}\n",
        encoding="utf-8",
    )
    out = tmp_path / "build" / "function.zip"
    assert main(["--mapping", str(bad), "--out", str(out)]) == 1
    message = capsys.readouterr().err
    assert "nothing was built" in message
    assert f"{bad}:7" in message  # the problem's line
    assert not out.exists()
    assert not out.parent.exists() or not any(out.parent.iterdir())


def test_a_missing_mapping_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--mapping", str(tmp_path / "absent.yaml"), "--out", str(tmp_path / "f.zip")]) == 1
    assert "mapping file not found" in capsys.readouterr().err


# --- the artifact runs ---------------------------------------------------------------------------------


@pytest.fixture
def running_artifact(artifact: Path, tmp_path: Path, sandbox: Sandbox) -> Iterator[tuple[str, str]]:
    """The unpacked artifact served by functions-framework from its own venv: (url, webhook secret)."""
    secret = "whsec_" + base64.b64encode(os.urandom(32)).decode()
    settings = {"WEBHOOK_SECRET": secret, "DELIVERY_MODE": "sync"}
    with run_artifact(artifact, tmp_path, "receive_submission", sandbox, settings) as (url, log_path):
        # Started from the mapping the build checked, not by validating the YAML again.
        assert "mapping.yaml.checked ignored" not in log_path.read_text(errors="replace")
        yield url, secret


@pytest.mark.slow
def test_the_uploaded_zip_runs_and_a_signed_submission_lands_in_ogust(
    running_artifact: tuple[str, str], sandbox: Sandbox
) -> None:
    url, secret = running_artifact
    body = EXAMPLE.read_bytes()
    response_id = json.loads(body)["responseId"]
    headers = {**signed_headers(secret, f"msg_{response_id}", body), "Content-Type": "application/json"}
    response = httpx.post(url, content=body, headers=headers, timeout=60)
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "created"
    (customer,) = sandbox.customers()
    assert customer["last_name"] == "D'ARNOUX-LEFÈVRE"
