"""Load a mapping file, reporting every problem at once with its YAML path and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from shared.errors import ConfigError
from shared.mapping.model import MappingFile, lookup_problems


def load_mapping(path: str | Path) -> MappingFile:
    """Read, parse and validate a mapping file; ConfigError lists each problem as file:line: path: why."""
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read mapping file {source}: {exc.strerror}") from None
    return parse_mapping(text, name=str(source))


def parse_mapping(text: str, *, name: str = "<mapping>") -> MappingFile:
    """Validate mapping text; see load_mapping."""
    data = _yaml(text, name)
    try:
        return MappingFile.model_validate(data)
    except ValidationError as exc:
        lines = line_index(text)  # only now: a second YAML pass is wasted on a valid file
        errors = [(tuple(e["loc"]), str(e["msg"])) for e in exc.errors()]
        errors += [e for e in _cross_reference_errors(data) if e not in errors]
        errors.sort(key=lambda e: nearest_line(e[0], lines) or 0)
        problems = [_describe(loc, msg, lines, name) for loc, msg in errors]
        raise ConfigError(f"mapping {name} has {len(problems)} problem(s):\n" + "\n".join(problems)) from None


def _cross_reference_errors(data: Any) -> list[tuple[tuple[Any, ...], str]]:
    """Lookup-vs-fields problems, found on the raw data even when other parts failed validation."""
    forms = data.get("forms") if isinstance(data, dict) else None
    found: list[tuple[tuple[Any, ...], str]] = []
    for f, form in enumerate(forms if isinstance(forms, list) else []):
        if not isinstance(form, dict) or not isinstance(form.get("fields"), dict):
            continue
        lookup = form.get("lookup")
        lookup = [lookup] if isinstance(lookup, str) else lookup
        if isinstance(lookup, list) and all(isinstance(k, str) for k in lookup):
            for i, message in lookup_problems(lookup, form["fields"]):
                found.append((("forms", f, "lookup", i), message))
    return found


def _yaml(text: str, name: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 1}" if mark is not None else name
        raise ConfigError(f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None


def _describe(loc: tuple[Any, ...], msg: str, lines: dict[tuple[Any, ...], int], name: str) -> str:
    line = nearest_line(loc, lines)
    path = ".".join(str(p) for p in loc if p != "[key]") or "(top)"
    message = msg.removeprefix("Value error, ")
    return f"  {name}:{line}: {path}: {message}" if line else f"  {name}: {path}: {message}"


def nearest_line(loc: tuple[Any, ...], lines: dict[tuple[Any, ...], int]) -> int | None:
    """The line of the deepest YAML node on this path."""
    # Pydantic adds its own segments (model names, union branches): back off to the deepest YAML node.
    loc = tuple("in" if part == "in_" else part for part in loc)
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def line_index(text: str) -> dict[tuple[Any, ...], int]:
    """path (keys and list positions) → 1-based line, for every node of a valid YAML text."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    index: dict[tuple[Any, ...], int] = {}

    def walk(current: yaml.Node, path: tuple[Any, ...]) -> None:
        index[path] = current.start_mark.line + 1
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                child = (*path, key.value)
                walk(value, child)
                index[child] = key.start_mark.line + 1
        elif isinstance(current, yaml.SequenceNode):
            for i, item in enumerate(current.value):
                walk(item, (*path, i))

    if node is not None:
        walk(node, ())
    return index
