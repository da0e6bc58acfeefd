"""What a mapping file says, as validated models: forms, lookup keys, field rules and conditions."""

from __future__ import annotations

import functools
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
from shared.mapping.steps import Step, parse_step
from shared.mapping.suggest import did_you_mean, suggest_field
from shared.ogust import ENTITY_FIELDS, Entity, Target

TEMPLATE_SLOT = re.compile(r"\{\{\s*(.*?)\s*\}\}")
TEMPLATE_OPTIONAL = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)
"""`[[ : {{Commentaires}}]]` is written only when a question inside it has an answer."""
SLOT_FILTERS = ("trim", "upper", "lower", "title_case", "date")
"""`{{Date souhaitée | date}}`: a light shaping of one slot (date gives dd/mm/yyyy)."""
META = ("respondent_email", "submitted_at", "date", "response_id", "form_id", "form_title")
"""Values of the submission itself: `meta: submitted_at`, or `{{@date}}` in a template."""

LIST_KEY = re.compile(r"^(?:customer|employee)\.[a-z_]+$")


def _known_field(name: str) -> str:
    """A field of a customer or of a worker; which one the form writes is checked with the form."""
    target = Target.parse(name)
    if target.part == "custom" or not (target.known_to("customer") or target.known_to("employee")):
        raise ValueError(f"unknown Ogust customer field '{name}'")
    return name


ENTITY_WORDS: dict[Entity, str] = {"customer": "customer", "employee": "worker (employee)"}


FieldName = Annotated[str, AfterValidator(_known_field)]


def lookup_problems(lookup: Iterable[str], field_names: Iterable[str]) -> list[tuple[int, str]]:
    """(position, message) for each lookup entry that is not a mapped customer field."""
    names = set(field_names)
    problems = []
    for i, key in enumerate(lookup):
        if Target.parse(key).part != "customer":
            problems.append((i, f"lookup field '{key}' must be a customer field, not an address part"))
        elif key not in names:
            problems.append((i, f"lookup field '{key}' is not mapped under fields"))
    return problems


def _as_text(raw: Any) -> Any:
    """YAML reads `5` and `4.5` as numbers; a constant, default or comparison means the text."""
    if isinstance(raw, list):
        return [_as_text(item) for item in raw]
    return str(raw) if isinstance(raw, int | float) and not isinstance(raw, bool) else raw


Text = Annotated[str, BeforeValidator(_as_text)]


class _Strict(BaseModel):
    # defer_build: validators are built on first validation, never by an instance started from
    # the checked form (shared/mapping/checked.py).
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True, defer_build=True)


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
        return f"'{self.title}'" if self.title else f"item {self.id}"


class Source(_Strict):
    """Where a value comes from: exactly one of answer, value, template, meta."""

    answer: AnswerRef | None = None
    value: Text | None = None
    template: str | None = None
    meta: (
        Literal["respondent_email", "submitted_at", "date", "response_id", "form_id", "form_title"] | None
    ) = None

    @field_validator("template")
    @classmethod
    def _template_slots(cls, template: str | None) -> str | None:
        if template is None:
            return None
        slots = TEMPLATE_SLOT.findall(template)
        if not slots:
            raise ValueError("the template names no question; write questions as {{Question title}}")
        for slot in slots:
            name, _, slot_filter = (part.strip() for part in slot.partition("|"))
            if name.startswith("@") and name[1:] not in META:
                raise ValueError(f"unknown template value '{{{{{name}}}}}' (known: @{', @'.join(META)})")
            if not name:
                raise ValueError("the template has an empty {{ }}")
            if slot_filter and slot_filter not in SLOT_FILTERS:
                raise ValueError(
                    f"unknown template filter '| {slot_filter}' (known: {', '.join(SLOT_FILTERS)})"
                )
        return template

    def sources(self) -> list[str]:
        return [n for n in ("answer", "value", "template", "meta") if getattr(self, n) is not None]

    def questions(self) -> list[AnswerRef]:
        """Every question this source reads."""
        if self.answer is not None:
            return [self.answer]
        if self.template is not None:
            names = [s.partition("|")[0].strip() for s in TEMPLATE_SLOT.findall(self.template)]
            return [AnswerRef.model_validate(n) for n in names if not n.startswith("@")]
        return []


class Condition(_Strict):
    """A simple comparison on one answer; every operator given must hold. No code, no eval."""

    answer: AnswerRef
    equals: Text | None = None
    not_equals: Text | None = None
    in_: list[Text] | None = Field(default=None, alias="in")
    not_in: list[Text] | None = None
    contains: Text | None = None
    empty: bool | None = None
    greater_than: float | None = None
    less_than: float | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    @model_validator(mode="after")
    def _has_operator(self) -> Condition:
        if not self.operators():
            raise ValueError(
                "a condition needs an operator: equals, not_equals, in, not_in, contains, empty, "
                "greater_than or less_than"
            )
        return self

    def operators(self) -> dict[str, Any]:
        names = ("equals", "not_equals", "in_", "not_in", "contains", "empty", "greater_than", "less_than")
        return {n.rstrip("_"): getattr(self, n) for n in names if getattr(self, n) is not None}


