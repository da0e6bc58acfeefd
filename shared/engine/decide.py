"""Decide what to write: create, update (only what differs, by each field's policy) or nothing. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shared.mapping import Plan, lookup_key
from shared.mapping.fields import ADDRESS_DEFAULTS, EMAIL_FIELDS, PHONE_FIELDS
from shared.mapping.model import FieldRule


@dataclass(frozen=True)
class Create:
    """A new customer, its main address inside the same setCustomer call, then its custom fields."""

    fields: dict[str, Any]
    custom: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Update:
    """Changes for an existing customer; empty dicts mean that part is left alone."""

    customer_id: str
    changes: dict[str, str] = field(default_factory=dict)
    address_id: str | None = None
    address_changes: dict[str, str] = field(default_factory=dict)
    new_address: dict[str, str] = field(default_factory=dict)
    """A main address for a customer Ogust returned without one (sent inside setCustomer)."""
    custom_changes: dict[str, str] = field(default_factory=dict)

    @property
    def changed_fields(self) -> list[str]:
        address = self.address_changes or {
            k: v for k, v in self.new_address.items() if k not in ADDRESS_DEFAULTS
        }
        return [
            *self.changes,
            *(f"main_address.{k}" for k in address),
            *(f"custom.{k}" for k in self.custom_changes),
        ]


@dataclass(frozen=True)
class Unchanged:
    """The customer already holds every mapped value: no write at all."""

    customer_id: str


@dataclass(frozen=True)
class Skip:
    """Nothing to do by the mapping's own rules (a condition, or an update-only form)."""

    reason: str


Action = Create | Update | Unchanged | Skip


def decide(plan: Plan, record: dict[str, Any] | None, custom: dict[str, str] | None = None) -> Action:
    """Compare the plan with the record the search returned (no second read, no blind write).

    `custom` holds the customer's current custom field values, read only when the plan has some.
    """
    if plan.skipped is not None:
        return Skip(plan.skipped)
    if record is None:
        if plan.form.if_not_found == "skip":
            return Skip("no Ogust customer matches and this form only updates existing customers")
        fields: dict[str, Any] = dict(plan.customer)
        if plan.address:
            fields["main_address"] = {**ADDRESS_DEFAULTS, **plan.address}
        return Create(fields, dict(plan.custom))

    customer_id = str(record["id_customer"])
    rules = plan.form.fields
    changes = _changes(plan.customer, record, lambda name: rules[name])
    address = record.get("main_address")
    address = address if isinstance(address, dict) else {}
    address_id = str(address.get("id_address") or "") or None
    address_changes: dict[str, str] = {}
    new_address: dict[str, str] = {}
    if plan.address and address_id:
        address_changes = _changes(plan.address, address, lambda name: rules[f"main_address.{name}"])
    elif plan.address:
        new_address = {**ADDRESS_DEFAULTS, **plan.address}
    custom_changes = _changes(plan.custom, custom or {}, lambda code: plan.form.custom_fields[code])
    if not (changes or address_changes or new_address or custom_changes):
        return Unchanged(customer_id)
    return Update(customer_id, changes, address_id, address_changes, new_address, custom_changes)


def needs_address_id(plan: Plan, record: dict[str, Any] | None) -> bool:
    """True when the address must be compared but the search result carries no address id."""
    if record is None or not plan.address or plan.skipped:
        return False
    address = record.get("main_address")
    return not (isinstance(address, dict) and address.get("id_address"))


def _changes(wanted: dict[str, str], current: dict[str, Any], rule_of: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in wanted.items():
        rule: FieldRule = rule_of(name)
        old = "" if current.get(name) is None else str(current.get(name))
        new = _apply_policy(rule, old, value)
        if new is not None and _differs(name, old, new):
            out[name] = new
    return out


def _apply_policy(rule: FieldRule, old: str, new: str) -> str | None:
    """The value to write under the field's update policy, or None to leave it alone."""
    if rule.on_update == "if_empty":
        return new if old.strip() == "" else None
    if rule.on_update == "append":
        if new.strip() == "" or new.strip() in old:
            return None  # already appended by an earlier delivery of this very submission
        return new if old.strip() == "" else old.rstrip() + rule.append_separator + new
    return new


def _differs(name: str, old: str, new: str) -> bool:
    if name in EMAIL_FIELDS or name in PHONE_FIELDS:
        # Ogust may store '06 12 34 56 78' where we send '0612345678': the same number is no change.
        return lookup_key(name, old) != lookup_key(name, new)
    return old.strip() != new.strip()
