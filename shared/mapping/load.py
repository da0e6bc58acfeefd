"""Load a mapping file, reporting every problem at once with its line, in the user's terms.

A YAML syntax error is explained the way a person fixes it (quote a title, replace a tab, align a
line), a misspelt name gets a "did you mean", and every problem keeps its line and YAML path so
`validate --json` can point at it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from shared.errors import ConfigError
from shared.mapping.model import (
    AnswerRef,
    Condition,
    FieldRule,
    FormMapping,
    MappingFile,
    Source,
    lookup_problems,
)
from shared.mapping.steps import OPERATIONS
from shared.mapping.suggest import (
    CONDITION_OPERATORS,
    closest,
    did_you_mean,
    suggest_field,
    suggest_operation,
    suggest_operator,
)

if TYPE_CHECKING:
    import yaml


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a mapping: its line (1-based), its YAML path, what is wrong."""

    line: int | None
    path: str
    message: str
    suggestion: str | None = None

    def render(self, name: str) -> str:
        """`file:line: path: message`, as every report prints it."""
        where = f"{name}:{self.line}" if self.line else name
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class MappingError(ConfigError):
    """A mapping that cannot be used; `problems` lists each one with its line."""

    def __init__(
        self, name: str, problems: list[Problem], summary: str | None = None, *, syntax: bool = False
    ) -> None:
        self.name = name
        self.problems = problems
        self.syntax = syntax
        """True when the text is not even YAML (then there is nothing more to look at)."""
        lines = "\n".join("  " + p.render(name) for p in problems)
        super().__init__(summary or f"mapping {name} has {len(problems)} problem(s):\n{lines}")


def load_mapping(path: str | Path) -> MappingFile:
    """Read, parse and validate a mapping file; MappingError lists each problem as file:line: path: why."""
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read mapping file {source}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"mapping file {source} is not UTF-8 text: save it as UTF-8") from None
    return parse_mapping(text, name=str(source))


def parse_mapping(text: str, *, name: str = "<mapping>") -> MappingFile:
    """Validate mapping text; see load_mapping."""
    data = _yaml(text, name)
    if data is None:
        problem = Problem(1, "", "the mapping is empty: it starts with `version: 1`, then `forms:`")
        raise MappingError(name, [problem])
    try:
        return MappingFile.model_validate(data)
    except ValidationError as exc:
        lines = line_index(text)  # only now: a second YAML pass is wasted on a valid file
        errors = [(tuple(e["loc"]), str(e["msg"]), str(e["type"]), e.get("input")) for e in exc.errors()]
        seen = {(loc, msg) for loc, msg, _, _ in errors}
        errors += [
            (loc, msg, "", None) for loc, msg in _cross_reference_errors(data) if (loc, msg) not in seen
        ]
        errors.sort(key=lambda e: nearest_line(e[0], lines) or 0)
        problems = [_problem(loc, msg, kind, given, lines) for loc, msg, kind, given in errors]
        raise MappingError(name, problems) from None


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


# --- pydantic's findings, in the user's terms ---------------------------------------------------

_UNKNOWN_FIELD = re.compile(r"unknown Ogust customer field '(.+?)'")
_UNKNOWN_STEP = re.compile(r"unknown operation '(.+?)' \(known: .*\)")
_UNKNOWN_OPTION = re.compile(r"'(\w+)' has no option (\w+)$")


