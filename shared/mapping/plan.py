"""Apply a form's mapping to a submission: answers in, Ogust values, lookup keys and skips out.

Pure: no I/O, so every rule can be tested exhaustively and `preview` shows exactly what runs.
Ogust list labels are turned into codes afterwards (`Plan.with_list_codes`), once the lists are read.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from shared.errors import SubmissionRejected
from shared.mapping.formats import canonical_email, to_decimal
from shared.mapping.formulas import as_text
from shared.mapping.identity import canonical_phone
from shared.mapping.model import (
    TEMPLATE_OPTIONAL,
    TEMPLATE_SLOT,
    AnswerRef,
    Condition,
    FieldRule,
    FormMapping,
    Source,
)
from shared.mapping.questions import QuestionIndex
from shared.mapping.steps import OPERATIONS
from shared.mapping.text import fold, squash
from shared.mapping.values import StepError, Value
from shared.ogust import PARIS, Target
from shared.webhook import Answer, Submission

LIST_SEPARATOR = ", "
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Plan:
    """What one submission should make of an Ogust customer."""

    form: FormMapping
    response_id: str
    values: dict[Target, str] = field(default_factory=dict)
    """The value of every mapped target that is to be written (left-alone targets are absent)."""
    lookup: list[tuple[Target, str]] = field(default_factory=list)
    """(field, value) pairs to search by, in the mapping's order, only those with a value."""
    skipped: str | None = None
    """Why the whole submission is skipped (a `skip_when` condition held), or None."""
    version: str = ""
    """Which edit of the response this is (its `submittedAt`): appended lines carry a marker of the
    response and this version, so a redelivery finds its own line whatever Ogust did to the text."""

    def list_labels(self) -> dict[Target, tuple[str, str]]:
        """target → (Ogust list key, label) for the values still written as labels."""
        return {
            target: (rule.ogust_list, self.values[target])
            for target, rule in self.form.rules.items()
            if rule.ogust_list and self.values.get(target)
        }

    def by_label(self) -> dict[str, str]:
        """The values by their labels (`email`, `main_address.city`, `custom.NOTE`), for display."""
        return {target.label: value for target, value in self.values.items()}

    def with_list_codes(self, lists: dict[str, dict[str, str]]) -> Plan:
        """This plan with its list labels replaced by the codes of Ogust's `lists` (`_with_list_codes`)."""
        return _with_list_codes(self, lists)


def plan(form: FormMapping, submission: Submission) -> Plan:
    """Compute the field values; SubmissionRejected names the field and the question at fault."""
    answers = AnswerIndex(submission)
    reason = _first_holding(form.skip_when, answers)
    if reason is not None:
        return Plan(form=form, response_id=submission.response_id, skipped=f"skip_when: {reason}")
    values = {
        target: value
        for target, rule in form.rules.items()
        if (value := field_value(target.label, rule, answers)) is not None
    }
    lookup = [(target, values[target]) for target in form.lookup_targets if values.get(target)]
    for target, value in lookup:
        if target.is_email and canonical_email(value) is None:
            rule = form.rules[target]
            raise SubmissionRejected(
                f"lookup field '{target}' (question {rule.question_label}): not a valid e-mail address",
                field=target.label,
                question=rule.question_label,
                value=value,
            )
        values[target] = stored_identity(target, value)
    lookup = [(target, values[target]) for target, _ in lookup]
    if not lookup:
        keys = ", ".join(form.lookup)
        questions = ", ".join(filter(None, (form.fields[k].question_label for k in form.lookup)))
        raise SubmissionRejected(
            f"no lookup value: every lookup field ({keys}) is empty", field=keys, question=questions or None
        )
    return Plan(
        form,
        submission.response_id,
        _as_text(form, values),
        lookup,
        version=version_of(submission),
    )


