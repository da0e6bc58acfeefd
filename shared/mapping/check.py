"""Check a mapping before it runs: its own errors, then against the form, a submission or a CSV.

Every finding carries the file and line it is about (and the field, question and a "did you
mean" when there is one), so `validate --json` can point at it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from shared.errors import SubmissionRejected
from shared.mapping.form import FormDescription
from shared.mapping.load import MappingError, Problem, compose_index, nearest_line, parse_mapping
from shared.mapping.model import AnswerRef, FieldRule, FormMapping, MappingFile
from shared.mapping.steps import map_covers
from shared.mapping.suggest import closest, did_you_mean, suggest_title
from shared.mapping.text import fold
from shared.ogust import ENTITY_FIELDS

Lines = dict[tuple[Any, ...], int]


@dataclass(frozen=True)
class Finding:
    """One problem (an error stops a deployment) or remark (a warning), with where it is."""

    level: Literal["error", "warning"]
    message: str
    file: str = ""
    line: int | None = None
    path: str = ""
    """The YAML path, e.g. `forms.0.fields.email`."""
    field: str | None = None
    question: str | None = None
    suggestion: str | None = None
    shows_path: bool = False
    """The mapping's own errors name their YAML path in the text, as `load_mapping` does."""

    @property
    def where(self) -> str:
        """`file:line`, or the file alone."""
        return f"{self.file}:{self.line}" if self.file and self.line else self.file

    def __str__(self) -> str:
        text = f"{self.path}: {self.message}" if self.shows_path and self.path else self.message
        return f"{self.where}: {text}" if self.where else text

    def as_json(self) -> dict[str, Any]:
        """The finding for `--json` output."""
        return {
            "level": self.level,
            "file": self.file,
            "line": self.line,
            "path": self.path,
            "field": self.field,
            "question": self.question,
            "message": self.message,
            "suggestion": self.suggestion,
        }


@dataclass
class Report:
    """Everything `validate` says about a mapping; `ok` when no error."""

    mapping: MappingFile | None
    findings: list[Finding] = field(default_factory=list)
    name: str = ""
    lines: Lines = field(default_factory=dict)
    text: str = ""

    @property
    def ok(self) -> bool:
        return not any(f.level == "error" for f in self.findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "warning"]

    def missing_questions(
        self, form_id: str, *, titles: Collection[str], item_ids: Collection[int] = (), source: str
    ) -> list[Finding]:
        """A warning for each question the mapping reads that `source` (a submission, a CSV) lacks:
        asked of the report, as it holds the mapping's lines the warnings point at."""
        return _missing_questions(self, form_id, titles=titles, item_ids=item_ids, source=source)

    def finding(
        self, level: Literal["error", "warning"], message: str, path: tuple[Any, ...], **kw: Any
    ) -> Finding:
        """A finding about the YAML node at `path` of this mapping."""
        return Finding(
            level,
            message,
            self.name,
            nearest_line(path, self.lines),
            ".".join(str(p) for p in path),
            **kw,
        )


def validate(
    text: str,
    *,
    name: str,
    form: FormDescription | None = None,
    required_on_create: Iterable[str] = ENTITY_FIELDS["customer"].usual_create,
) -> Report:
    """All errors of the mapping itself, then (if it is valid) how it fits the form.

    `required_on_create`: what the Ogust account refuses a create without (the doctor finds it;
    by default what accounts usually require).
    """
    try:
        mapping = parse_mapping(text, name=name)
    except MappingError as exc:
        findings = [_from_problem(p, name) for p in exc.problems]
        if not exc.syntax:  # valid YAML: a key written twice may be the cause
            findings = [_from_problem(p, name) for p in compose_index(text)[1]] + findings
        return Report(None, findings, name, {}, text)
    lines, duplicates = compose_index(text)
    report = Report(mapping, [], name, lines, text)
    report.findings += [_from_problem(p, name) for p in duplicates]
    report.findings += _unknown_lists(report)
    report.findings += _missing_on_create(report, tuple(required_on_create))
    if form is None:
        report.findings += _uncovered_maps_hint(report)
    else:
        report.findings += check_against_form(report, form)
    report.findings += _lookup_stored_canonical(report)
    return report


