"""`make run`'s options: another form's mapping, submissions and description work end to end, and a
SIGTERM stops every server like Ctrl-C (no process left listening)."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from forms_sandbox import form_from_apps_script_export
from scripts.run_local import emulators_missing, respondents
from tests.support.emulators import unavailable

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def questions(form: Path) -> dict[int, tuple[str, str]]:
    api = form_from_apps_script_export(json.loads(form.read_text(encoding="utf-8")))
    return {
        int(i["itemId"], 16): (i["title"], i["questionItem"]["question"]["questionId"])
        for i in api["items"]
        if "questionItem" in i
    }


def test_another_forms_respondents_are_made_from_its_own_submissions() -> None:
    never_sent, after_watch, refused = respondents(
        questions(EXAMPLES / "quote-request-form.json"), EXAMPLES / "submissions" / "quote-request"
    )
    assert never_sent["E-mail"] == "jamais.envoye@exemple.fr"
    assert after_watch["E-mail"] == "apres.notification@exemple.fr"
    assert refused["E-mail"] == "refus.ogust@exemple.fr"
    assert len({never_sent["Téléphone"], after_watch["Téléphone"], refused["Téléphone"]}) == 3
    assert never_sent["Nom complet"] == "jean-pierre de la fontaine"
    assert never_sent["Date de début souhaitée"] == "2027-01-04"  # a date is no phone number
    assert never_sent["Services souhaités"] == ["Ménage", "Garde d'enfants"]


def test_sigterm_stops_every_server_like_ctrl_c(tmp_path: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "scripts.run_local",
        "--keep",
        "--no-reconcile",
        "--submissions",
        str(tmp_path),
    ]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    seen: list[str] = []
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        seen.append(line)
        if "Servers keep running" in line or not line:
            break
    text = "".join(seen)
    urls = re.findall(r"(?:Ogust sandbox|Function) on (http://127\.0\.0\.1:\d+/\S*)", text)
    assert len(urls) == 2, text
    process.send_signal(signal.SIGTERM)
    rest, _ = process.communicate(timeout=60)
    assert process.returncode == 0, text + rest
    assert "stopped" in rest
    for url in urls:
        with pytest.raises(httpx.ConnectError):
            httpx.get(url, timeout=2)


def test_another_form_runs_end_to_end_with_reconciliation() -> None:
    missing = emulators_missing()
    if missing:
        unavailable(missing)
    done = subprocess.run(
        [
            sys.executable, "-m", "scripts.run_local",
            "--mapping", str(EXAMPLES / "quote-request.yaml"),
            "--submissions", str(EXAMPLES / "submissions" / "quote-request"),
            "--form", str(EXAMPLES / "quote-request-form.json"),
        ],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert "Traceback" not in out
    assert "01-new-prospect.json             → HTTP 201 created" in out
    assert "(never sent by the script) → created by reconciliation:" in out
    assert "<jamais.envoye@exemple.fr>" in out
    assert "<apres.notification@exemple.fr>" in out
