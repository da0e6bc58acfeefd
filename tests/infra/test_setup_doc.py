"""docs/setup.md and docs/deployment.md stay true to the Terraform they describe.

The step count is the one the page announces and at most 12; the webhook secret has one source
(Terraform), so no page tells a person to generate one; the names and the region in the examples
are the variables' defaults; commands are written as `make setup` installs them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.infra.terraform import ROOT, load

SETUP = ROOT / "docs" / "setup.md"
DEPLOYMENT = ROOT / "docs" / "deployment.md"
DOCS = (SETUP, DEPLOYMENT)


def steps() -> list[int]:
    text = SETUP.read_text(encoding="utf-8")
    section = text.split("## The steps", 1)[1].split("\n## ", 1)[0]
    return [int(n) for n in re.findall(r"^(\d+)\. \*\*", section, re.MULTILINE)]


def test_setup_is_one_numbered_path_of_at_most_12_steps_and_says_how_many() -> None:
    numbers = steps()
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) <= 12
    announced = re.search(r"\*\*(\d+) steps\*\*(, plus a (\d+)th only)?", SETUP.read_text(encoding="utf-8"))
    assert announced
    total = int(announced.group(3) or announced.group(1))
    assert total == len(numbers)


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