def _from_problem(problem: Problem, name: str) -> Finding:
    parts = problem.path.split(".") if problem.path else []
    field_name = None
    if len(parts) >= 4 and parts[0] == "forms" and parts[2] in ("fields", "on_create", "custom_fields"):
        field_name = ("custom." if parts[2] == "custom_fields" else "") + parts[3]
    return Finding(
        "error",
        problem.message,
        name,
        problem.line,
        problem.path,
        field_name,
        suggestion=problem.suggestion,
        shows_path=True,
    )


# --- which questions a mapping reads ----------------------------------------------------------


@dataclass(frozen=True)
class MappedQuestion:
    """A question a form mapping reads, for which field, and where in the YAML."""

    field: str
    ref: AnswerRef
    path: tuple[Any, ...]


def _rules(form: FormMapping, base: tuple[Any, ...]) -> list[tuple[str, FieldRule, tuple[Any, ...]]]:
    rules = [(n, r, (*base, "fields", n)) for n, r in form.fields.items()]
    rules += [(n, r, (*base, "on_create", n)) for n, r in form.on_create.items()]
    return rules + [(f"custom.{c}", r, (*base, "custom_fields", c)) for c, r in form.custom_fields.items()]


def mapped_questions(form: FormMapping, index: int) -> list[MappedQuestion]:
    """Every question the form mapping reads (sources, templates, conditions), in file order."""
    base = ("forms", index)
    found = [
        MappedQuestion("skip_when", c.answer, (*base, "skip_when", i)) for i, c in enumerate(form.skip_when)
    ]
    for name, rule, path in _rules(form, base):
        found += [MappedQuestion(name, q, _answer_path(rule, path, q)) for q in rule.questions()]
        found += [
            MappedQuestion(name, c.answer, (*path, "skip_when", i)) for i, c in enumerate(rule.skip_when)
        ]
    return found


def _answer_path(rule: FieldRule, path: tuple[Any, ...], ref: AnswerRef) -> tuple[Any, ...]:
    if rule.answer is not None:
        return (*path, "answer")
    if rule.template is not None:
        return (*path, "template")
    for i, source in enumerate(rule.coalesce or []):
        if ref in source.questions():
            return (*path, "coalesce", i)
    return path


def _missing_questions(
    report: Report,
    form_id: str,
    *,
    titles: Collection[str],
    item_ids: Collection[int] = (),
    source: str,
) -> list[Finding]:
    """A warning for each question the mapping reads that `source` (a submission, a CSV) lacks."""
    mapping = report.mapping
    if mapping is None:
        return []
    try:
        form = mapping.for_form(form_id)
    except SubmissionRejected:  # an unknown form: the caller reports it, with the submission
        return []
    index = mapping.forms.index(form)
    folded = {fold(t) for t in titles}
    findings = []
    seen: set[tuple[str, AnswerRef]] = set()
    for mapped in mapped_questions(form, index):
        ref = mapped.ref
        if (mapped.field, ref) in seen:
            continue
        seen.add((mapped.field, ref))
        if (ref.id is not None and ref.id in item_ids) or (ref.title and fold(ref.title) in folded):
            continue
        suggestion = suggest_title(ref.title, titles) if ref.title else None
        message = (
            f"question {ref.label} (field {mapped.field}) is not in {source}: "
            f"the field gets no value from it{did_you_mean(suggestion)}"
        )
        message += _comment_hint(report, mapped.path, ref)
        findings.append(
            report.finding(
                "warning", message, mapped.path, field=mapped.field, question=ref.label, suggestion=suggestion
            )
        )
    return findings


