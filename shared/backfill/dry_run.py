"""The Ogust a dry run talks to: reads go to the real one, writes only change a simulated view.

So a dry run goes through the very `process` path of a real run, and the second row of a person
finds the customer the first row would have created (an update, not a second create), with the
values the first row would have written.

Searches among the simulated customers go through an index per searched field (its identity key →
customer ids), kept up to date by every simulated write: a row costs the same whether the run has
simulated ten customers or ten thousand (a scan of them all made a dry run quadratic in the rows).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from shared.engine import Customers
from shared.mapping import identity_key
from shared.ogust import CustomerRecord, Target

SIMULATED_PREFIX = "dry-run-"
"""Ids of the customers a dry run would have created (never sent to Ogust)."""


class SimulatedOgust:
    """`Customers` over a real Ogust, read only: every write is kept here and shown to later reads."""

    def __init__(self, ogust: Customers) -> None:
        self._ogust = ogust
        self.entity: str = getattr(ogust, "entity", "customer")
        """What it simulates: customers, or workers when `ogust` is a view of them (records_for)."""
        self._lock = threading.Lock()
        self._records: dict[str, CustomerRecord] = {}
        """Every customer the run created or changed, as it would be after the run's writes."""
        self._seen: dict[str, CustomerRecord] = {}
        """Customers as the real Ogust returned them: the base of a simulated change."""
        self._ids = itertools.count(1)
        self.writes: list[tuple[str, dict[str, Any]]] = []
        """The writes a real run would have sent (method, fields), in order."""
        self._index: dict[str, dict[str, set[str]]] = {}
        """Searched field → identity key of its value → ids of the simulated customers holding it."""
        self._by_address: dict[str, str] = {}
        """Address id → the customer it belongs to (simulated or seen)."""

    @staticmethod
    def is_simulated(customer_id: str | None) -> bool:
        """True for the id of a customer only this dry run created."""
        return bool(customer_id) and str(customer_id).startswith(SIMULATED_PREFIX)

    # reads: the real Ogust, seen through the simulated writes

    def search_customers(self, **filters: str) -> list[CustomerRecord]:
        found = {r.id: r for r in self._ogust.search_customers(**filters)}
        with self._lock:
            for record in found.values():
                self._see(record)
            found = {i: self._records.get(i, r) for i, r in found.items()}
            matching: set[str] | None = None
            for name, value in filters.items():
                ids = self._indexed(name).get(_key(name, value), set())
                matching = set(ids) if matching is None else matching & ids
            for customer_id in sorted(matching or ()):
                record = self._records[customer_id]
                if all(_matches(record, name, value) for name, value in filters.items()):
                    found.setdefault(customer_id, record)
        return list(found.values())

    def get_customer(self, id_customer: str) -> CustomerRecord | None:
        with self._lock:
            if id_customer in self._records:
                return self._records[id_customer]
        if self.is_simulated(id_customer):
            return None
        record = self._ogust.get_customer(id_customer)
        if record is not None:
            with self._lock:
                self._see(record)
        return record

    def get_list(self, key: str) -> dict[str, str]:
        return self._ogust.get_list(key)

    def get_third_party_informations(self, third_party: str, third_party_id: str) -> dict[str, str]:
        real: dict[str, str] = {}
        if not self.is_simulated(third_party_id):
            real = self._ogust.get_third_party_informations(third_party, third_party_id)
        with self._lock:
            record = self._records.get(third_party_id)
            return {**real, **(record.custom or {})} if record is not None else real

    # writes: simulated

    def set_customer(self, fields: dict[str, Any]) -> str:
        with self._lock:
            self.writes.append(("setCustomer", fields))
            customer_id = str(fields.get("id_customer") or f"{SIMULATED_PREFIX}{next(self._ids)}")
            record = self._records.get(customer_id) or self._current(customer_id)
            scalars = {k: str(v) for k, v in fields.items() if k not in ("id_customer", "main_address")}
            address = fields.get("main_address")
            record = replace(
                record,
                fields={**record.fields, **scalars},
                address={**record.address, **_texts(address)}
                if isinstance(address, Mapping)
                else record.address,
                address_id=record.address_id or (f"{customer_id}-address" if address else None),
            )
            self._store(record)
            return customer_id

    def set_address(self, fields: dict[str, Any]) -> None:
        with self._lock:
            self.writes.append(("setAddress", fields))
            address_id = str(fields.get("id_address"))
            owner = self._by_address.get(address_id)
            if owner is not None:  # the engine always reads a customer before it writes its address
                record = self._records.get(owner) or self._seen[owner]
                address = {k: v for k, v in _texts(fields).items() if k != "id_address"}
                self._store(replace(record, address={**record.address, **address}))

    def set_third_party_informations(
        self, third_party: str, third_party_id: str, values: dict[str, str]
    ) -> None:
        with self._lock:
            self.writes.append(("setThirdPartyInformations", {"third_party_id": third_party_id, **values}))
            record = self._records.get(third_party_id) or self._current(third_party_id)
            self._store(replace(record, custom={**(record.custom or {}), **values}))

    def _current(self, customer_id: str) -> CustomerRecord:
        """The customer as the real Ogust returned it (the engine read it before writing)."""
        return self._seen.get(customer_id) or CustomerRecord(customer_id)

    # the indexes (under the lock)

    def _see(self, record: CustomerRecord) -> None:
        self._seen[record.id] = record
        if record.address_id:
            self._by_address.setdefault(record.address_id, record.id)

    def _store(self, record: CustomerRecord) -> None:
        """Keep `record` as the simulated customer, and every index in step with it."""
        before = self._records.get(record.id)
        for name, keys in self._index.items():
            if before is not None:
                keys.get(_key(name, _value(before, name)), set()).discard(record.id)
            keys.setdefault(_key(name, _value(record, name)), set()).add(record.id)
        self._records[record.id] = record
        if record.address_id:
            self._by_address[record.address_id] = record.id

    def _indexed(self, name: str) -> dict[str, set[str]]:
        """The index of field `name`, built from the simulated customers the first time it is asked."""
        if name not in self._index:
            keys: dict[str, set[str]] = {}
            for record in self._records.values():
                keys.setdefault(_key(name, _value(record, name)), set()).add(record.id)
            self._index[name] = keys
        return self._index[name]


def _texts(values: Mapping[str, Any]) -> dict[str, str]:
    return {str(k): "" if v is None else str(v) for k, v in values.items()}


def _key(name: str, value: str | None) -> str:
    """The identity key a search by `name` compares (empty for a field not on the customer)."""
    target = Target.parse(name)
    if target.part != "customer" or value is None:
        return ""
    return identity_key(target, value)


def _value(record: CustomerRecord, name: str) -> str | None:
    target = Target.parse(name)
    return record.value(target) if target.part == "customer" else None


def _matches(record: CustomerRecord, name: str, value: str) -> bool:
    """Ogust's own search may be loose; the engine compares exactly afterwards, as on a real run."""
    target = Target.parse(name)
    if target.part != "customer":
        return False
    return identity_key(target, record.value(target)) == identity_key(target, value)