def _problem(
    loc: tuple[Any, ...], msg: str, kind: str, given: Any, lines: dict[tuple[Any, ...], int]
) -> Problem:
    path = ".".join(str(p) for p in loc if p != "[key]") or "(top)"
    message = msg.removeprefix("Value error, ")
    suggestion: str | None = None
    if kind == "extra_forbidden" and _keys_at(loc[:-1]) is _MODEL_KEYS[Condition]:
        key = str(loc[-1])
        suggestion = closest(key, ["answer"], cutoff=0.8) or suggest_operator(key)
        what = "key" if suggestion == "answer" else "operator"
        message = (
            f"unknown {what} '{key}'{did_you_mean(suggestion)}; a condition takes `answer` and one or "
            f"more of: {', '.join(CONDITION_OPERATORS)}"
        )
    elif kind == "extra_forbidden":
        key = str(loc[-1])
        suggestion = closest(key, _keys_at(loc[:-1]))
        message = f"unknown key '{key}'{did_you_mean(suggestion)}"
    elif kind == "literal_error" and isinstance(given, str):
        expected = re.findall(r"'([^']*)'", message)
        suggestion = closest(given, expected)
        message = f"'{given}' is not one of {', '.join(expected)}{did_you_mean(suggestion)}"
    elif match := _UNKNOWN_FIELD.search(message):
        suggestion = suggest_field(match.group(1))
        message += did_you_mean(suggestion)
    elif match := _UNKNOWN_STEP.search(message):
        suggestion = suggest_operation(match.group(1), OPERATIONS)
        if suggestion:
            message = f"unknown operation '{match.group(1)}'{did_you_mean(suggestion)}"
    elif match := _UNKNOWN_OPTION.search(message):
        suggestion = closest(match.group(2), OPERATIONS[match.group(1)].options)
        message += did_you_mean(suggestion)
    return Problem(nearest_line(loc, lines) or 1, path, message, suggestion)


_MODEL_KEYS: dict[type[BaseModel], list[str]] = {
    model: [f.alias or n for n, f in model.model_fields.items()]
    for model in (MappingFile, FormMapping, FieldRule, Source, Condition, AnswerRef)
}


