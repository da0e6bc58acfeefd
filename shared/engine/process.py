"""Run one submission through plan → search → decide → execute."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from shared.engine.decide import Action, Create, Skip, Unchanged, Update, decide, needs_address_id
from shared.errors import AmbiguousMatchError
from shared.mapping import MappingFile, Plan, lookup_key, plan, with_list_codes
from shared.webhook import Submission

Status = Literal["created", "updated", "unchanged", "skipped"]
CUSTOMER = "C"
"""Ogust's third_party code for a customer (setThirdPartyInformations)."""


class Customers(Protocol):
    """The part of the Ogust client the engine needs."""

    def search_customers(self, **filters: str) -> list[dict[str, Any]]: ...
    def get_customer(self, id_customer: str) -> dict[str, Any] | None: ...
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
    record: dict[str, Any] | None
    custom: dict[str, str] | None
    action: Action


def process(submission: Submission, mapping: MappingFile, ogust: Customers) -> Outcome:
    """Create or update the customer this submission describes; the only step that writes is last."""
    return execute(ogust, prepare(submission, mapping, ogust).action)


def prepare(submission: Submission, mapping: MappingFile, ogust: Customers) -> Preview:
    """Plan, resolve list labels, search and decide: reads only."""
    the_plan = plan(mapping.for_form(submission.form_id), submission)
    if the_plan.skipped is not None:
        return Preview(the_plan, None, None, Skip(the_plan.skipped))
    if the_plan.list_labels():
        keys = {key for key, _ in the_plan.list_labels().values()}
        the_plan = with_list_codes(the_plan, {key: ogust.get_list(key) for key in keys})
    record = find_customer(ogust, the_plan)
    if record is not None and needs_address_id(the_plan, record):
        record = ogust.get_customer(str(record["id_customer"])) or record
    custom = None
    if record is not None and the_plan.custom:
        custom = ogust.get_third_party_informations(CUSTOMER, str(record["id_customer"]))
    return Preview(the_plan, record, custom, decide(the_plan, record, custom))


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
    if isinstance(action, Skip):
        return Outcome("skipped", None, reason=action.reason)
    if isinstance(action, Unchanged):
        return Outcome("unchanged", action.customer_id)
    if isinstance(action, Create):
        customer_id = ogust.set_customer(action.fields)
        if action.custom:
            ogust.set_third_party_informations(CUSTOMER, customer_id, action.custom)
        return Outcome(
            "created", customer_id, sorted([*action.fields, *(f"custom.{k}" for k in action.custom)])
        )
    assert isinstance(action, Update)
    customer_fields: dict[str, Any] = dict(action.changes)
    if action.new_address:
        customer_fields["main_address"] = action.new_address
    if customer_fields:
        ogust.set_customer({"id_customer": action.customer_id, **customer_fields})
    if action.address_changes and action.address_id:
        ogust.set_address({"id_address": action.address_id, **action.address_changes})
    if action.custom_changes:
        ogust.set_third_party_informations(CUSTOMER, action.customer_id, action.custom_changes)
    return Outcome("updated", action.customer_id, action.changed_fields)
