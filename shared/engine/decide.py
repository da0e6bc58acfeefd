"""Decide what to write: create, update (only what differs, by each field's policy) or nothing. Pure."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from shared.lifecycle import AttemptOutcome
from shared.mapping import FieldRule, Plan, identity_key
from shared.ogust import CustomerRecord, Target


@dataclass(frozen=True)
class Create:
    """A new customer with every planned value (its main address inside setCustomer)."""

    kind: ClassVar[str] = "create"
    writes: ClassVar[bool] = True
    values: dict[Target, str]

    @property
    def written(self) -> dict[Target, str]:
        return self.values


@dataclass(frozen=True)
class Update:
    """The values of an existing customer that differ from the plan; nothing else is written."""

    kind: ClassVar[str] = "update"
    writes: ClassVar[bool] = True
    customer_id: str
    changes: dict[Target, str] = field(default_factory=dict)
    address_id: str | None = None
    """The main address to update with setAddress; None: the customer has none, so it is sent
    inside setCustomer."""

    custom_held: Mapping[str, str] = field(default_factory=dict)
    """The custom fields Ogust holds: they are written back with the changes as one full set, as
    Ogust may replace the whole set with what it is sent (docs/ogust-api.md)."""

    @property
    def written(self) -> dict[Target, str]:
        return self.changes

    @property
    def changed_fields(self) -> list[str]:
        return sorted(target.label for target in self.changes)


@dataclass(frozen=True)
class Unchanged:
    """The customer already holds every mapped value: no write at all."""

    kind: ClassVar[str] = AttemptOutcome.UNCHANGED
    writes: ClassVar[bool] = False
    customer_id: str

    @property
    def written(self) -> dict[Target, str]:
        return {}


@dataclass(frozen=True)
class Skip:
    """Nothing to do by the mapping's own rules (a condition, or an update-only form), or because
    a newer answer of the person was applied to the customer found (`customer_id`)."""

    kind: ClassVar[str] = "skip"
    writes: ClassVar[bool] = False
    reason: str
    customer_id: str | None = None

    @property
    def written(self) -> dict[Target, str]:
        return {}


Action = Create | Update | Unchanged | Skip
"""The decision: callers read what it is (`kind`), whether it writes (`writes`) and what
(`written`), and need not tell the four apart by their classes."""


def decide(plan: Plan, record: CustomerRecord | None) -> Action:
    """Compare the plan with the record the search returned (no second read, no blind write).

    The record's custom fields are read beforehand when the plan has some (`record.custom`).
    """
    if plan.skipped is not None:
        return Skip(plan.skipped)
    if record is None:
        if plan.form.if_not_found == "skip":
            return Skip("no Ogust customer matches and this form only updates existing customers")
        marker = append_marker(plan)
        return Create(
            {
                target: _marked(marker, value) if plan.form.rules[target].on_update == "append" else value
                for target, value in plan.values.items()
            }
        )
    changes: dict[Target, str] = {}
    for target, value in plan.values.items():
        if target in plan.form.create_only:
            continue  # on_create constants and fields Ogust never returns: nothing to compare with
        old = record.value(target)
        new = _apply_policy(plan.form.rules[target], old, value, append_marker(plan))
        if new is not None and _differs(target, old, new):
            changes[target] = new
    if not changes:
        return Unchanged(record.id)
    return Update(record.id, changes, record.address_id, dict(record.custom or {}))


def append_marker(plan: Plan) -> str:
    """`[r:3f9a1c2b]`: a short ASCII mark of the response and its version, put at the start of each
    line appended for it. Ogust may escape, re-wrap or cut the text (docs/ogust-api.md), never
    these characters, so "already appended?" looks for the mark, not the text."""
    digest = hashlib.sha256(f"{plan.response_id}\n{plan.version}".encode()).hexdigest()
    return f"[r:{digest[:8]}]"


def _marked(marker: str, text: str) -> str:
    return f"{marker} {text}" if text.strip() else text


def needs_address_id(plan: Plan, record: CustomerRecord | None) -> bool:
    """True when the address must be compared but the search result carries no address id."""
    if record is None or plan.skipped or record.address_id:
        return False
    return any(target.part == "address" for target in plan.values)


def _apply_policy(rule: FieldRule, old: str, new: str, marker: str) -> str | None:
    """The value to write under the field's update policy, or None to leave it alone."""
    if rule.on_update == "if_empty":
        return new if old.strip() == "" else None
    if rule.on_update == "append":
        if new.strip() == "" or marker in old:
            return None  # already appended by an earlier delivery of this very version
        line = _marked(marker, new)
        return line if old.strip() == "" else old.rstrip() + rule.append_separator + line
    return new


def _differs(target: Target, old: str, new: str) -> bool:
    if target.is_email or target.is_phone:
        # Ogust may store '06 12 34 56 78' where we send '0612345678': the same number is no change.
        return identity_key(target, old) != identity_key(target, new)
    return old.strip() != new.strip()
