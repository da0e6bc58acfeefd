"""Decide what to write: create, update (only what differs) or nothing. Pure: no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shared.mapping import Plan, lookup_key
from shared.mapping.fields import ADDRESS_DEFAULTS, EMAIL_FIELDS, PHONE_FIELDS


@dataclass(frozen=True)
class Create:
    """A new customer, its main address inside the same setCustomer call."""

    fields: dict[str, Any]


@dataclass(frozen=True)
class Update:
    """Changes for an existing customer; empty dicts mean that part is left alone."""

    customer_id: str
    changes: dict[str, str] = field(default_factory=dict)
    address_id: str | None = None
    address_changes: dict[str, str] = field(default_factory=dict)
    new_address: dict[str, str] = field(default_factory=dict)
    """A main address for a customer Ogust returned without one (sent inside setCustomer)."""

    @property
    def changed_fields(self) -> list[str]:
        return [*self.changes, *(f"main_address.{k}" for k in (self.address_changes or self.new_address))]


@dataclass(frozen=True)
class Unchanged:
    """The customer already holds every mapped value: no write at all."""

    customer_id: str


Action = Create | Update | Unchanged


def decide(plan: Plan, record: dict[str, Any] | None) -> Action:
    """Compare the plan with the record the search returned (no second read, no blind write)."""
    if record is None:
        fields: dict[str, Any] = dict(plan.customer)
        if plan.address:
            fields["main_address"] = {**ADDRESS_DEFAULTS, **plan.address}
        return Create(fields)

    customer_id = str(record["id_customer"])
    changes = {k: v for k, v in plan.customer.items() if _differs(k, record.get(k), v)}
    address = record.get("main_address")
    address = address if isinstance(address, dict) else {}
    address_id = str(address.get("id_address") or "") or None
    address_changes: dict[str, str] = {}
    new_address: dict[str, str] = {}
    if plan.address and address_id:
        address_changes = {k: v for k, v in plan.address.items() if _differs(k, address.get(k), v)}
    elif plan.address:
        new_address = {**ADDRESS_DEFAULTS, **plan.address}
    if not changes and not address_changes and not new_address:
        return Unchanged(customer_id)
    return Update(customer_id, changes, address_id, address_changes, new_address)


def needs_address_id(plan: Plan, record: dict[str, Any] | None) -> bool:
    """True when the address must be compared but the search result carries no address id."""
    if record is None or not plan.address:
        return False
    address = record.get("main_address")
    return not (isinstance(address, dict) and address.get("id_address"))


def _differs(name: str, current: Any, new: str) -> bool:
    old = "" if current is None else str(current)
    if name in EMAIL_FIELDS or name in PHONE_FIELDS:
        # Ogust may store '06 12 34 56 78' where we send '0612345678': the same number is no change.
        return lookup_key(name, old) != lookup_key(name, new)
    return old.strip() != new.strip()