def _as_text(form: FormMapping, values: dict[Target, str]) -> dict[Target, str]:
    """Formula-looking values as text (`formulas`), except the lookup keys (an e-mail or a phone,
    checked and canonical) and list labels (they become Ogust codes)."""
    kept = set(form.lookup_targets)
    return {
        target: value if target in kept or form.rules[target].ogust_list else as_text(value)
        for target, value in values.items()
    }


def stored_identity(target: Target, value: str) -> str:
    """What a lookup e-mail or phone is written as: the canonical form it is searched by, whatever
    the steps made of it, so the next answer's search finds what this one stored (a fullwidth ＠ or
    a zero-width space typed once must not make the clean spelling a second customer)."""
    if target.is_email:
        return canonical_email(value) or value
    if target.is_phone:
        return canonical_phone(value) or value
    return value


def version_of(submission: Submission) -> str:
    """The edit of the response, as milliseconds since 1970: the same for the same `submittedAt`
    whichever path brought it and however its offset was written (the script's `Z`, `+00:00`…)."""
    return str((submission.submitted_at - _EPOCH) // timedelta(milliseconds=1))


def _with_list_codes(the_plan: Plan, lists: dict[str, dict[str, str]]) -> Plan:
    """Replace list labels by Ogust codes; an unknown label names the field and the labels Ogust has."""
    values = dict(the_plan.values)
    for target, (key, label) in the_plan.list_labels().items():
        codes = lists.get(key, {})
        if label in codes:  # already a code
            continue
        matches = [code for code, text in codes.items() if fold(text) == fold(label)]
        if len(matches) != 1:
            known = ", ".join(f"'{t}'" for t in sorted(codes.values())) or "none"
            problem = "is not" if not matches else "matches several entries"
            rule = the_plan.form.rules[target]
            raise SubmissionRejected(
                f"field '{target}': the value {problem} in the Ogust list {key} (labels: {known})",
                field=target.label,
                question=rule.question_label,
                value=label,
            )
        values[target] = matches[0]
    return replace(the_plan, values=values)


def field_value(name: str, rule: FieldRule, answers: AnswerIndex) -> str | None:
    """The final text for one field, or None when the field is to be left alone."""
    if _first_holding(rule.skip_when, answers) is not None:
        return None
    raw: Value = _coalesce(rule.coalesce, answers) if rule.coalesce is not None else _source(rule, answers)
    try:
        for step in rule.steps:
            raw = step.run(raw)
    except StepError as exc:
        raise SubmissionRejected(
            f"field '{name}' (question {rule.question_label}): {exc}",
            field=name,
            question=rule.question_label,
            value=exc.value,
        ) from None
    text = LIST_SEPARATOR.join(raw) if isinstance(raw, list) else raw
    if fold(text) != "":  # an answer of invisible characters only (a zero-width space) is no answer
        return text
    if rule.default is not None:
        return rule.default
    if rule.required:
        raise SubmissionRejected(
            f"field '{name}' is required but question {rule.question_label} has no answer",
            field=name,
            question=rule.question_label,
        )
    return "" if rule.send_empty else None


def _source(source: Source, answers: AnswerIndex) -> Value:
    if source.value is not None:
        return source.value
    if source.template is not None:
        return _render(source.template, answers)
    if source.meta is not None:
        return answers.meta(source.meta)
    assert source.answer is not None
    return answers.get(source.answer)


def _coalesce(sources: list[Source], answers: AnswerIndex) -> Value:
    for source in sources:
        value = _source(source, answers)
        if (squash(value) if isinstance(value, str) else value) not in ("", []):
            return value
    return ""


class AnswerIndex:
    """Find an answer by item id first, then by title (exact, then ignoring case and spaces)."""

    def __init__(self, submission: Submission) -> None:
        self.submission = submission
        self._index = QuestionIndex(submission.answers, item_id=lambda a: a.item_id, title=lambda a: a.title)

    def get(self, ref: AnswerRef) -> Value:
        answer = self.find(ref)
        if answer is None:
            return ""
        value = answer.value
        if isinstance(value, str):
            return value
        if value and all(isinstance(v, list) for v in value):
            # A checkbox grid: one entry per row, rows kept in place so row n stays recognisable.
            return " / ".join(LIST_SEPARATOR.join(row) or "—" for row in value if isinstance(row, list))
        return [v for v in value if isinstance(v, str) and v]

    def find(self, ref: AnswerRef) -> Answer | None:
        return self._index.find(ref)

    def meta(self, name: str) -> str:
        sub = self.submission
        if name == "date":
            return sub.submitted_at.astimezone(PARIS).strftime("%d/%m/%Y")
        if name == "submitted_at":
            return sub.submitted_at.isoformat().replace("+00:00", "Z")
        if name == "respondent_email":
            return sub.respondent_email or ""
        values = {"response_id": sub.response_id, "form_id": sub.form_id, "form_title": sub.form_title}
        return values[name]


def _render(template: str, answers: AnswerIndex) -> str:
    """Fill `{{Question}}` and `{{@meta}}` slots; a template whose every question is empty is empty.

    A `[[ … ]]` part is kept only when one of its questions has an answer.
    """
    rendered, filled = _fill(
        TEMPLATE_OPTIONAL.sub(lambda m: _optional(m.group(1), answers), template), answers
    )
    return rendered if filled else ""


def _optional(part: str, answers: AnswerIndex) -> str:
    _, filled = _fill(part, answers)
    return part if filled else ""


def _fill(template: str, answers: AnswerIndex) -> tuple[str, bool]:
    filled = False

    def slot(match: re.Match[str]) -> str:
        nonlocal filled
        name, ref, slot_filter = _slot(match.group(1))
        if ref is None:
            return answers.meta(name[1:])
        value = answers.get(ref)
        text = LIST_SEPARATOR.join(value) if isinstance(value, list) else value.strip()
        if text and slot_filter == "date":
            text = OPERATIONS["date"].func(text, "%d/%m/%Y", {"on_invalid": "keep"})
        elif text and slot_filter:
            shape: Callable[[str, Any, Mapping[str, Any]], str] = OPERATIONS[slot_filter].func
            text = shape(text, None, {})
        filled = filled or text != ""
        return text

    return TEMPLATE_SLOT.sub(slot, template), filled


@functools.lru_cache(maxsize=1024)
def _slot(text: str) -> tuple[str, AnswerRef | None, str]:
    """A template slot, parsed once: (name, the question or None for @meta, filter)."""
    name, _, slot_filter = (part.strip() for part in text.partition("|"))
    return name, None if name.startswith("@") else AnswerRef.model_validate(name), slot_filter


def _first_holding(conditions: list[Condition], answers: AnswerIndex) -> str | None:
    """A description of the first condition that holds, or None."""
    for condition in conditions:
        if _holds(condition, answers):
            ops = ", ".join(f"{k} {v!r}" for k, v in condition.operators().items())
            return f"question {condition.answer.label} {ops}"
    return None


def _holds(condition: Condition, answers: AnswerIndex) -> bool:
    raw = answers.get(condition.answer)
    values = [fold(v) for v in raw] if isinstance(raw, list) else [fold(raw)] if raw.strip() else []
    checks: dict[str, Callable[[Any], bool]] = {
        "equals": lambda x: fold(x) in values,
        "not_equals": lambda x: fold(x) not in values,
        "in": lambda xs: any(fold(x) in values for x in xs),
        "not_in": lambda xs: not any(fold(x) in values for x in xs),
        "contains": lambda x: any(fold(x) in v for v in values),
        "empty": lambda flag: (not values) == flag,
        "greater_than": lambda n: any(d is not None and d > Decimal(str(n)) for d in map(to_decimal, values)),
        "less_than": lambda n: any(d is not None and d < Decimal(str(n)) for d in map(to_decimal, values)),
    }
    return all(checks[op](arg) for op, arg in condition.operators().items())