def _comment_hint(report: Report, path: tuple[Any, ...], ref: AnswerRef) -> str:
    """A title cut by ` #` (a YAML comment) or a stray `&` is only visible in the source line."""
    line = nearest_line(path, report.lines)
    if line is None or not ref.title:
        return ""
    text = report.text.splitlines()[line - 1] if line <= len(report.text.splitlines()) else ""
    after = text.split(ref.title, 1)[1] if ref.title in text else ""
    if after.startswith(" #"):
        return "; in YAML ' #' starts a comment, so the title stops before it: put the title in quotes"
    return ""


# --- against the form -------------------------------------------------------------------------


def check_against_form(report: Report, form: FormDescription) -> list[Finding]:
    """Questions the mapping names that the form lacks; unmapped questions; choices a map misses."""
    mapping = report.mapping
    assert mapping is not None
    index = next((i for i, f in enumerate(mapping.forms) if f.form_id == form.form_id), None)
    if index is None:
        if mapping.default_form is None:
            known = closest(form.form_id, [f.form_id for f in mapping.forms])
            return [
                report.finding(
                    "error",
                    f"form '{form.form_id}' ({form.title}) is not in the mapping{did_you_mean(known)}",
                    ("forms",),
                    suggestion=known,
                )
            ]
        index = [f.form_id for f in mapping.forms].index(mapping.default_form)
    mapped = mapping.forms[index]
    findings: list[Finding] = []
    used: set[str] = set()
    titles = [item.title for item in form.items]
    for question in mapped_questions(mapped, index):
        ref = question.ref
        item = form.find(ref)
        if item is None:
            suggestion = suggest_title(ref.title, titles) if ref.title else None
            message = f"question {ref.label} is not in the form '{form.title}'{did_you_mean(suggestion)}"
            message += _comment_hint(report, question.path, ref)
            findings.append(
                report.finding(
                    "error",
                    message,
                    _field_path(question.path),
                    field=question.field,
                    question=ref.label,
                    suggestion=suggestion,
                )
            )
            continue
        used.add(item.title)
        if ref.id is not None and item.item_id is not None and item.item_id != ref.id:
            findings.append(
                report.finding(
                    "warning",
                    f"item {ref.id} is not in the form; {ref.label} matched by title",
                    _field_path(question.path),
                    field=question.field,
                    question=ref.label,
                )
            )
    for field_name, rule, path in _rules(mapped, ("forms", index)):
        findings.extend(_choices_not_covered(report, field_name, rule, form, path))
    for item in form.items:
        if item.title not in used and item.type not in {"PAGE_BREAK", "SECTION_HEADER", "IMAGE", "VIDEO"}:
            findings.append(
                report.finding(
                    "warning",
                    f"question '{item.title}' of the form is not used by the mapping",
                    ("forms", index, "fields"),
                    question=f"'{item.title}'",
                )
            )
    return findings


def _field_path(path: tuple[Any, ...]) -> tuple[Any, ...]:
    """The field's own line for a finding about one of its questions (as before: the field line)."""
    for marker in ("fields", "on_create", "custom_fields"):
        if marker in path:
            at = path.index(marker)
            return path[: at + 2]
    return path


def _choices_not_covered(
    report: Report, field_name: str, rule: FieldRule, form: FormDescription, path: tuple[Any, ...]
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
        report.finding(
            "error",
            f"field '{field_name}': the value map has no entry and no fallback for choice(s) {listed} "
            f"of question {rule.answer.label}",
            path,
            field=field_name,
            question=rule.answer.label,
        )
    ]


# --- without the form -------------------------------------------------------------------------


def _uncovered_maps_hint(report: Report) -> list[Finding]:
    """Without the form, a strict value map is worth a remark: an unexpected answer is refused."""
    assert report.mapping is not None
    findings = []
    for i, form in enumerate(report.mapping.forms):
        for field_name, rule, path in _rules(form, ("forms", i)):
            for step in rule.steps:
                if (
                    step.name == "map"
                    and "fallback" not in step.options
                    and not step.options.get("keep_unmatched")
                ):
                    findings.append(
                        report.finding(
                            "warning",
                            f"field '{field_name}': an answer missing from the value map rejects the "
                            "submission (add 'fallback' or check with --form)",
                            path,
                            field=field_name,
                            question=rule.question_label,
                        )
                    )
    return findings


