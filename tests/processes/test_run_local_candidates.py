"""`make run` on the job-application example: one candidate created, then updated, and no customer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def test_run_local_shows_a_candidate_created_then_updated() -> None:
    args = [
        "--mapping", str(EXAMPLES / "job-application.yaml"),
        "--submissions", str(EXAMPLES / "submissions" / "job-application"),
        "--form", str(EXAMPLES / "job-application-form.json"),
        "--no-reconcile",
    ]  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "scripts.run_local", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    out = done.stdout
    assert done.returncode == 0, out + done.stderr
    assert "01-new-candidate.json            → HTTP 201 created" in out
    assert "02-same-candidate-again.json     → HTTP 200 updated   comment" in out
    workers = out.split("Workers (intervenants) now in the (sandbox) Ogust:", 1)[1]
    assert workers.count("nature C, number CA") == 1
    assert "Marie-Ange N'DIAYE" in workers
    assert "2 write(s) to Ogust: setEmployee, setEmployee" in out
