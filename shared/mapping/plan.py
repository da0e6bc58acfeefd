"""Apply a form's mapping to a submission: answers in, Ogust field values and lookup keys out.

Pure: no I/O, so every rule can be tested exhaustively and `preview` shows exactly what runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from shared.errors import SubmissionRejected
from shared.mapping.fields import ADDRESS_PREFIX, EMAIL_FIELDS, PHONE_FIELDS
from shared.mapping.model import AnswerRef, FieldRule, FormMapping
from shared.mapping.steps import StepError, Value, normalise_phone, squash
from shared.webhook import Answer, Submission

_TEMPLATE_REF = re.compile(r"\{\{\s*(.*?)\s*\}\}")
LIST_SEPARATOR = ", "


@dataclass(frozen=True)
class Plan:
    """What one submission should make of an Ogust customer."""

    form: FormMapping
    response_id: str
    customer: dict[str, str] = field(default_factory=dict)
    address: dict[str, str] = field(default_factory=dict)
    lookup: list[tuple[str, str]] = field(default_factory=list)
    """(field, value) pairs to search by, in the mapping's order, only those with a value."""


def plan(form: FormMapping, submission: Submission) -> Plan:
    """Compute the field values; SubmissionRejected names the field and the question at fault."""
    answers = _AnswerIndex(submission.answers)
    customer: dict[str, str] = {}
    address: dict[str, str] = {}
    for name, rule in form.fields.items():
        value = field_value(name, rule, answers)
        if value is None:
            continue
        if name.startswith(ADDRESS_PREFIX):
            address[name[len(ADDRESS_PREFIX) :]] = value
        else:
            customer[name] = value
    lookup = [(key, customer[key]) for key in form.lookup if customer.get(key)]
    if not lookup:
        keys = ", ".join(form.lookup)
        questions = ", ".join(filter(None, (form.fields[k].question_label for k in form.lookup)))
        raise SubmissionRejected(
            f"no lookup value: every lookup field ({keys}) is empty", field=keys, question=questions or None
        )
    return Plan(
        form=form, response_id=submission.response_id, customer=customer, address=address, lookup=lookup
    )


def field_value(name: str, rule: FieldRule, answers: _AnswerIndex) -> str | None:
    """The final text for one field, or None when the field is to be left alone."""
    raw: Value
    if rule.value is not None:
        raw = rule.value
    elif rule.template is not None:
        raw = _render(rule.template, answers)
    else:
        assert rule.answer is not None
        raw = answers.get(rule.answer)
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
    if text != "":
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


def lookup_key(field_name: str, value: str) -> str:
    """Normalise a value for exact client-side comparison (Ogust's own search may be loose)."""
    if field_name in EMAIL_FIELDS:
        return value.strip().lower()
    if field_name in PHONE_FIELDS:
        return normalise_phone(value) or re.sub(r"\D", "", value)
    return squash(value).casefold()


class _AnswerIndex:
    """Find an answer by item id first, then by title (exact, then ignoring case and spaces)."""

    def __init__(self, answers: list[Answer]) -> None:
        self._by_id = {a.item_id: a for a in answers}
        self._by_title: dict[str, Answer] = {}
        self._by_folded: dict[str, Answer] = {}
        for a in answers:
            self._by_title.setdefault(a.title, a)
            self._by_folded.setdefault(_fold(a.title), a)

    def get(self, ref: AnswerRef) -> Value:
        answer = self._find(ref)
        if answer is None:
            return ""
        value = answer.value
        if isinstance(value, str):
            return value
        # A grid answer is a list of rows; each row becomes one readable entry.
        return [v if isinstance(v, str) else LIST_SEPARATOR.join(v) for v in value if v]

    def _find(self, ref: AnswerRef) -> Answer | None:
        if ref.id is not None and ref.id in self._by_id:
            return self._by_id[ref.id]
        if ref.title:
            return self._by_title.get(ref.title) or self._by_folded.get(_fold(ref.title))
        return None


def _render(template: str, answers: _AnswerIndex) -> str:
    """Fill `{{Question}}` slots; a template whose every slot is empty renders as empty."""
    filled = False

    def slot(match: re.Match[str]) -> str:
        nonlocal filled
        value = answers.get(AnswerRef.model_validate(match.group(1)))
        text = LIST_SEPARATOR.join(value) if isinstance(value, list) else value.strip()
        filled = filled or text != ""
        return text

    rendered = _TEMPLATE_REF.sub(slot, template)
    return rendered if filled else ""


def _fold(text: str) -> str:
    return squash(text).casefold()
