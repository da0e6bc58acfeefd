"""One way to fail: one line on stderr and the exit code of `shared.errors.policy`; colours only on
a terminal and never with NO_COLOR; help for every option."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from cli.main import main

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
ENTRY_POINT = Path(sys.executable).parent / "forms-to-ogust"
BROKEN = "version: 1\nforms:\n  - form_id: f\n    lookup: email\n    fields:\n      email: {anwser: E}\n"
ESC = "\x1b["


def commands(group: click.Group = main, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        found.append((prefix + name, command))
        if isinstance(command, click.Group):
            found += commands(command, prefix + name + " ")
    return found


@pytest.mark.parametrize(("name", "command"), commands(), ids=lambda c: c if isinstance(c, str) else "")
def test_every_command_and_option_has_help(name: str, command: click.Command) -> None:
    assert command.help, name
    missing = [p.name for p in command.params if isinstance(p, click.Option) and not p.help]
    assert missing == [], f"{name}: {missing}"
    result = CliRunner().invoke(main, [*name.split(), "--help"])
    assert (result.exit_code, result.output.startswith("Usage:")) == (0, True)


def test_colours_on_a_terminal_and_none_with_no_color(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(BROKEN, encoding="utf-8")
    coloured = CliRunner().invoke(main, ["validate", str(mapping)], color=True, env={"NO_COLOR": ""})
    plain = CliRunner().invoke(main, ["validate", str(mapping)], color=True, env={"NO_COLOR": "1"})
    assert ESC in coloured.output
    assert ESC not in plain.output
    assert plain.output == click.unstyle(coloured.output)
    assert plain.exit_code == coloured.exit_code == 1


def test_no_colours_when_the_output_is_not_a_terminal(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(BROKEN, encoding="utf-8")
    done = subprocess.run(
        [ENTRY_POINT, "validate", str(mapping)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert "unknown key 'anwser' (did you mean 'answer'?)" in done.stdout
    assert ESC not in done.stdout + done.stderr


@pytest.mark.parametrize(
    ("content", "args", "code", "says"),
    [
        (b"version: 1\n# Civilit\xe9\n", ["validate", "{file}"], 3, "is not UTF-8 text: save it as UTF-8"),
        (
            b"PK\x03\x04xlsx",
            ["backfill", str(EXAMPLES / "satisfaction.yaml"), "{file}"],
            3,
            "is an Excel workbook",
        ),
        (
            BROKEN.encode(),
            ["backfill", "{file}", str(EXAMPLES / "satisfaction.yaml")],
            1,
            "unknown key 'anwser'",
        ),
        (
            b"{}",
            ["validate", str(EXAMPLES / "satisfaction.yaml"), "--form", "{file}"],
            3,
            "is not a form description",
        ),
        (b"{}", ["preview", str(EXAMPLES / "satisfaction.yaml"), "{file}"], 1, "unsupported schemaVersion"),
    ],
)
def test_a_users_mistake_is_one_line_on_stderr_with_its_exit_code(
    tmp_path: Path, content: bytes, args: list[str], code: int, says: str
) -> None:
    path = tmp_path / "fichier"
    path.write_bytes(content)
    result = CliRunner().invoke(main, [a.replace("{file}", str(path)) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == code
    assert says in result.stderr
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def no_google_credentials(tmp_path: Path) -> dict[str, str]:
    """An environment with no usable Application Default Credentials (and no metadata server probe)."""
    return {
        "GOOGLE_APPLICATION_CREDENTIALS": str(tmp_path / "absent.json"),
        "CLOUDSDK_CONFIG": str(tmp_path / "gcloud"),
        "PUBSUB_EMULATOR_HOST": "",
        "GOOGLE_CLOUD_PROJECT": "agence-exemple",
    }


def test_missing_google_credentials_for_the_dead_letters_are_one_line_naming_the_login(
    tmp_path: Path,
) -> None:
    env = {**no_google_credentials(tmp_path), "DEAD_LETTER_SUBSCRIPTION": "form-submissions-dead-letter-sub"}
    result = CliRunner().invoke(main, ["dead-letters", "list"], env=env)
    assert result.exit_code == 3
    assert result.stderr == (
        "error: no Google Cloud credentials on this machine: run `gcloud auth application-default login` "
        "(or set GOOGLE_APPLICATION_CREDENTIALS)\n"
    )


def test_missing_google_credentials_for_the_ogust_keys_secret_name_the_login_too(tmp_path: Path) -> None:
    env = {
        **no_google_credentials(tmp_path),
        "OGUST_API_URL": "http://127.0.0.1:9/api",
        "OGUST_KEYS_SECRET": "ogust-keys",
        "OGUST_PUBLIC_KEY": "",
        "OGUST_PRIVATE_KEY": "",
    }
    sub = str(EXAMPLES / "submissions" / "01-new-customer.json")
    result = CliRunner().invoke(
        main, ["preview", str(EXAMPLES / "satisfaction.yaml"), sub, "--ogust"], env=env
    )
    assert result.exit_code == 3
    assert "run `gcloud auth application-default login`" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_usage_errors_exit_2() -> None:
    result = CliRunner().invoke(main, ["backfill", str(EXAMPLES / "satisfaction.yaml")])
    assert result.exit_code == 2
    result = CliRunner().invoke(main, ["dead-letters", "replay"], env={"DEAD_LETTER_SUBSCRIPTION": "s"})
    assert (result.exit_code, result.stderr) == (2, "error: give --id ID (one or more) or --all\n")


def test_replay_names_every_missing_setting_at_once() -> None:
    env = {"SUBMISSIONS_TOPIC": "", "DEAD_LETTER_SUBSCRIPTION": "", "FORMS_TO_OGUST_SETTINGS": ""}
    result = CliRunner().invoke(main, ["dead-letters", "replay", "--all"], env=env)
    assert result.exit_code == 2
    assert "set SUBMISSIONS_TOPIC and DEAD_LETTER_SUBSCRIPTION" in result.output
