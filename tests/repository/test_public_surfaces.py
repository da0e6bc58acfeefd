"""Every package of `shared` has a public surface that means something (httpx's way): `__all__`
lists exactly the names it defines or re-exports, each of them importable, and the other packages
import from that surface only, never from a module inside. A surface is designed: every name on it
is imported by code outside its package, and all of them together stay under 140 names."""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = sorted(p.parent.name for p in (ROOT / "shared").glob("*/__init__.py"))


@pytest.mark.parametrize("name", PACKAGES)
def test_all_lists_exactly_the_public_names(name: str) -> None:
    package = importlib.import_module(f"shared.{name}")
    exported = set(package.__all__)
    defined = {
        attr
        for attr, value in vars(package).items()
        if not attr.startswith("_")
        and not inspect.ismodule(value)
        and getattr(value, "__module__", None) not in ("typing", "__future__")
        and attr not in ("annotations", "TYPE_CHECKING")
    }
    assert defined <= exported, f"shared.{name} defines names missing from __all__"
    for attr in exported:
        assert getattr(package, attr) is not None, f"shared.{name}.{attr} is listed but not importable"


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(n.lineno, n.module) for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]


def test_other_packages_import_only_a_packages_surface() -> None:
    crossing = []
    sources = [
        *ROOT.glob("shared/**/*.py"),
        *ROOT.glob("cli/**/*.py"),
        ROOT / "functions/forms_to_ogust/main.py",
    ]
    for path in sources:
        relative = path.relative_to(ROOT)
        own = relative.parts[1] if relative.parts[0] == "shared" and len(relative.parts) > 2 else None
        for line, module in _imports(path):
            parts = module.split(".")
            if parts[0] == "shared" and len(parts) > 2 and parts[1] in PACKAGES and parts[1] != own:
                crossing.append(f"{relative}:{line}: from {module}")
    assert crossing == []


# A surface is what the rest of the code needs, not what a package happens to define: tests and
# benchmarks reach an internal through the module that defines it, so they are not importers here.
MOST_EXPORTED = 140
NOT_CODE = {"tests", "bench", "node_modules"}


def _code() -> list[Path]:
    tops = [p for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name not in NOT_CODE]
    return [
        path for top in tops for path in top.rglob("*.py") if not NOT_CODE & set(path.relative_to(ROOT).parts)
    ]


def _importers() -> dict[tuple[str, str], set[str]]:
    """(package, name) → the code files outside the package that import the name from its surface."""
    found: dict[tuple[str, str], set[str]] = {}
    for path in _code():
        relative = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.ImportFrom) and node.module):
                continue
            parts = node.module.split(".")
            if parts[0] == "shared" and len(parts) == 2 and not relative.startswith(f"shared/{parts[1]}/"):
                for alias in node.names:
                    found.setdefault((parts[1], alias.name), set()).add(relative)
    return found


def test_every_exported_name_is_imported_by_code_outside_its_package() -> None:
    importers = _importers()
    unused = [
        f"shared.{name}.{attr}"
        for name in PACKAGES
        for attr in importlib.import_module(f"shared.{name}").__all__
        if (name, attr) not in importers
    ]
    assert unused == [], "exported but imported by no code outside the package (tests import internals)"


def test_the_surfaces_stay_small() -> None:
    exported = {name: len(importlib.import_module(f"shared.{name}").__all__) for name in PACKAGES}
    assert sum(exported.values()) < MOST_EXPORTED, exported
