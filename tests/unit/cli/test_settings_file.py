"""The settings file `make deploy` writes: read back as written, the environment wins, a bad line is
named, and a rewrite with the same values keeps its bytes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import main
from cli.settings_file import load_settings, read_settings, settings_path, write_settings
from shared.errors import ConfigError


def test_written_values_are_read_back_unchanged(tmp_path: Path) -> None:
    path = tmp_path / ".forms-to-ogust.env"
    values = {"MAPPING_FILE": str(tmp_path / "mes formulaires" / "l'agence.yaml"), "LEDGER": "firestore"}
    assert write_settings(path, values, "Written by make deploy.") is True
    assert read_settings(path) == values
    assert write_settings(path, dict(reversed(values.items())), "Written by make deploy.") is False


def test_the_environment_wins_over_the_file(tmp_path: Path) -> None:
    (tmp_path / ".forms-to-ogust.env").write_text("GOOGLE_CLOUD_PROJECT=agence-forms\nLEDGER=firestore\n")
    env = {"GOOGLE_CLOUD_PROJECT": "autre-projet"}
    assert load_settings(env, cwd=tmp_path) == ["LEDGER"]
    assert env == {"GOOGLE_CLOUD_PROJECT": "autre-projet", "LEDGER": "firestore"}


def test_a_line_that_is_no_setting_is_named_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / "s.env"
    path.write_text("# make deploy\nLEDGER=firestore\nexport GOOGLE_CLOUD_PROJECT=p\n")
    with pytest.raises(ConfigError, match=r"s\.env:3: expected NAME=value"):
        read_settings(path)


def test_a_named_settings_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such settings file"):
        settings_path({"FORMS_TO_OGUST_SETTINGS": str(tmp_path / "absent.env")})
    assert settings_path({}, cwd=tmp_path) is None


def test_a_command_leaves_the_environment_as_it_found_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".forms-to-ogust.env").write_text("SUBMISSIONS_TOPIC=form-submissions\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SUBMISSIONS_TOPIC", raising=False)
    monkeypatch.delenv("FORMS_TO_OGUST_SETTINGS", raising=False)
    result = CliRunner().invoke(main, ["dead-letters", "replay", "--all"])
    assert "set DEAD_LETTER_SUBSCRIPTION" in result.output  # the topic came from the file
    assert "SUBMISSIONS_TOPIC" not in result.output
    assert "SUBMISSIONS_TOPIC" not in os.environ
