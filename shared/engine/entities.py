"""One engine for every entity: Ogust's worker methods seen through the customer-shaped interface
the engine (and the delivery's fence) already use, so candidates get the customers' guarantees by
the same code, not a copy of it."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from shared.ogust import CustomerRecord


@runtime_checkable
class Workers(Protocol):
    """The part of the Ogust client a form of workers needs."""

    def search_employees(self, **filters: str) -> list[CustomerRecord]: ...
    def get_employee(self, id_employee: str) -> CustomerRecord | None: ...
    def set_employee(self, fields: dict[str, Any]) -> str: ...
    def set_address(self, fields: dict[str, Any]) -> None: ...
    def get_list(self, key: str) -> dict[str, str]: ...
    def get_third_party_informations(self, third_party: str, third_party_id: str) -> dict[str, str]: ...
    def set_third_party_informations(
        self, third_party: str, third_party_id: str, values: dict[str, str]
    ) -> None: ...


class WorkerRecords:
    """Workers as the engine's `Customers`: searchEmployee, getEmployee, setEmployee (`id_customer`
    sent as `id_employee`), and custom fields under the form's `third_party` code."""

    entity = "employee"

    def __init__(self, ogust: Workers, third_party: str) -> None:
        self._ogust = ogust
        self._third_party = third_party

    def search_customers(self, **filters: str) -> list[CustomerRecord]:
        return self._ogust.search_employees(**filters)

    def get_customer(self, id_customer: str) -> CustomerRecord | None:
        return self._ogust.get_employee(id_customer)

    def set_customer(self, fields: dict[str, Any]) -> str:
        sent = {k: v for k, v in fields.items() if k != "id_customer"}
        if fields.get("id_customer"):
            sent = {"id_employee": fields["id_customer"], **sent}
        return self._ogust.set_employee(sent)

    def set_address(self, fields: dict[str, Any]) -> None:
        # Whether setAddress reaches a worker's address is unknown (docs/ogust-api.md §3d); the
        # address id read from the worker is the one Ogust gave, so it is the safest call to make.
        self._ogust.set_address(fields)

    def get_list(self, key: str) -> dict[str, str]:
        return self._ogust.get_list(key)

    def get_third_party_informations(self, third_party: str, third_party_id: str) -> dict[str, str]:
        return self._ogust.get_third_party_informations(self._third_party, third_party_id)

    def set_third_party_informations(
        self, third_party: str, third_party_id: str, values: dict[str, str]
    ) -> None:
        self._ogust.set_third_party_informations(self._third_party, third_party_id, values)
