"""Run one submission through plan → search → decide → execute."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol, TypeVar

from shared.engine.decide import Action, Create, Skip, Unchanged, Update, decide, needs_address_id
from shared.engine.entities import WorkerRecords, Workers
from shared.errors import (
    AmbiguousMatchError,
    FormsToOgustError,
    IdentityConflictError,
    WorkerNatureConflictError,
)
from shared.lifecycle import AttemptOutcome, ProcessStatus
from shared.mapping import FormMapping, MappingFile, Plan, fold, identity_key, plan, search_spellings
from shared.ogust import ENTITY_FIELDS, CustomerRecord, Part, Target
from shared.webhook import Submission

CUSTOMER = ENTITY_FIELDS["customer"]

Status = ProcessStatus
T = TypeVar("T")


class Customers(Protocol):
    """The part of the Ogust client the engine needs."""

    def search_customers(self, **filters: str) -> list[CustomerRecord]: ...
    def get_customer(self, id_customer: str) -> CustomerRecord | None: ...
    def set_customer(self, fields: dict[str, Any]) -> str: ...
    def set_address(self, fields: dict[str, Any]) -> None: ...
    def get_list(self, key: str) -> dict[str, str]: ...
    def get_third_party_informations(self, third_party: str, third_party_id: str) -> dict[str, str]: ...
    def set_third_party_informations(
        self, third_party: str, third_party_id: str, values: dict[str, str]
    ) -> None: ...


@dataclass(frozen=True)
class Outcome:
    """What happened to one submission in Ogust."""

    status: Status
    customer_id: str | None
    changed: list[str] = field(default_factory=list)
    reason: str | None = None


@dataclass(frozen=True)
class Preview:
    """Everything `process` would do, without the writes: for `preview` and dry runs."""

    plan: Plan
    record: CustomerRecord | None
    action: Action

    @property
    def reason(self) -> str | None:
        """Why nothing is done, for a skip."""
        return self.action.reason if isinstance(self.action, Skip) else None

    def differences(self) -> list[Difference]:
        """Field by field, in the plan's order: what Ogust holds, what it would hold, and whether
        this is written (`set`), already there (`same`) or left as Ogust has it by the field's
        update policy (`kept`)."""
        written = self.action.written
        rows = []
        for target, new in self.plan.values.items():
            old = self.record.value(target) if self.record is not None else ""
            change = "set" if target in written else "same" if old.strip() == new.strip() else "kept"
            rows.append(Difference(target.label, old, written.get(target, new), change))
        return rows


class Difference(NamedTuple):
    """One field of a preview (`Preview.differences`)."""

    field: str
    current: str
    new: str
    change: str


def process(submission: Submission, mapping: MappingFile, ogust: Customers) -> Outcome:
    """Create or update the customer (or worker) this submission describes; the only step that
    writes is last."""
    the_plan = plan(mapping.for_form(submission.form_id), submission)
    return process_plan(the_plan, ogust)


def prepare(submission: Submission, mapping: MappingFile, ogust: Customers) -> Preview:
    """Plan, resolve list labels, search and decide: reads only."""
    the_plan = plan(mapping.for_form(submission.form_id), submission)
    return prepare_plan(the_plan, records_for(the_plan.form, ogust))


Newer = Callable[[str], str | None]
"""Given the id of the customer found, why a newer answer of the person forbids writing this one
(None: it may be written). The ledger's per-person order, seen from the engine."""


def process_plan(the_plan: Plan, ogust: Customers, *, newer: Newer | None = None) -> Outcome:
    """`process` for a submission already planned."""
    records = records_for(the_plan.form, ogust)
    return execute(records, prepare_plan(the_plan, records, newer=newer).action)


def records_for(form: FormMapping, ogust: Customers) -> Customers:
    """What the engine reads and writes for this form: the client itself for customers, its worker
    methods for `entity: employee` (shared.engine.entities). `prepare_plan` and `execute` take
    what this returns."""
    held = getattr(ogust, "entity", "customer")  # a view (a worker one, a dry run's) says which
    if held == form.entity:
        return ogust
    if form.entity == "employee" and held == "customer" and isinstance(ogust, Workers):
        return WorkerRecords(ogust, form.third_party_code)
    raise TypeError(f"form {form.label} writes {form.entity} records, {type(ogust).__name__} has {held}s")


