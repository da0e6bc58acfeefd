"""What a mapping file says, as validated models: forms, lookup keys and field rules."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from shared.errors import SubmissionRejected
from shared.mapping.fields import is_known_field
from shared.mapping.steps import Step, parse_step

_TEMPLATE_REF = re.compile(r"\{\{\s*(.*?)\s*\}\}")


def _known_field(name: str) -> str:
    if not is_known_field(name):
        raise ValueError(f"unknown Ogust customer field '{name}'")
    return name


FieldName = Annotated[str, AfterValidator(_known_field)]


def lookup_problems(lookup: Iterable[str], field_names: Iterable[str]) -> list[tuple[int, str]]:
    """(position, message) for each lookup entry that is not a mapped customer field."""
    names = set(field_names)
    problems = []
    for i, key in enumerate(lookup):
        if key.startswith("main_address."):
            problems.append((i, f"lookup field '{key}' must be a customer field, not an address part"))
        elif key not in names:
            problems.append((i, f"lookup field '{key}' is not mapped under fields"))
    return problems


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class AnswerRef(_Strict):
    """A question: by item id (stable), by title (readable), or both (id first, title as fallback)."""

    id: int | None = None
    title: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, raw: Any) -> Any:
        if isinstance(raw, bool):
            raise ValueError("a question is a title, an item id, or {id, title}")
        if isinstance(raw, int):
            return {"id": raw}
        if isinstance(raw, str):
            digits = raw.removeprefix("#")
            return {"id": int(digits)} if digits.isascii() and digits.isdigit() else {"title": raw}
        return raw

    @model_validator(mode="after")
    def _one_at_least(self) -> AnswerRef:
        if self.id is None and not self.title:
            raise ValueError("a question needs an id or a title")
        return self

    @property
    def label(self) -> str:
        """How error messages name the question."""
        if self.title:
            return f"'{self.title}'"
        return f"item {self.id}"


class FieldRule(_Strict):
    """Where one Ogust field's value comes from and how it is shaped."""

    answer: AnswerRef | None = None
    value: str | None = None
    template: str | None = None
    steps: list[Annotated[Step, BeforeValidator(parse_step)]] = Field(default_factory=list)
    required: bool = False
    default: str | None = None
    send_empty: bool = False

    @field_validator("value", "default", mode="before")
    @classmethod
    def _scalar_as_text(cls, raw: Any) -> Any:
        return str(raw) if isinstance(raw, int | float) and not isinstance(raw, bool) else raw

    @model_validator(mode="after")
    def _one_source(self) -> FieldRule:
        sources = [n for n in ("answer", "value", "template") if getattr(self, n) is not None]
        if len(sources) != 1:
            raise ValueError("a field needs exactly one source: answer, value or template")
        if self.template is not None and not self.template_refs():
            raise ValueError("the template names no question; write questions as {{Question title}}")
        if self.send_empty and self.default is not None:
            raise ValueError("'send_empty' and 'default' cannot be combined")
        return self

    def template_refs(self) -> list[AnswerRef]:
        """The questions a template names, in order."""
        if self.template is None:
            return []
        return [AnswerRef.model_validate(ref) for ref in _TEMPLATE_REF.findall(self.template)]

    def questions(self) -> list[AnswerRef]:
        """Every question this rule reads."""
        return [self.answer] if self.answer is not None else self.template_refs()

    @property
    def question_label(self) -> str | None:
        refs = self.questions()
        return ", ".join(r.label for r in refs) if refs else None


class FormMapping(_Strict):
    """The mapping of one Google Form to Ogust customer fields."""

    name: str = ""
    form_id: str = Field(min_length=1)
    lookup: list[str] = Field(min_length=1)
    fields: dict[FieldName, FieldRule] = Field(min_length=1)

    @field_validator("lookup", mode="before")
    @classmethod
    def _one_or_many(cls, raw: Any) -> Any:
        return [raw] if isinstance(raw, str) else raw

    @model_validator(mode="after")
    def _lookup_is_mapped(self) -> FormMapping:
        problems = lookup_problems(self.lookup, self.fields)
        if problems:
            raise ValueError("; ".join(message for _, message in problems))
        return self


class MappingFile(_Strict):
    """A whole mapping file: one or several forms, routed by form id."""

    version: Literal[1]
    forms: list[FormMapping] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_forms(self) -> MappingFile:
        ids = [f.form_id for f in self.forms]
        duplicated = sorted({i for i in ids if ids.count(i) > 1})
        if duplicated:
            raise ValueError(f"form_id listed twice: {', '.join(duplicated)}")
        return self

    def for_form(self, form_id: str) -> FormMapping:
        """The mapping of a form; an unknown form is a rejected submission."""
        for form in self.forms:
            if form.form_id == form_id:
                return form
        raise SubmissionRejected(f"no mapping for form '{form_id}'", field="formId")
