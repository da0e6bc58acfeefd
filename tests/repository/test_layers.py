"""The packages of `shared` form layers: the import graph between them has no cycle, and the
lower layers know nothing of the ones above (the Ogust client knows nothing of forms, delivery and
the engine know nothing of HTTP)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT / "shared"


def unit(path: Path) -> str:
    """`shared.<package>`, or `shared.<module>` for a top-level module such as shared.errors."""
    relative = path.relative_to(ROOT).with_suffix("")
    return ".".join(relative.parts[:2])


def graph() -> dict[str, set[str]]:
    """Which unit of shared imports which other (every import: at the top, lazy or for typing)."""
    edges: dict[str, set[str]] = {}
    for path in SHARED.rglob("*.py"):
        source = unit(path)
        if source == "shared.__init__":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] == "shared" and len(parts) > 1:
                    target = ".".join(parts[:2])
                    if target != source:
                        edges.setdefault(source, set()).add(target)
    return edges


def test_the_packages_import_each_other_without_a_cycle() -> None:
    edges = graph()
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> None:
        if node in path:
            raise AssertionError("import cycle: " + " → ".join([*path[path.index(node) :], node]))
        if node in done:
            return
        for target in sorted(edges.get(node, ())):
            visit(target, [*path, node])
        done.add(node)

    for node in sorted(edges):
        visit(node, [])


@pytest.mark.parametrize(
    ("lower", "never"),
    [
        (
            "shared.ogust",
            {"shared.mapping", "shared.engine", "shared.delivery", "shared.http", "shared.webhook"},
        ),
        (
            "shared.webhook",
            {"shared.mapping", "shared.engine", "shared.delivery", "shared.http", "shared.ogust"},
        ),
        ("shared.mapping", {"shared.engine", "shared.delivery", "shared.http"}),
        ("shared.engine", {"shared.delivery", "shared.http", "shared.config"}),
        ("shared.delivery", {"shared.http"}),
        ("shared.forms", {"shared.delivery", "shared.http", "shared.engine"}),
        (
            "shared.sheets",
            {"shared.mapping", "shared.engine", "shared.delivery", "shared.http", "shared.tracking"},
        ),
        ("shared.tracking", {"shared.http", "shared.engine"}),
        ("shared.google", {"shared.forms", "shared.sheets", "shared.mapping", "shared.delivery"}),
        ("shared.delivery", {"shared.tracking", "shared.sheets"}),
        (
            "shared.exactly_once",
            {"shared.delivery", "shared.http", "shared.tracking", "shared.backfill", "shared.sheets"},
        ),
        # The settings say where the stores live (`guard_from`): they know nothing of the stores.
        ("shared.config", {"shared.exactly_once", "shared.delivery", "shared.http", "shared.tracking"}),
    ],
)
def test_a_lower_layer_knows_nothing_of_the_ones_above(lower: str, never: set[str]) -> None:
    assert graph().get(lower, set()) & never == set()


def test_the_lifecycle_imports_nothing_of_shared() -> None:
    # Every layer speaks its words (the engine, the ledger, HTTP, the agency's tab): it must be
    # the lowest of all, or it would tie them together.
    assert graph().get("shared.lifecycle", set()) == set()


def test_only_the_http_layer_knows_flask() -> None:
    users = {
        unit(path)
        for path in SHARED.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if (
            isinstance(node, ast.Import)
            and any(a.name.split(".")[0] in ("flask", "werkzeug") for a in node.names)
        )
        or (isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ("flask", "werkzeug"))
    }
    assert users == {"shared.http"}