def prepare_plan(the_plan: Plan, ogust: Customers, *, newer: Newer | None = None) -> Preview:
    """Resolve list labels, search and decide for a plan: reads only. A customer found to whom
    `newer` says a newer answer was applied is left alone (Skip)."""
    if the_plan.skipped is not None:
        return Preview(the_plan, None, Skip(the_plan.skipped))
    if the_plan.list_labels():
        keys = {key for key, _ in the_plan.list_labels().values()}
        the_plan = the_plan.with_list_codes({key: ogust.get_list(key) for key in keys})
    record = find_customer(ogust, the_plan, newer=newer)
    reason = newer(record.id) if record is not None and newer is not None else None
    if record is not None and reason is not None:
        return Preview(the_plan, record, Skip(reason, record.id))
    if record is not None and needs_address_id(the_plan, record):
        record = ogust.get_customer(record.id) or record
    if record is not None and any(target.part == "custom" for target in the_plan.values):
        # The code is the customers'; a worker view files it under the form's own (entities.py).
        record = record.with_custom(ogust.get_third_party_informations(CUSTOMER.third_party, record.id))
    return Preview(the_plan, record, decide(the_plan, record))


def find_customer(ogust: Customers, the_plan: Plan, *, newer: Newer | None = None) -> CustomerRecord | None:
    """Search by each lookup key in order; exact match client-side; several matches is an error.

    The keys must agree: a customer found by one key whose other lookup key holds another
    non-empty value is someone else (a family's shared phone, a new e-mail). `on_conflict: refuse`
    answers IdentityConflictError; `create` goes on with the next key, then creates. A customer
    `newer` knows (a newer answer of this person was applied to it) is returned as it is: the
    caller skips it, so an older answer's old phone is no conflict.
    """
    for target, value in the_plan.lookup:
        wanted = identity_key(target, value)
        matches: dict[str, CustomerRecord] = {}
        for spelling in search_spellings(target, value):
            for record in ogust.search_customers(**{target.name: spelling}):
                if identity_key(target, record.value(target)) == wanted:
                    matches[record.id] = record
        if len(matches) > 1:
            ids = sorted(matches)
            raise AmbiguousMatchError(
                f"{len(ids)} Ogust customers have this {target} (ids {', '.join(ids)}): "
                "merge them in Ogust or use a more specific lookup key",
                field=target.label,
                customer_ids=ids,
            )
        if not matches:
            continue
        found = next(iter(matches.values()))
        if newer is not None and newer(found.id) is not None:
            return found
        other = disagreeing_key(the_plan, found)
        if other is None:
            return found
        if the_plan.form.on_conflict == "refuse" and other in the_plan.form.kind_fields:
            raise WorkerNatureConflictError(
                f"the {target} of this answer finds Ogust worker {found.id}, whose {other} is "
                f"{found.value(other) or '(empty)'}, not {the_plan.values[other]} as this form creates: "
                "an existing worker (a salarié) is not a new candidate, nothing written "
                "(on_conflict: refuse). The office changes that worker in Ogust by hand; "
                "`on_conflict: create` in the mapping would make a candidate beside it",
                keys=[target.label, other.label],
                customer_id=found.id,
            )
        if the_plan.form.on_conflict == "refuse":
            who = "customer" if the_plan.form.entity == "customer" else "worker"
            raise IdentityConflictError(
                f"the {target} of this answer finds Ogust {who} {found.id}, whose {other} is not "
                f"this answer's {other}: not the same person, nothing written (on_conflict: refuse). "
                f"Same person: correct the {other} in Ogust, then send the answer again; another "
                "person (a relative sharing it): set on_conflict: create in the mapping",
                keys=[target.label, other.label],
                customer_id=found.id,
            )
    return None


def disagreeing_key(the_plan: Plan, record: CustomerRecord) -> Target | None:
    """The first lookup key of the plan whose value the record holds otherwise (non-empty), if any;
    then a kind the form creates (a candidate's nature) that the record is not (a salarié)."""
    for target, value in the_plan.lookup:
        held = record.value(target)
        if fold(held) and identity_key(target, held) != identity_key(target, value):
            return target
    for target in sorted(the_plan.form.kind_fields):
        wanted = the_plan.values.get(target)
        if wanted is not None and record.value(target).strip() != wanted.strip():
            return target
    return None


