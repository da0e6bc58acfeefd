"""`forms-to-ogust logs` against a fake `gcloud` on PATH that records its arguments."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.logs_command import event_line
from cli.main import main
from cli.output import paris_time

ENTRIES = [  # gcloud logging read --order desc: the latest first
    {
        "timestamp": "2026-11-28T09:15:03.412Z",
        "severity": "WARNING",
        "resource": {"type": "cloud_run_revision", "labels": {"service_name": "forms-to-ogust-worker"}},
        "jsonPayload": {
            "severity": "WARNING",
            "message": "field 'mobile_phone' (question 'Téléphone portable'): not a valid phone number",
            "status": "dead-lettered",
            "responseId": "2_ABaOnudExemple0001",
        },
    },
    {
        "timestamp": "2026-11-28T09:15:01.007Z",
        "severity": "INFO",
        "resource": {"type": "cloud_run_revision", "labels": {"service_name": "forms-to-ogust-receiver"}},
        "jsonPayload": {"message": "queued", "status": "queued", "responseId": "2_ABaOnudExemple0001"},
    },
]

FAKE = """#!{python}
import json, os, sys
with open(os.environ["FAKE_GCLOUD_ARGS"], "w") as out:
    json.dump(sys.argv[1:], out)
sys.stderr.write(os.environ.get("FAKE_GCLOUD_STDERR", ""))
sys.stdout.write(os.environ.get("FAKE_GCLOUD_STDOUT", ""))
sys.exit(int(os.environ.get("FAKE_GCLOUD_EXIT", "0")))
"""


@pytest.fixture
def gcloud(tmp_path: Path) -> dict[str, str]:
    """A PATH whose `gcloud` records its arguments and answers what FAKE_GCLOUD_* say."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "gcloud"
    fake.write_text(FAKE.format(python=sys.executable))
    fake.chmod(0o755)
    return {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "FAKE_GCLOUD_ARGS": str(tmp_path / "args.json"),
        "FAKE_GCLOUD_STDOUT": json.dumps(ENTRIES),
        "GOOGLE_CLOUD_PROJECT": "",
    }


def recorded(env: dict[str, str]) -> list[str]:
    args: list[str] = json.loads(Path(env["FAKE_GCLOUD_ARGS"]).read_text())
    return args


def test_one_line_per_event_in_time_order(gcloud: dict[str, str]) -> None:
    result = CliRunner().invoke(main, ["logs", "--project", "agence-exemple"], env=gcloud)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "2026-11-28 10:15:01  INFO      receiver  queued         2_ABaOnudExemple0001  queued",
        "2026-11-28 10:15:03  WARNING   worker    dead-lettered  2_ABaOnudExemple0001  field 'mobile_phone' "
        "(question 'Téléphone portable'): not a valid phone number",
    ]
    args = recorded(gcloud)
    assert args[:2] == ["logging", "read"]
    assert args[2] == (
        'resource.type="cloud_run_revision" AND '
        'resource.labels.service_name=("forms-to-ogust-receiver" OR "forms-to-ogust-worker" OR '
        '"forms-to-ogust-reconciler")'
    )
    assert args[3:] == [
        "--freshness", "1h", "--limit", "200", "--order", "desc", "--format", "json",
        "--project", "agence-exemple",
    ]  # fmt: skip


def test_one_response_since_two_days_limited_and_as_json(gcloud: dict[str, str]) -> None:
    args = ["logs", "--response", "2_ABaOnudExemple0001", "--since", "2d", "--limit", "5", "--json"]
    result = CliRunner().invoke(main, args, env={**gcloud, "GOOGLE_CLOUD_PROJECT": "agence-exemple"})
    assert result.exit_code == 0
    assert json.loads(result.output) == ENTRIES  # passed through unchanged
    sent = recorded(gcloud)
    assert sent[2].endswith(' AND jsonPayload.responseId="2_ABaOnudExemple0001"')
    assert sent[sent.index("--freshness") + 1] == "2d"
    assert sent[sent.index("--limit") + 1] == "5"
    assert sent[sent.index("--project") + 1] == "agence-exemple"


