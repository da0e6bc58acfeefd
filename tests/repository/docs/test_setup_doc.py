"""docs/setup.md and docs/deployment.md stay true to the Terraform and the tools they describe.

The default path is numbered action by action, at most 30, and the count is the one the page
announces; every command it shows exists; README gives the same order; the webhook secret has one source
(Terraform), so no page tells a person to generate one; the names and the region in the examples
are the variables' defaults; commands are written as `make setup` installs them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.terraform import ROOT, load

SETUP = ROOT / "docs" / "setup.md"
DEPLOYMENT = ROOT / "docs" / "deployment.md"
DOCS = (SETUP, DEPLOYMENT)


def actions() -> list[int]:
    text = SETUP.read_text(encoding="utf-8")
    section = text.split("## The actions", 1)[1].split("\n## ", 1)[0]
    return [int(n) for n in re.findall(r"^(\d+)\. ", section, re.MULTILINE)]


def test_setup_numbers_every_action_of_the_default_path_at_most_30_and_says_how_many() -> None:
    numbers = actions()
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) <= 30
    announced = re.search(r"\*\*(\d+) actions\*\*", SETUP.read_text(encoding="utf-8"))
    assert announced
    assert int(announced.group(1)) == len(numbers)


def _setup_actions() -> str:
    return SETUP.read_text(encoding="utf-8").split("## The actions", 1)[1].split("\n## ", 1)[0]


def _readme_setup() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("## Setting up a real form", 1)[1].split("\n## ", 1)[0]


MILESTONES = (
    "make setup",
    "gcloud auth login",
    "make project",
    "gcloud auth application-default login",
    "forms-to-ogust init",
    "make deploy",
    "forms-to-ogust status",
)
"""The default path's commands, in the one order every page gives."""


@pytest.mark.parametrize("text", [_setup_actions(), _readme_setup()], ids=["setup.md", "README"])
def test_readme_and_setup_give_the_same_order(text: str) -> None:
    positions = [text.find(step) for step in MILESTONES]
    assert -1 not in positions, [s for s, p in zip(MILESTONES, positions, strict=True) if p == -1]
    assert positions == sorted(positions)


def _shown(text: str) -> tuple[set[str], set[str]]:
    tool = set(re.findall(r"(?:\.venv/bin/)?forms-to-ogust ([a-z][a-z-]+)", text))
    targets = set(re.findall(r"`make ([a-z][a-z-]+)", text)) | set(
        re.findall(r"\bmake ([a-z][a-z-]+) [A-Z]+=", text)
    )
    return tool, targets


@pytest.mark.parametrize(
    "text", [SETUP.read_text(encoding="utf-8"), _readme_setup()], ids=["setup.md", "README"]
)
def test_every_command_the_set_up_shows_exists(text: str) -> None:
    from click.testing import CliRunner

    from cli.main import main

    tool, targets = _shown(text)
    assert "init" in tool
    for command in sorted(tool):
        result = CliRunner().invoke(main, [command, "--help"])
        assert result.exit_code == 0, f"forms-to-ogust {command} --help: {result.output}"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "deploy" in targets
    for target in sorted(targets):
        assert re.search(rf"^{re.escape(target)}:", makefile, re.MULTILINE), f"no make target {target}"


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_no_page_tells_a_person_to_generate_the_webhook_secret(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    assert "token_bytes" not in text
    assert "openssl rand" not in text
    assert load().variables["generate_webhook_secret"]["default"] is True


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_examples_use_the_default_region_and_names(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    variables = load().variables
    region, name = variables["region"]["default"], variables["name"]["default"]
    assert set(re.findall(r"\b(?:europe|us|asia)-[a-z]+\d+\b", text)) == {region}
    for found in re.findall(r"\bforms-to-ogust-(\w+)@", text):
        accounts = {
            a["account_id"].replace("${var.name}", name)
            for a in load().of_type("google_service_account").values()
        }
        assert f"{name}-{found}" in accounts, f"{doc}: no service account {name}-{found}"
    for secret in ("ogust_keys_secret_id", "webhook_secret_id"):
        assert variables[secret]["default"] in text
    assert variables["topic_prefix"]["default"] in text


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_the_command_line_tool_is_called_as_make_setup_installs_it(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    bare = re.findall(r"(?<![/\w-])forms-to-ogust (?:validate|preview|logs|dead-letters|backfill)\b", text)
    assert not bare, f"write .venv/bin/forms-to-ogust (README's form): {bare}"


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_no_path_of_this_machine_is_written_into_the_docs(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    assert "/work/" not in text
