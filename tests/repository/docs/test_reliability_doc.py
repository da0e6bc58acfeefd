"""docs/reliability.md names the test behind each guarantee: every one it names exists."""

from __future__ import annotations

import ast
import fnmatch
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DOC = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
TOKEN = re.compile(r"`([^`]+)`")


def names_of(path: Path) -> set[str]:
    if path.suffix == ".js":
        return set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")}


def test_every_test_the_reliability_doc_names_exists() -> None:
    missing: list[str] = []
    current: Path | None = None
    named = 0
    for token in TOKEN.findall(DOC):
        file_part, _, name = token.partition("::")
        if re.fullmatch(r"[\w/.]+\.(py|js)", file_part) and ("test" in file_part):
            path = (
                ROOT / file_part
                if file_part.startswith(("tests/", "apps_script/"))
                else ROOT / "tests" / file_part
            )
            if not path.exists():
                missing.append(token)
                continue
            current, names = path, names_of(path)
        else:
            continue
        if name:
            named += 1
            if not fnmatch.filter(names, name):
                missing.append(f"{current}::{name}")
    assert missing == []
    assert named >= 30