def _conditions(raw: Any) -> Any:
    return [raw] if isinstance(raw, dict) else raw


def _constant(raw: Any) -> Any:
    """`type: C` under on_create is short for `type: {value: C}`."""
    return raw if isinstance(raw, dict) else {"value": raw}


Conditions = Annotated[list[Condition], BeforeValidator(_conditions)]


class FieldRule(Source):
    """One Ogust field: its source (or `coalesce` of several), its steps and its policies."""

    coalesce: list[Source] | None = None
    steps: list[Annotated[Step, BeforeValidator(parse_step)]] = Field(default_factory=list)
    required: bool = False
    default: Text | None = None
    send_empty: bool = False
    skip_when: Conditions = Field(default_factory=list)
    on_update: Literal["overwrite", "if_empty", "append"] = "overwrite"
    append_separator: str = "\n"
    ogust_list: str | None = None
    """An Ogust list (`customer.origin`…): the value is a label, written as its code (getList)."""
    write_only: bool | None = None
    """Ogust does not return this field, so it cannot be compared: sent on create only. Unset:
    true for the fields known to be write-only (exoneration)."""

    @field_validator("ogust_list")
    @classmethod
    def _list_key(cls, key: str | None) -> str | None:
        if key is not None and not LIST_KEY.match(key):
            raise ValueError(f"ogust_list '{key}' is not an Ogust list key such as customer.origin")
        return key

    @field_validator("coalesce")
    @classmethod
    def _coalesce_sources(cls, sources: list[Source] | None) -> list[Source] | None:
        if sources is not None:
            if len(sources) < 2:
                raise ValueError("coalesce needs at least two sources")
            for i, source in enumerate(sources):
                if len(source.sources()) != 1:
                    raise ValueError(f"coalesce entry {i} needs exactly one of answer, value, template, meta")
        return sources

    @model_validator(mode="after")
    def _one_source(self) -> FieldRule:
        count = len(self.sources()) + (self.coalesce is not None)
        if count != 1:
            raise ValueError("a field needs exactly one source: answer, value, template, meta or coalesce")
        if self.send_empty and self.default is not None:
            raise ValueError("'send_empty' and 'default' cannot be combined")
        return self

    def questions(self) -> list[AnswerRef]:
        if self.coalesce is not None:
            return [q for s in self.coalesce for q in s.questions()]
        return super().questions()

    @property
    def question_label(self) -> str | None:
        refs = self.questions()
        return ", ".join(r.label for r in refs) if refs else None