def execute(ogust: Customers, action: Action) -> Outcome:
    """Perform the writes the decision calls for, and nothing else.

    When a write fails after others succeeded, the error says what is in Ogust already and what
    is not (`applied`, `not_applied`, `customer_id`): a retry or a replay searches again, finds
    what was written and only writes the rest.
    """
    if isinstance(action, Skip):
        return Outcome(AttemptOutcome.SKIPPED, action.customer_id, reason=action.reason)
    if isinstance(action, Unchanged):
        return Outcome(AttemptOutcome.UNCHANGED, action.customer_id)
    values = action.values if isinstance(action, Create) else action.changes
    parts = _by_part(values)
    if isinstance(action, Create):
        progress = _Progress(values, None)
        fields = _customer_fields(parts, with_address=True)
        customer_id = progress.write(("customer", "address"), lambda: ogust.set_customer(fields))
        progress.customer_id = customer_id
        _write_custom(ogust, progress, customer_id, parts["custom"])
        return Outcome(AttemptOutcome.CREATED, customer_id, sorted(target.label for target in values))
    assert isinstance(action, Update)
    progress = _Progress(values, action.customer_id)
    new_address = action.address_id is None  # no address yet: it travels inside setCustomer
    fields = _customer_fields(parts, with_address=new_address)
    if fields:
        carried: tuple[Part, ...] = ("customer", "address") if new_address else ("customer",)
        progress.write(carried, lambda: ogust.set_customer({"id_customer": action.customer_id, **fields}))
    if parts["address"] and action.address_id:
        address = {"id_address": action.address_id, **parts["address"]}
        progress.write(("address",), lambda: ogust.set_address(address))
    _write_custom(ogust, progress, action.customer_id, parts["custom"], action.custom_held)
    return Outcome(AttemptOutcome.UPDATED, action.customer_id, action.changed_fields)


def _write_custom(
    ogust: Customers,
    progress: _Progress,
    customer_id: str,
    custom: dict[str, str],
    held: Mapping[str, str] | None = None,
) -> None:
    """The changed custom fields, sent with every other one Ogust holds: never a partial set, as
    Ogust may replace the whole set with what it is sent (docs/ogust-api.md)."""
    if custom:
        full = {**(held or {}), **custom}
        progress.write(
            ("custom",),
            lambda: ogust.set_third_party_informations(CUSTOMER.third_party, customer_id, full),
        )


class _Progress:
    """Which planned values are in Ogust so far, to be told when a later write fails."""

    def __init__(self, values: dict[Target, str], customer_id: str | None) -> None:
        self.pending = sorted(values)
        self.applied: list[Target] = []
        self.customer_id = customer_id

    def write(self, carried: tuple[Part, ...], call: Callable[[], T]) -> T:
        try:
            result = call()
        except FormsToOgustError as exc:
            exc.customer_id = self.customer_id
            if self.applied:
                exc.applied = sorted(t.label for t in self.applied)
                exc.not_applied = sorted(t.label for t in self.pending)
            raise
        done = [t for t in self.pending if t.part in carried]
        self.applied += done
        self.pending = [t for t in self.pending if t not in done]
        return result


def _by_part(values: dict[Target, str]) -> dict[Part, dict[str, str]]:
    """The one place values are grouped by what carries them: setCustomer, setAddress, custom."""
    parts: dict[Part, dict[str, str]] = {"customer": {}, "address": {}, "custom": {}}
    for target, value in values.items():
        parts[target.part][target.name] = value
    return parts


def _customer_fields(parts: dict[Part, dict[str, str]], *, with_address: bool) -> dict[str, Any]:
    """setCustomer's fields; a new main address travels inside it, with Ogust's defaults."""
    fields: dict[str, Any] = dict(parts["customer"])
    if with_address and parts["address"]:
        fields["main_address"] = {**CUSTOMER.address_defaults, **parts["address"]}
    return fields
