"""`forms-to-ogust sandbox` takes the strict modes docs/first-run.md rehearses with."""

from __future__ import annotations

from click.testing import CliRunner

from cli.main import main


def test_the_sandbox_command_offers_realistic_and_mode() -> None:
    result = CliRunner().invoke(main, ["sandbox", "--help"])
    assert result.exit_code == 0
    assert "--realistic" in result.output
    assert "--mode NAME=VALUE" in result.output


def test_an_unknown_mode_is_a_usage_error_naming_the_known_ones() -> None:
    result = CliRunner().invoke(main, ["sandbox", "--mode", "page_sise_cap=20"])
    assert result.exit_code == 2
    assert "page_sise_cap" in result.output
    assert "page_size_cap" in result.output
