"""Every YAML example of docs/mapping.md is loaded and run, so the documentation cannot drift."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from shared.errors import SubmissionRejected
from shared.mapping import plan
from shared.mapping.load import parse_mapping
from shared.webhook import Submission

ROOT = Path(__file__).resolve().parents[3]
DOC = (ROOT / "docs" / "mapping.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```yaml\n(.*?)```", DOC, re.DOTALL)


def directives(block: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for line in block.splitlines():
        match = re.match(r"# (answers|gives|rejects|skips|meta|form_id|file): (.*)$", line)
        if match:
            key, raw = match.groups()
            found[key] = raw if key in {"rejects", "form_id", "file"} else json.loads(raw)
    return found


def as_mapping(block: str) -> str:
    """A full mapping as is; a `fields` snippet wrapped in a one-form mapping looked up by e-mail."""
    data = yaml.safe_load(block)
    if "version" in data:
        return block
    fields = {k: v for k, v in data.items() if k.isupper() is False}
    custom = {k: v for k, v in data.items() if k.isupper()}
    fields.setdefault("email", {"value": "doc@exemple.fr"})
    form = {"form_id": "doc", "lookup": "email", "fields": fields, "custom_fields": custom}
    return yaml.safe_dump({"version": 1, "forms": [form]}, allow_unicode=True)


def submission(answers: dict[str, Any], meta: dict[str, Any], form_id: str) -> Submission:
    return Submission.model_validate(
        {
            "schemaVersion": 1,
            "formId": form_id,
            "responseId": "2_Doc0001",
            "submittedAt": "2026-11-28T09:15:00.000Z",
            "answers": [
                {"itemId": 1000 + i, "title": t, "type": "TEXT", "value": v}
                for i, (t, v) in enumerate(answers.items())
            ],
            **meta,
        }
    )


EXAMPLES = [b for b in BLOCKS if "answers" in directives(b)]
FILES = [b for b in BLOCKS if "file" in directives(b)]


def test_the_doc_has_an_example_for_every_operation() -> None:
    from shared.mapping.steps import OPERATIONS

    shown = " ".join(EXAMPLES)
    missing = [name for name in OPERATIONS if not re.search(rf"(\[|- |\{{|, ){name}\b", shown)]
    assert missing == []
    assert len(EXAMPLES) >= 30


@pytest.mark.parametrize("block", EXAMPLES, ids=lambda b: b.splitlines()[-1].strip()[:40])
def test_doc_example(block: str) -> None:
    d = directives(block)
    mapping = parse_mapping(as_mapping(block), name="docs/mapping.md")
    sub = submission(d["answers"], d.get("meta", {}), d.get("form_id", mapping.forms[0].form_id))
    form = mapping.for_form(sub.form_id)
    if "rejects" in d:
        with pytest.raises(SubmissionRejected) as caught:
            plan(form, sub)
        assert caught.value.field == d["rejects"]
        return
    result = plan(form, sub)
    if d.get("skips"):
        assert result.skipped is not None
        return
    values = result.by_label()
    if "email" not in d["gives"]:
        values.pop("email", None)  # the lookup value the snippet needed, not what it shows
    assert values == d["gives"]


@pytest.mark.parametrize("block", FILES, ids=lambda b: directives(b)["file"])
def test_worked_example_in_the_doc_is_the_file(block: str) -> None:
    path = ROOT / directives(block)["file"]
    body = "".join(block.splitlines(keepends=True)[1:])
    assert body == path.read_text(encoding="utf-8")