def _keys_at(loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed where an unknown key was found (every model's keys when unsure)."""
    parts = [p for p in loc if p != "[key]"]
    model: type[BaseModel] | None = None
    if not parts:
        model = MappingFile
    elif len(parts) == 2 and parts[0] == "forms":
        model = FormMapping
    elif len(parts) >= 2 and parts[-2] in ("fields", "on_create", "custom_fields"):
        model = FieldRule
    elif len(parts) >= 2 and parts[-2] == "coalesce":
        model = Source
    elif len(parts) >= 2 and parts[-2] == "skip_when":
        model = Condition
    elif parts[-1:] == ["answer"]:
        model = AnswerRef
    if model is not None:
        return _MODEL_KEYS[model]
    return sorted({k for keys in _MODEL_KEYS.values() for k in keys})


# --- YAML syntax ------------------------------------------------------------------------------


def _yaml(text: str, name: str) -> Any:
    import yaml  # here: an instance started from the checked form never imports PyYAML

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        problem = yaml_problem(exc, text)
        raise MappingError(name, [problem], summary=problem.render(name), syntax=True) from None


_SPECIAL_START = {
    "{": "a table",
    "[": "a list",
    '"': "quoted text",
    "'": "quoted text",
    "|": "a block of text",
    ">": "a block of text",
    "*": "a reference (alias)",
    "&": "an anchor",
    "!": "a tag",
    "%": "a directive",
    "@": "a reserved character",
    "`": "a reserved character",
    "?": "a complex key",
}
"""What YAML makes of a value starting with each character; a title starting so must be quoted."""

_STRUCTURED_KEYS = frozenset(
    {"forms", "fields", "custom_fields", "on_create", "lookup", "steps", "coalesce", "skip_when", "in"}
    | {"not_in", "map", "replace", "input", "answer"}
)
"""Keys whose value is naturally a list or a table: a bracket there is meant, not a title."""


def yaml_problem(exc: yaml.YAMLError, text: str) -> Problem:
    """A YAML syntax error as a person fixes it: the line, and what to change on it."""
    import yaml

    mark = getattr(exc, "problem_mark", None)
    problem = str(getattr(exc, "problem", None) or exc)
    if isinstance(exc, yaml.reader.ReaderError):
        line = text[: exc.position].count("\n") + 1
        character = f"#x{exc.character:04x}" if isinstance(exc.character, int) else repr(exc.character)
        return Problem(
            line,
            "",
            f"not valid YAML: this line holds an invisible control character ({character}): delete it",
        )
    if mark is None:
        return Problem(1, "", f"not valid YAML: {problem}")
    lines = text.splitlines()
    number, line_hint = _hint(problem, mark, getattr(exc, "context", None) or "", exc, lines)
    return Problem(number + 1, "", f"not valid YAML: {line_hint}")


def _hint(problem: str, mark: Any, context: str, exc: yaml.YAMLError, lines: list[str]) -> tuple[int, str]:
    """(0-based line, what to do) for one YAML error."""
    number = mark.line
    opened = getattr(exc, "context_mark", None)
    if "'\\t'" in problem:
        return number, "this line contains a tab; YAML indents with spaces only"
    if "quoted scalar" in context and opened is not None:
        return opened.line, "the quote opened on this line is never closed"
    if ("flow sequence" in context or "flow mapping" in context) and opened is not None:
        kind, closing = ("list", "]") if "sequence" in context else ("table", "}")
        return opened.line, f"the {kind} opened on this line is not closed: a '{closing}' or a ',' is missing"
    line = lines[number] if number < len(lines) else ""
    key, value = _key_and_value(line)
    if "mapping values are not allowed here" in problem and ": " in line[: mark.column]:
        return number, (
            f"the {_noun(key)} after '{key}:' contains ': ', which YAML reads as a new key; "
            f"put the {_noun(key)} in quotes: {key}: {_quoted(value)}"
        )
    indentation = _indentation_hint(lines, number)
    if indentation is not None and (
        "mapping values are not allowed here" in problem
        or "expected <block end>" in problem
        or "did not find expected key" in problem
    ):
        return indentation
    if value[:1] in ("[", "{") and not value.startswith("{{") and _structured(key, value):
        return number, (
            f"the {_SPECIAL_START[value[0]]} of '{key}' is not written properly: check its brackets "
            f"and commas, or put the whole value in quotes if it is text ({problem})"
        )
    if value[:1] in _SPECIAL_START:
        return number, (
            f"the {_noun(key)} after '{key}:' starts with '{value[0]}', which YAML reads as "
            f"{_SPECIAL_START[value[0]]}; put the {_noun(key)} in quotes: {key}: {_quoted(value)}"
        )
    return number, f"{problem} (column {mark.column + 1})"


def _noun(key: str) -> str:
    """What the user calls the value of `key`."""
    return {"answer": "title", "title": "title", "template": "template"}.get(key, "value")


def _structured(key: str, value: str) -> bool:
    """Whether a bracket is meant here (a list of steps, a `{id, title}`) rather than text."""
    if key == "answer":
        return value.startswith("{") and bool(re.match(r"\{\s*(id|title)\s*:", value))
    return key in _STRUCTURED_KEYS


def _key_and_value(line: str) -> tuple[str, str]:
    body = line.strip()
    body = body[2:].lstrip() if body.startswith("- ") else body
    key, _, value = body.partition(": ")
    return (key.strip(), value.strip()) if value else ("", body)


def _quoted(value: str) -> str:
    if '"' in value:
        return "'" + value.replace("'", "''") + "'"
    return '"' + value.replace("\\", "\\\\") + '"'


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _meaningful_above(lines: list[str], number: int) -> int | None:
    """The nearest line above `number` that is neither blank nor a comment."""
    return next(
        (i for i in range(number - 1, -1, -1) if lines[i].strip() and not lines[i].lstrip().startswith("#")),
        None,
    )


def _indentation_hint(lines: list[str], number: int) -> tuple[int, str] | None:
    """(the line that differs from its siblings, `line N is indented more/less than …`), when it is so.

    YAML stops on the line after a block's first line indented too deep; that first line is the one
    to name (its siblings below it line up with the rest of the file)."""
    if number >= len(lines):
        return None
    previous = _meaningful_above(lines, number)
    if previous is None:
        return None
    opener = _meaningful_above(lines, previous)
    here, first = _indent(lines[number]), _indent(lines[previous])
    if (
        opener is not None
        and lines[opener].rstrip().endswith(":")
        and here == _indent(lines[opener]) + _indent_step(lines) < first
        and not lines[previous].lstrip().startswith("- ")
    ):
        return previous, (
            f"line {previous + 1} is indented more than the lines of the same block "
            f"({first} spaces; line {number + 1} has {here})"
        )
    message = _sibling_hint(lines, number, previous)
    return (number, message) if message is not None else None


def _indent_step(lines: list[str]) -> int:
    """How far this file indents a block under its key: the most common step (2 when unsure)."""
    steps: Counter[int] = Counter()
    for i, line in enumerate(lines):
        if line.rstrip().endswith(":") and not line.lstrip().startswith("#"):
            below = next((j for j in range(i + 1, len(lines)) if lines[j].strip()), None)
            if below is not None and _indent(lines[below]) > _indent(line):
                steps[_indent(lines[below]) - _indent(line)] += 1
    return steps.most_common(1)[0][0] if steps else 2


def _sibling_hint(lines: list[str], number: int, previous: int) -> str | None:
    here, before = _indent(lines[number]), _indent(lines[previous])
    item_above, item_here = lines[previous].lstrip().startswith("- "), lines[number].lstrip().startswith("- ")
    if here == before and item_above and not item_here:
        return (
            f"line {number + 1} is a key among the '- ' items of a list (line {previous + 1}): "
            "indent it under its item, or start it with '- '"
        )
    if item_above:
        before += 2  # the keys of a list item line up after its "- "
    if lines[previous].rstrip().endswith(":") and here > before:
        return None  # the first line of a block opened by the line above
    if here > before:
        return (
            f"line {number + 1} is indented more than the lines of the same block "
            f"({here} spaces; line {previous + 1} has {before})"
        )
    if here < before and here not in _enclosing_levels(lines, previous):
        return (
            f"line {number + 1} is indented less than the lines of the same block "
            f"({here} spaces; line {previous + 1} has {before})"
        )
    return None


def _enclosing_levels(lines: list[str], start: int) -> set[int]:
    """The indentations a line may close back to, from line `start` upwards."""
    levels = {_indent(lines[start])}
    current = _indent(lines[start])
    for i in range(start - 1, -1, -1):
        text = lines[i]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        level = _indent(text)
        if text.lstrip().startswith("- "):
            levels.add(level + 2)
        if level < current:
            levels.add(level)
            current = level
    return levels


# --- lines ------------------------------------------------------------------------------------


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
    return compose_index(text)[0]


def duplicate_keys(text: str) -> list[Problem]:
    """Keys written twice in one block: YAML keeps the last one silently, so the first is lost."""
    return compose_index(text)[1]


def compose_index(text: str) -> tuple[dict[tuple[Any, ...], int], list[Problem]]:
    """One YAML pass: the line of every node, and the keys written twice."""
    import yaml

    node = yaml.compose(text, Loader=yaml.SafeLoader)
    index: dict[tuple[Any, ...], int] = {}
    duplicates: list[Problem] = []

    def walk(current: yaml.Node, path: tuple[Any, ...]) -> None:
        index[path] = current.start_mark.line + 1
        if isinstance(current, yaml.MappingNode):
            first: dict[Any, int] = {}
            for key, value in current.value:
                child = (*path, key.value)
                line = key.start_mark.line + 1
                if key.value in first:
                    duplicates.append(
                        Problem(
                            line,
                            ".".join(str(p) for p in child),
                            f"'{key.value}' is written twice (lines {first[key.value]} and {line}): "
                            "only the last one counts; keep one",
                        )
                    )
                first.setdefault(key.value, line)
                walk(value, child)
                index[child] = line
        elif isinstance(current, yaml.SequenceNode):
            for i, item in enumerate(current.value):
                walk(item, (*path, i))

    if node is not None:
        walk(node, ())
    return index, duplicates