CREATE_DEFAULTS = {"type": "C", "exoneration": "D"}
"""What Alenvi sent on every create (reference ogust-api.md §3b), to show in the suggested line."""


def _missing_on_create(report: Report, required: tuple[str, ...]) -> list[Finding]:
    """A form that creates customers without a field the account requires: every create is refused."""
    assert report.mapping is not None
    findings = []
    for i, form in enumerate(report.mapping.forms):
        if form.if_not_found != "create":
            continue
        given = {t.label for t in form.rules}
        wanted = required if form.entity == "customer" else ENTITY_FIELDS["employee"].usual_create
        missing = [name for name in wanted if name not in given]
        if not missing:
            continue
        defaults = CREATE_DEFAULTS if form.entity == "customer" else {}
        constants = [f"{n}: {defaults[n]}" for n in missing if n in defaults]
        hint = f" — e.g. `on_create: {{{', '.join(constants)}}}`" if constants else ""
        if form.entity == "employee" and "nature" in missing:
            hint += (
                "; without `on_create: {nature: <the code of Candidat>}` Ogust may file applicants "
                "as salariés (public code's default nature S); `forms-to-ogust doctor` lists the codes"
            )
        records = "customers" if form.entity == "customer" else "workers"
        findings.append(
            report.finding(
                "warning",
                f"form {form.label} creates {records} without {', '.join(missing)}: an Ogust account "
                f"usually refuses such a create (check yours with `forms-to-ogust doctor`){hint}",
                ("forms", i),
            )
        )
    return findings


def _unknown_lists(report: Report, known: Iterable[str] = ENTITY_FIELDS["customer"].lists) -> list[Finding]:
    """An `ogust_list` key nobody has seen is probably misspelt (an account may still have it)."""
    assert report.mapping is not None
    known = list(known)
    findings = []
    for i, form in enumerate(report.mapping.forms):
        for field_name, rule, path in _rules(form, ("forms", i)):
            if rule.ogust_list and rule.ogust_list not in known:
                suggestion = closest(rule.ogust_list, known)
                findings.append(
                    report.finding(
                        "warning",
                        f"field '{field_name}': ogust_list '{rule.ogust_list}' is not a list known to "
                        f"forms-to-ogust{did_you_mean(suggestion)}; ignore this if your Ogust account has it",
                        (*path, "ogust_list"),
                        field=field_name,
                        suggestion=suggestion,
                    )
                )
    return findings


CANONICAL_STEPS = {"email": "steps: [email]", "phone": "steps: [phone]"}
"""The steps that give a lookup e-mail or phone its canonical form (a phone: `phone`, national)."""


def _lookup_stored_canonical(report: Report) -> list[Finding]:
    """A lookup e-mail or phone is written in its canonical form, as it is searched, whatever its
    steps give (`plan`): steps that say otherwise are shown the line that says what happens."""
    assert report.mapping is not None
    findings = []
    for i, form in enumerate(report.mapping.forms):
        for target in form.lookup_targets:
            rule = form.fields.get(target.name)
            kind = "email" if target.is_email else "phone" if target.is_phone else None
            if rule is None or kind is None or _canonical(rule, kind):
                continue
            findings.append(
                report.finding(
                    "warning",
                    f"field '{target.name}' is a lookup key: it is written in its canonical form (as "
                    f"searched), not as these steps give it — write `{CANONICAL_STEPS[kind]}`",
                    ("forms", i, "fields", target.name),
                    field=target.name,
                    question=rule.question_label,
                    suggestion=CANONICAL_STEPS[kind],
                )
            )
    return findings


def _canonical(rule: FieldRule, kind: str) -> bool:
    """The last step gives the canonical form (a `phone` step only in its national output)."""
    if not rule.steps or rule.steps[-1].name != kind:
        return False
    return kind == "email" or rule.steps[-1].arg in (None, "national")
