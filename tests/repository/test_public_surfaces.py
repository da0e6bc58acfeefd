"""Every package of `shared` has a public surface that means something (httpx's way): `__all__`
lists exactly the names it defines or re-exports, each of them importable, and the other packages
import from that surface only, never from a module inside."""

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
