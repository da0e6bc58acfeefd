"""Check a mapping before it runs: its own errors, then against the form it is meant for."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from shared.errors import ConfigError
from shared.mapping.form import FormDescription
from shared.mapping.load import line_index, nearest_line, parse_mapping
from shared.mapping.model import AnswerRef, FieldRule, FormMapping, MappingFile
from shared.mapping.steps import map_covers


@dataclass(frozen=True)
class Finding:
    """One problem (an error stops a deployment) or remark (a warning) with where it is."""

    level: Literal["error", "warning"]
    message: str
    where: str = ""

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass
class Report:
    """Everything `validate` says about a mapping; `ok` when no error."""

    mapping: MappingFile | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(f.level == "error" for f in self.findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "warning"]


def validate(text: str, *, name: str, form: FormDescription | None = None) -> Report:
    """All errors of the mapping itself, then (if it is valid) how it fits the form."""
    try:
        mapping = parse_mapping(text, name=name)
    except ConfigError as exc:
        report_lines = str(exc).splitlines()
        problems = [line.strip() for line in report_lines[1:]] or [str(exc)]
        return Report(None, [Finding("error", p) for p in problems])
    lines = line_index(text)
    if form is None:
        return Report(mapping, _uncovered_maps_hint(mapping, name, lines))
    return Report(mapping, check_against_form(mapping, form, name=name, lines=lines))


def check_against_form(
    mapping: MappingFile, form: FormDescription, *, name: str, lines: dict[tuple[Any, ...], int]
) -> list[Finding]:
    """Questions the mapping names that the form lacks; unmapped questions; choices a map misses."""
    index = next((i for i, f in enumerate(mapping.forms) if f.form_id == form.form_id), None)
    if index is None:
        if mapping.default_form is None:
            return [Finding("error", f"form '{form.form_id}' ({form.title}) is not in the mapping", name)]
        index = [f.form_id for f in mapping.forms].index(mapping.default_form)
    mapped = mapping.forms[index]
    findings: list[Finding] = []
    used: set[str] = set()
    for path, ref in _references(mapped, ("forms", index)):
        where = f"{name}:{nearest_line(path, lines) or '?'}"
        item = form.find(ref)
        if item is None:
            findings.append(
                Finding("error", f"question {ref.label} is not in the form '{form.title}'", where)
            )
            continue
        used.add(item.title)
        if ref.id is not None and item.item_id is not None and item.item_id != ref.id:
            findings.append(
                Finding("warning", f"item {ref.id} is not in the form; {ref.label} matched by title", where)
            )
    for field_name, rule, path in _rules(mapped, ("forms", index)):
        findings.extend(
            _choices_not_covered(field_name, rule, form, f"{name}:{nearest_line(path, lines) or '?'}")
        )
    for item in form.items:
        if item.title not in used and item.type not in {"PAGE_BREAK", "SECTION_HEADER", "IMAGE", "VIDEO"}:
            findings.append(
                Finding("warning", f"question '{item.title}' of the form is not used by the mapping")
            )
    return findings


def _rules(form: FormMapping, base: tuple[Any, ...]) -> list[tuple[str, FieldRule, tuple[Any, ...]]]:
    rules = [(n, r, (*base, "fields", n)) for n, r in form.fields.items()]
    rules += [(n, r, (*base, "on_create", n)) for n, r in form.on_create.items()]
    return rules + [(f"custom.{c}", r, (*base, "custom_fields", c)) for c, r in form.custom_fields.items()]


def _references(form: FormMapping, base: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], AnswerRef]]:
    refs = [((*base, "skip_when", i), c.answer) for i, c in enumerate(form.skip_when)]
    for _, rule, path in _rules(form, base):
        refs += [(path, q) for q in rule.questions()]
        refs += [((*path, "skip_when", i), c.answer) for i, c in enumerate(rule.skip_when)]
    return refs


def _choices_not_covered(
    field_name: str, rule: FieldRule, form: FormDescription, where: str
) -> list[Finding]:
    """A value map without fallback must know every choice the question offers."""
    if rule.answer is None:
        return []
    item = form.find(rule.answer)
    maps = [s for s in rule.steps if s.name == "map"]
    if item is None or not item.choices or not maps:
        return []
    missing = [c for c in item.choices if not map_covers(maps[0], c)]
    if not missing:
        return []
    listed = ", ".join(f"'{c}'" for c in missing)
    return [
        Finding(
            "error",
            f"field '{field_name}': the value map has no entry and no fallback for choice(s) {listed} "
            f"of question {rule.answer.label}",
            where,
        )
    ]


def _uncovered_maps_hint(mapping: MappingFile, name: str, lines: dict[tuple[Any, ...], int]) -> list[Finding]:
    """Without the form, a strict value map is worth a remark: an unexpected answer is refused."""
    findings = []
    for i, form in enumerate(mapping.forms):
        for field_name, rule, path in _rules(form, ("forms", i)):
            for step in rule.steps:
                if (
                    step.name == "map"
                    and "fallback" not in step.options
                    and not step.options.get("keep_unmatched")
                ):
                    findings.append(
                        Finding(
                            "warning",
                            f"field '{field_name}': an answer missing from the value map rejects the "
                            "submission (add 'fallback' or check with --form)",
                            f"{name}:{nearest_line(path, lines) or '?'}",
                        )
                    )
    return findings
