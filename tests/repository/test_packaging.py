"""What gets deployed: the function's requirements match the project's pinned dependencies."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FUNCTION = ROOT / "functions" / "forms_to_ogust"


def test_function_requirements_equal_project_dependencies() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    lines = (FUNCTION / "requirements.txt").read_text().splitlines()
    required = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert sorted(required) == sorted(project)
    assert all("==" in r for r in required), "every runtime dependency is pinned"


def test_main_is_thin_and_only_wires_entry_points() -> None:
    tree = ast.parse((FUNCTION / "main.py").read_text())
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    assert [f.name for f in functions] == [
        "receive_submission",
        "process_submission",
        "reconcile_forms",
        "probe_ogust",
    ]
    assert all(len(f.body) <= 2 for f in functions)
    imports = {a.name for n in tree.body if isinstance(n, ast.ImportFrom) for a in n.names}
    assert imports <= {"receive", "handle_push", "reconcile", "probe", "Runtime", "not_found"}