class FormMapping(_Strict):
    """The mapping of one Google Form to the fields of Ogust customers, or of workers."""

    name: str = ""
    form_id: str = Field(min_length=1)
    entity: Entity = "customer"
    """What the form's answers become in Ogust: customers, or workers (`employee`: a job
    application makes a candidate). Lookups, leases and the per-person order are per entity."""
    third_party: str | None = Field(default=None, min_length=1)
    """Ogust's `third_party` code of this entity's custom fields; unset: C for customers, S for
    workers (a guess: no public caller wrote a worker's custom fields, docs/ogust-api.md §3d)."""
    lookup: list[str] = Field(min_length=1)
    if_not_found: Literal["create", "skip"] = "create"
    on_conflict: Literal["refuse", "create"] = "refuse"
    """When one lookup key finds a customer whose other lookup key holds another value (a phone
    shared by a family, a new e-mail): refuse the answer (422 naming both keys and the customer),
    or take it for another person and create a customer. Never an overwrite."""
    skip_when: Conditions = Field(default_factory=list)
    fields: dict[FieldName, FieldRule] = Field(min_length=1)
    custom_fields: dict[str, FieldRule] = Field(default_factory=dict)
    """Ogust "informations tierces": custom field code → rule (setThirdPartyInformations)."""
    on_create: dict[FieldName, Annotated[FieldRule, BeforeValidator(_constant)]] = Field(default_factory=dict)
    """Fields sent only when a customer is created (customer type, exoneration, origin…), never
    compared or written on update."""
    reconcile: bool = False
    """Read the form's responses through the Forms API too (`reconcile_forms`): nothing is lost
    even when the Apps Script did not send it (docs/reconciliation.md)."""
    tracking_tab: bool = False
    """Keep the tab "Suivi Ogust" (one row per response, its fate in French, a resend box) in the
    form's response spreadsheet (docs/agency-tab.md)."""
    spreadsheet_id: str | None = Field(default=None, min_length=1)
    """The spreadsheet of that tab; unset: the form's linked response sheet (Forms API)."""

    @field_validator("lookup", mode="before")
    @classmethod
    def _one_or_many(cls, raw: Any) -> Any:
        return [raw] if isinstance(raw, str) else raw

    @field_validator("fields")
    @classmethod
    def _append_only_on_text(cls, fields: dict[str, FieldRule]) -> dict[str, FieldRule]:
        for name, rule in fields.items():
            target = Target.parse(name)
            if rule.on_update == "append" and (
                target.is_phone or target.is_email or target.part != "customer" or rule.ogust_list
            ):
                raise ValueError(f"field '{name}': 'append' is for free-text fields such as comment")
        return fields

    @model_validator(mode="after")
    def _lookup_is_mapped(self) -> FormMapping:
        problems = lookup_problems(self.lookup, self.fields)
        for key in self.lookup:
            if key in self.fields and self.fields[key].on_update == "append":
                problems.append((0, f"lookup field '{key}' cannot be appended to"))
        for name in self.on_create:
            if name in self.fields:
                problems.append((0, f"field '{name}' is both under fields and on_create: keep one"))
        what = f"a field of an Ogust {ENTITY_WORDS[self.entity]} (entity: {self.entity})"
        for name in [*self.fields, *self.on_create]:
            if not Target.parse(name).known_to(self.entity):
                problems.append(
                    (0, f"'{name}' is not {what}{did_you_mean(suggest_field(name, self.entity))}")
                )
        if self.third_party is not None and self.entity == "customer":
            problems.append((0, "third_party is for entity: employee (a customer's code is C)"))
        if self.tracking_tab and not self.reconcile:
            # The reconciliation keeps the tab and reads ticked answers again from the Forms API.
            problems.append((0, "tracking_tab needs reconcile: true (the reconciler keeps the tab)"))
        if problems:
            raise ValueError("; ".join(message for _, message in problems))
        return self

    @property
    def label(self) -> str:
        return f"'{self.name}' ({self.form_id})" if self.name else f"'{self.form_id}'"

    @functools.cached_property
    def rules(self) -> dict[Target, FieldRule]:
        """Every mapped value by its Ogust target: `fields`, then `custom_fields`."""
        rules = {Target.parse(name): rule for name, rule in self.fields.items()}
        rules.update({Target.parse(name): rule for name, rule in self.on_create.items()})
        rules.update({Target("custom", code): rule for code, rule in self.custom_fields.items()})
        return rules

    @functools.cached_property
    def create_only(self) -> frozenset[Target]:
        """Targets written when a customer is created and never compared afterwards."""
        write_only = {
            target
            for target, rule in self.rules.items()
            if rule.write_only
            or (rule.write_only is None and target.name in ENTITY_FIELDS[self.entity].write_only)
        }
        return frozenset(Target.parse(name) for name in self.on_create) | write_only

    @functools.cached_property
    def third_party_code(self) -> str:
        """The `third_party` code this form's custom fields are read and written under."""
        return self.third_party or ENTITY_FIELDS[self.entity].third_party

    @functools.cached_property
    def kind_fields(self) -> frozenset[Target]:
        """Constants written on create that say what kind of record this is (a worker's nature):
        a record found by the lookup keys with another value is not the person this form creates
        (an employee is not a new candidate), so it goes to `on_conflict` like a disagreeing key."""
        if self.entity == "employee" and "nature" in self.on_create:
            return frozenset({Target("customer", "nature")})
        return frozenset()

    @functools.cached_property
    def lookup_targets(self) -> list[Target]:
        """The lookup fields, in the order they are tried."""
        return [Target("customer", name) for name in self.lookup]


class MappingFile(_Strict):
    """A whole mapping file: one or several forms, routed by form id."""

    version: Literal[1]
    forms: list[FormMapping] = Field(min_length=1)
    default_form: str | None = None
    """form_id of the mapping that takes submissions of unknown forms (unset: they are rejected)."""

    @model_validator(mode="after")
    def _unique_forms(self) -> MappingFile:
        ids = [f.form_id for f in self.forms]
        duplicated = sorted({i for i in ids if ids.count(i) > 1})
        if duplicated:
            raise ValueError(f"form_id listed twice: {', '.join(duplicated)}")
        if self.default_form is not None and self.default_form not in ids:
            raise ValueError(f"default_form '{self.default_form}' is not the form_id of a listed form")
        return self

    def for_form(self, form_id: str) -> FormMapping:
        """The mapping of a form; an unknown form goes to `default_form`, or is rejected."""
        for form in self.forms:
            if form.form_id == form_id:
                return form
        if self.default_form is not None:
            return self.for_form(self.default_form)
        raise SubmissionRejected(f"no mapping for form '{form_id}'", field="formId")
