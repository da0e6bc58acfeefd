"""The job-application example (examples/job-application.yaml): its mapping, and its example
submissions with any answer changed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shared.mapping import load_mapping
from shared.webhook import Submission

ROOT = Path(__file__).resolve().parents[2]
MAPPING_PATH = ROOT / "examples" / "job-application.yaml"
MAPPING = load_mapping(MAPPING_PATH)
SUBMISSIONS = ROOT / "examples" / "submissions" / "job-application"


def application(name: str, **changes: Any) -> Submission:
    """An example application, with top-level fields or answers (by title) replaced."""
    data: dict[str, Any] = json.loads((SUBMISSIONS / f"{name}.json").read_text(encoding="utf-8"))
    answers = changes.pop("answers", {})
    data.update(changes)
    for answer in data["answers"]:
        if answer["title"] in answers:
            answer["value"] = answers[answer["title"]]
    return Submission.model_validate(data)