def test_no_event_says_so(gcloud: dict[str, str]) -> None:
    result = CliRunner().invoke(main, ["logs", "--since", "30m"], env={**gcloud, "FAKE_GCLOUD_STDOUT": "[]"})
    assert (result.exit_code, result.output) == (0, "no events in the last 30m\n")
    assert "--project" not in recorded(gcloud)  # gcloud's own default project


def test_gcloud_not_logged_in_is_one_clear_line(gcloud: dict[str, str]) -> None:
    env = {
        **gcloud,
        "FAKE_GCLOUD_EXIT": "1",
        "FAKE_GCLOUD_STDOUT": "",
        "FAKE_GCLOUD_STDERR": "ERROR: (gcloud.logging.read) You do not currently have an active account "
        "selected.\nPlease run:\n\n  $ gcloud auth login\n",
    }
    result = CliRunner().invoke(main, ["logs"], env=env)
    assert result.exit_code == 3
    assert result.stderr.startswith("error: gcloud is not logged in: run `gcloud auth login`")
    assert result.stderr.count("\n") == 1


def test_gcloud_missing_is_one_clear_line(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(main, ["logs"], env={"PATH": str(empty)})
    assert result.exit_code == 3
    assert result.stderr == (
        "error: gcloud is not installed (or not on PATH): install the Google Cloud CLI, "
        "then `gcloud auth login`\n"
    )


def test_a_wrong_duration_is_a_usage_error(gcloud: dict[str, str]) -> None:
    result = CliRunner().invoke(main, ["logs", "--since", "hier"], env=gcloud)
    assert result.exit_code == 2
    assert "a duration such as 30m, 1h, 2d or 1w" in result.output
    assert not Path(gcloud["FAKE_GCLOUD_ARGS"]).exists()


def test_no_project_anywhere_is_said_with_the_three_ways_to_give_one(gcloud: dict[str, str]) -> None:
    env = {
        **gcloud,
        "FAKE_GCLOUD_EXIT": "1",
        "FAKE_GCLOUD_STDOUT": "",
        "FAKE_GCLOUD_STDERR": "ERROR: (gcloud.logging.read) The required property [project] is not currently "
        "set.\nIt can be set on a per-command basis by re-running your command with the [--project] flag.\n",
    }
    result = CliRunner().invoke(main, ["logs"], env=env)
    assert result.exit_code == 3
    assert result.stderr.startswith(
        "error: no Google Cloud project is set: pass --project, set GOOGLE_CLOUD_PROJECT"
    )
    assert "make deploy" in result.stderr


def test_times_are_shown_in_paris_time_summer_and_winter() -> None:
    assert paris_time("2026-07-14T08:00:00.5Z") == "2026-07-14 10:00:00"
    assert paris_time("2026-12-24T23:30:00Z") == "2026-12-25 00:30:00"
    assert paris_time("hier") == "hier"


def test_a_reconciler_event_is_named_as_such() -> None:
    entry = {
        "timestamp": "2026-11-28T09:20:00Z",
        "severity": "INFO",
        "resource": {"labels": {"service_name": "forms-to-ogust-reconciler"}},
        "jsonPayload": {
            "message": "1 missed response queued",
            "status": "queued",
            "responseId": "2_ABaOnud0002",
        },
    }
    assert "  reconciler  " in event_line(entry)


def test_a_line_written_before_masking_knew_its_spelling_is_masked_when_shown(gcloud: dict[str, str]) -> None:
    old = {
        "timestamp": "2026-11-20T08:00:00.000Z",
        "severity": "WARNING",
        "textPayload": "refusé pour zoé.lefèvre＠exemple.fr, Tél0612345678, client 344563872",
    }
    result = CliRunner().invoke(
        main, ["logs"], env={**gcloud, "FAKE_GCLOUD_STDOUT": json.dumps([old]), "GOOGLE_CLOUD_PROJECT": "p"}
    )
    assert result.exit_code == 0, result.output
    assert "refusé pour z***@e***.fr, Tél06******78, client 344563872" in result.output
    assert "lefèvre" not in result.output
