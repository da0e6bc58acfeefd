"""Run one submission through plan → search → decide → execute."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from shared.engine.decide import Action, Create, Unchanged, Update, decide, needs_address_id
from shared.errors import AmbiguousMatchError
from shared.mapping import MappingFile, Plan, lookup_key, plan
from shared.webhook import Submission

Status = Literal["created", "updated", "unchanged"]


class Customers(Protocol):
    """The part of the Ogust client the engine needs."""

    def search_customers(self, **filters: str) -> list[dict[str, Any]]: ...
    def get_customer(self, id_customer: str) -> dict[str, Any] | None: ...
    def set_customer(self, fields: dict[str, Any]) -> str: ...
    def set_address(self, fields: dict[str, Any]) -> None: ...


@dataclass(frozen=True)
class Outcome:
    """What happened to one submission in Ogust."""

    status: Status
    customer_id: str
    changed: list[str] = field(default_factory=list)


def process(submission: Submission, mapping: MappingFile, ogust: Customers) -> Outcome:
    """Create or update the customer this submission describes; the only step that writes is last."""
    the_plan = plan(mapping.for_form(submission.form_id), submission)
    record = find_customer(ogust, the_plan)
    if record is not None and needs_address_id(the_plan, record):
        record = ogust.get_customer(str(record["id_customer"])) or record
    return execute(ogust, decide(the_plan, record))


def find_customer(ogust: Customers, the_plan: Plan) -> dict[str, Any] | None:
    """Search by each lookup key in order; exact match client-side; several matches is an error."""
    for name, value in the_plan.lookup:
        wanted = lookup_key(name, value)
        matches: dict[str, dict[str, Any]] = {}
        for record in ogust.search_customers(**{name: value}):
            if lookup_key(name, str(record.get(name) or "")) == wanted:
                matches[str(record.get("id_customer"))] = record
        if len(matches) > 1:
            ids = sorted(matches)
            raise AmbiguousMatchError(
                f"{len(ids)} Ogust customers have this {name} (ids {', '.join(ids)}): "
                "merge them in Ogust or use a more specific lookup key",
                field=name,
                customer_ids=ids,
            )
        if matches:
            return next(iter(matches.values()))
    return None


def execute(ogust: Customers, action: Action) -> Outcome:
    """Perform the writes the decision calls for, and nothing else."""
    if isinstance(action, Unchanged):
        return Outcome("unchanged", action.customer_id)
    if isinstance(action, Create):
        customer_id = ogust.set_customer(action.fields)
        return Outcome("created", customer_id, sorted(action.fields))
    assert isinstance(action, Update)
    customer_fields: dict[str, Any] = dict(action.changes)
    if action.new_address:
        customer_fields["main_address"] = action.new_address
    if customer_fields:
        ogust.set_customer({"id_customer": action.customer_id, **customer_fields})
    if action.address_changes and action.address_id:
        ogust.set_address({"id_address": action.address_id, **action.address_changes})
    return Outcome("updated", action.customer_id, action.changed_fields)
