"""tests/ is laid out by what a test needs to run: every test file lives in one of the named folders,
each folder's conftest gives its tests their marker, and pyproject.toml declares those markers, so
`pytest -m unit` (or `pytest tests/unit`) is the fast loop a newcomer can trust."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

from tests.support.folders import FOLDERS

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
HELPERS = "support"


def test_every_test_file_lives_in_one_of_the_named_folders() -> None:
    misplaced = sorted(
        path.relative_to(TESTS).as_posix()
        for path in TESTS.rglob("test_*.py")
        if path.relative_to(TESTS).parts[0] not in FOLDERS
    )
    assert misplaced == [], f"put each in the folder of its heaviest need: {', '.join(FOLDERS)}"


def test_the_top_of_tests_holds_only_the_folders_and_the_helpers() -> None:
    top = {p.name for p in TESTS.iterdir() if p.name != "__pycache__" and not p.name.startswith(".")}
    assert top == {*FOLDERS, HELPERS, "__init__.py", "conftest.py"}


@pytest.mark.parametrize("folder", FOLDERS)
def test_each_folder_s_conftest_marks_its_tests_with_its_name(folder: str) -> None:
    tree = ast.parse((TESTS / folder / "conftest.py").read_text(encoding="utf-8"))
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "mark_folder"
    ]
    assert [ast.literal_eval(call.args[1]) for call in calls] == [folder]


def test_pyproject_declares_one_marker_per_folder() -> None:
    pytest_options = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]
    declared = {line.split(":")[0] for line in pytest_options["ini_options"]["markers"]}
    assert set(FOLDERS) <= declared


def test_the_package_of_every_test_folder_is_importable_by_its_path() -> None:
    """Without an __init__.py a folder's tests would be imported under a bare name (`cli.test_init`)
    that shadows the project's own packages."""
    missing = sorted(
        folder.relative_to(TESTS).as_posix()
        for folder in [TESTS, *TESTS.rglob("*")]
        if folder.is_dir() and any(folder.rglob("*.py")) and not (folder / "__init__.py").exists()
    )
    assert missing == []


def imports_a_conftest(node: ast.AST) -> bool:
    """`import tests.x.conftest`, `from tests.x.conftest import y`, `from tests.x import conftest`,
    `from .conftest import y`."""
    if isinstance(node, ast.Import):
        return any(alias.name.split(".")[-1] == "conftest" for alias in node.names)
    if isinstance(node, ast.ImportFrom):
        module = (node.module or "").split(".")[-1]
        return module == "conftest" or any(alias.name == "conftest" for alias in node.names)
    return False


def test_no_module_of_the_tests_imports_from_a_conftest() -> None:
    """A conftest holds its folder's fixtures, which pytest hands out by name; what several modules
    import (constants, functions, classes, fixtures another folder uses) lives in tests/support/."""
    offenders = sorted(
        f"{path.relative_to(TESTS).as_posix()}:{node.lineno}"
        for path in TESTS.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if imports_a_conftest(node)
    )
    assert offenders == [], "import these from tests.support instead"


def imports_a_test_module(node: ast.AST) -> bool:
    """`import tests.x.test_y`, `from tests.x.test_y import z`, `from tests.x import test_y`,
    `from .test_y import z`, `from . import test_y`."""
    if isinstance(node, ast.Import):
        return any(part.startswith("test_") for alias in node.names for part in alias.name.split("."))
    if isinstance(node, ast.ImportFrom):
        module = (node.module or "").split(".")
        if node.level == 0 and module[0] != "tests":
            return False  # another package's name that happens to start with test_
        return any(part.startswith("test_") for part in module) or any(
            alias.name.startswith("test_") for alias in node.names
        )
    return False


@pytest.mark.parametrize(
    ("line", "refused"),
    [
        ("import tests.sockets.backfill.test_backfill", True),
        ("from tests.sockets.backfill.test_backfill import export", True),
        ("from tests.sockets.backfill import test_backfill", True),
        ("from .test_reconcile import rec", True),
        ("from . import test_reconcile", True),
        ("from tests.support.backfill import export", False),
        ("from tests.support.queue_world import world as world", False),
        ("from shared.doctor import test_write", False),
    ],
)
def test_the_test_module_guard_tells_each_way_of_importing_one(line: str, refused: bool) -> None:
    (node,) = ast.parse(line).body
    assert imports_a_test_module(node) is refused


def test_no_module_of_the_tests_imports_from_another_test_module() -> None:
    """A test module holds its own tests and changes with them; a test importing from it depends on
    another file's internals and on where that file lives. What several modules share (constants,
    functions, classes, fixtures) lives in a module of tests/support/ named for what it holds."""
    offenders = sorted(
        f"{path.relative_to(TESTS).as_posix()}:{node.lineno}"
        for path in TESTS.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if imports_a_test_module(node)
    )
    assert offenders == [], "import these from tests.support instead"
