"""In-memory Ogust data: customers with their main address, lists and third-party informations."""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Callable, Iterable
from typing import Any

from ogust_sandbox.modes import Modes
from ogust_sandbox.workers import (
    EMPLOYEE_DEFAULTS,
    EMPLOYEE_FIELDS,
    FIRST_EMPLOYEE_ID,
    NATURES,
)

CUSTOMER_FIELDS = (
    "id_customer", "mode", "code", "type", "title", "last_name", "maiden_name", "first_name", "language",
    "rms_number", "status", "email", "landline", "mobile_phone", "fax", "skype_id", "origin",
    "method_of_payment", "door_code", "intercom_code", "urssaf_code", "social_insurance_number",
    "allocation_number", "caf_attached", "accounting_account", "sector", "date_of_birth", "place_of_birth",
    "comment", "intra_community_VAT", "company_registration_number", "legal_status", "activity", "manager",
    "creator",
)  # fmt: skip
"""The string fields of a customer as `getCustomer` shows them (docs/ogust-api.md §3c)."""

WRITABLE_FIELDS = (*CUSTOMER_FIELDS, "exoneration")
"""What setCustomer stores: the fields above plus exoneration, written but never read (docs/ogust-api.md §9
N3)."""

CUSTOMER_DEFAULTS = {"mode": "0", "type": "C", "status": "A", "language": "fr-FR"}
ADDRESS_FIELDS = ("line", "supplement", "zip", "city", "country")
"""What `setAddress` can change (docs/ogust-api.md §3a)."""

DEFAULT_LISTS: dict[str, dict[str, str]] = {
    "customer.origin": {
        "253195735": "Bouche à oreille",
        "253195736": "Site internet",
        "253195737": "Formulaire Google",
        "253195738": "Prescripteur (CCAS, hôpital)",
    },
    "customer.sector": {
        "1a*": "Paris Nord",
        "1b*": "Paris Sud",
        "2a*": "Hauts-de-Seine",
        "*": "Tous secteurs",
    },
    "customer.manager": {"302007671": "Zoé Lefèvre", "302007672": "Jean-Pierre d'Artagnan"},
    "customer.method_of_payment": {
        "112539": "Prélèvement",
        "112540": "Chèque",
        "112541": "Virement",
        "112542": "CESU préfinancé",
    },
}

FIRST_CUSTOMER_ID = 344563872
FIRST_ADDRESS_ID = 412000001


class OgustKO(Exception):
    """What the sandbox answers as `{"status": "KO", "message": ...}`."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def text(value: Any) -> str:
    """Ogust hands values back as strings (docs/ogust-api.md §5 quirk 4)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


class Store:
    """The data of one fake Ogust company; not thread-safe (the service holds the lock)."""

    def __init__(self, lists: dict[str, dict[str, str]] | None = None, modes: Modes | None = None) -> None:
        self._configured_lists = copy.deepcopy(lists or {})
        self.modes = modes or Modes()
        self.reset()

    def reset(self) -> None:
        """Forget every customer and restore the lists."""
        self.customers: dict[str, dict[str, Any]] = {}
        self.address_owner: dict[str, str] = {}
        self.employees: dict[str, dict[str, Any]] = {}
        self.employee_address_owner: dict[str, str] = {}
        self.third_party: dict[tuple[str, str], dict[str, str]] = {}
        self.lists = copy.deepcopy({**DEFAULT_LISTS, **self._configured_lists})
        self._next_customer = FIRST_CUSTOMER_ID
        self._next_address = FIRST_ADDRESS_ID
        self._next_employee = FIRST_EMPLOYEE_ID

    def create_customer(self, fields: dict[str, Any], *, validate: bool = True) -> str:
        """Create a customer; `validate=False` (seeding) skips the mandatory-field check."""
        if validate:
            # Which fields Ogust requires is unknown (docs/ogust-api.md §8): Alenvi always sent last_name, the
            # UI requires type, exoneration and the main address too (docs/ogust-api.md §9 N1); the mode
            # says which.
            for name in self.modes.required_on_create:
                if not _given(fields, name):
                    raise OgustKO(f"Le champ {name} est obligatoire")
            self._check_type(fields)
        id_customer = text(fields.get("id_customer")) or str(self._next_customer)
        if id_customer in self.customers:
            raise OgustKO(f"Le client {id_customer} existe déjà")
        self._next_customer = max(self._next_customer, int(id_customer) if id_customer.isdigit() else 0) + 1
        customer: dict[str, Any] = {name: "" for name in WRITABLE_FIELDS}
        customer.update(CUSTOMER_DEFAULTS)
        customer.update(self._stored({k: v for k, v in fields.items() if k in WRITABLE_FIELDS}))
        customer["id_customer"] = id_customer
        if not text(fields.get("code")):
            customer["code"] = self._code_for(customer["type"])
        address = fields.get("main_address")
        customer["main_address"] = self._new_address(
            id_customer, address if isinstance(address, dict) else {}
        )
        for empty in ("billing_address", "secondary_address", "bank_information", "sepa_information"):
            customer[empty] = {}
        self.customers[id_customer] = customer
        return id_customer

    def update_customer(self, id_customer: str, fields: dict[str, Any]) -> None:
        """Change only the given fields; an empty value blanks the field (the pessimistic guess,
        docs/ogust-api.md §3b)."""
        customer = self._customer(id_customer)
        if "type" in fields:
            self._check_type(fields)
        customer.update(
            self._stored({k: v for k, v in fields.items() if k in WRITABLE_FIELDS and k != "id_customer"})
        )
        address = fields.get("main_address")
        if isinstance(address, dict):
            # Unknown whether real Ogust accepts main_address on update (docs/ogust-api.md §3b): merged here.
            customer["main_address"].update(
                self._stored({k: v for k, v in address.items() if k in ADDRESS_FIELDS})
            )

    def create_employee(self, fields: dict[str, Any], *, validate: bool = True) -> str:
        """Create a worker; its staff number is made from its nature's prefix when none is given.
        `validate=False` (seeding) skips the mandatory-field check."""
        if validate:
            for name in self.modes.employee_required_on_create:
                if not _given(fields, name):
                    raise OgustKO(f"Le champ {name} est obligatoire")
            if self.modes.employee_number == "required" and not _given(fields, "number"):
                raise OgustKO("Le champ number est obligatoire")
        nature = text(fields.get("nature")) or EMPLOYEE_DEFAULTS["nature"]
        self._check_nature(nature)
        id_employee = str(self._next_employee)
        self._next_employee += 1
        employee: dict[str, Any] = {name: "" for name in EMPLOYEE_FIELDS}
        employee.update(EMPLOYEE_DEFAULTS)
        employee.update(self._stored({k: v for k, v in fields.items() if k in EMPLOYEE_FIELDS}))
        employee["id_employee"] = id_employee
        if not text(fields.get("number")) and self.modes.employee_number == "generated":
            same = sum(1 for e in self.employees.values() if e["nature"] == nature)
            employee["number"] = f"{NATURES[nature]}{same + 1:05d}"
        address = fields.get("main_address")
        code = self.modes.employee_third_party
        employee["main_address"] = self._new_address(
            id_employee, address if isinstance(address, dict) else {}, third_party=code
        )
        self.employees[id_employee] = employee
        return id_employee

    def update_employee(self, id_employee: str, fields: dict[str, Any]) -> None:
        """Change only the given fields of a worker (an empty value blanks it, as for customers)."""
        employee = self._employee(id_employee)
        if text(fields.get("nature")):
            self._check_nature(text(fields.get("nature")))
        employee.update(
            self._stored({k: v for k, v in fields.items() if k in EMPLOYEE_FIELDS and k != "id_employee"})
        )
        address = fields.get("main_address")
        if isinstance(address, dict):
            employee["main_address"].update(
                self._stored({k: v for k, v in address.items() if k in ADDRESS_FIELDS})
            )

    def remove_employee(self, id_employee: str) -> None:
        """Delete a worker and its custom fields (whether Ogust deletes or archives is unknown)."""
        employee = self._employee(id_employee)
        self.employee_address_owner.pop(text(employee["main_address"].get("id_address")), None)
        self.third_party.pop((self.modes.employee_third_party, id_employee), None)
        del self.employees[id_employee]

    def get_employee(self, id_employee: str) -> dict[str, Any] | None:
        """The worker as getEmployee shows it, or None."""
        employee = self.employees.get(id_employee)
        return self.shown(employee) if employee is not None else None

    def search_employees(self, filters: dict[str, Any]) -> list[dict[str, Any]]:
        """Workers matching every filter on a worker field, loosely like customers. Nothing is
        filtered unless asked: a search with `nature=S` misses every candidate, as it did for a
        public client (docs/ogust-api.md §3d)."""
        found: Iterable[dict[str, Any]] = self.employees.values()
        for field, value in ((k, text(v)) for k, v in filters.items() if k in EMPLOYEE_FIELDS):
            matches = _matcher(self.modes.search_match, value)
            found = [e for e in found if matches(e[field])]
        return [self.shown(employee, in_search=True) for employee in found]

    def _check_nature(self, nature: str) -> None:
        if nature not in NATURES:
            raise OgustKO(f"Nature d'intervenant inconnue : {nature}")

    def _employee(self, id_employee: str) -> dict[str, Any]:
        employee = self.employees.get(id_employee)
        if employee is None:
            raise OgustKO(f"Intervenant introuvable : {id_employee or '(id_employee manquant)'}")
        return employee

    def set_address(self, fields: dict[str, Any]) -> str:
        """Update an existing address (of a customer or a worker) by `id_address`."""
        id_address = text(fields.get("id_address"))
        owner = self.address_owner.get(id_address)
        worker = self.employee_address_owner.get(id_address)
        if owner is None and worker is None:
            raise OgustKO(f"Adresse introuvable : {id_address or '(id_address manquant)'}")
        holder = self.customers[owner] if owner is not None else self.employees[str(worker)]
        address = holder["main_address"]
        address.update(self._stored({k: v for k, v in fields.items() if k in ADDRESS_FIELDS}))
        return id_address

    def get_customer(self, id_customer: str) -> dict[str, Any] | None:
        """The customer as getCustomer shows it, or None."""
        customer = self.customers.get(id_customer)
        return self.shown(customer) if customer is not None else None

    def search_customers(self, filters: dict[str, Any]) -> list[dict[str, Any]]:
        """Customers matching every filter on a customer field, as searchCustomer shows them.

        By default LOOSELY (case-insensitive "contains"): the real matching is unknown, so clients
        must compare exactly on their side; `search_match` makes it stricter.
        """
        modes = self.modes
        if modes.search_status == "required" and not text(filters.get("status")).strip():
            raise OgustKO("Le paramètre status est obligatoire")
        refused = [k for k in filters if k in modes.refused_filters]
        if refused:
            raise OgustKO(f"Paramètre inconnu : {refused[0]}")
        wanted = [(k, text(v)) for k, v in filters.items() if k in CUSTOMER_FIELDS]
        candidates: Iterable[dict[str, Any]] = self.customers.values()
        if modes.search_status == "active_only" and not text(filters.get("status")).strip():
            candidates = [c for c in candidates if c["status"] == "A"]
        for field, value in wanted:  # one flat pass per filter: cheap with thousands of customers
            if field in modes.ignored_filters:
                continue  # this account ignores the filter: as if it had not been given
            if value.startswith("@!=|"):
                other = value[4:].casefold()
                candidates = [c for c in candidates if c[field].casefold() != other]
            else:
                matches = _matcher(modes.search_match, value)
                candidates = [c for c in candidates if matches(c[field])]
        return [self.shown(customer, in_search=True) for customer in candidates]

    def shown(self, customer: dict[str, Any], *, in_search: bool = False) -> dict[str, Any]:
        """A copy of a stored customer as Ogust answers it: write-only fields left out, empty values
        as "" or null, and in a search, with or without the address id."""
        modes = self.modes
        out = {k: v for k, v in copy.deepcopy(customer).items() if k not in modes.write_only}
        if in_search and modes.search_without_address_id and isinstance(out.get("main_address"), dict):
            out["main_address"].pop("id_address", None)
        if modes.empty_as_null:
            out = _nulled(out)
        return out

    def get_list(self, key: str) -> dict[str, str]:
        """A configured list; unknown key → KO."""
        if key not in self.lists:
            raise OgustKO(f"Liste inconnue : {key}")
        return dict(self.lists[key])

    def get_third_party(self, third_party: str, third_party_id: str) -> dict[str, str]:
        """The custom fields of an existing customer."""
        return dict(self.third_party.get(self._third_party_key(third_party, third_party_id), {}))

    def set_third_party(self, third_party: str, third_party_id: str, values: Any) -> dict[str, str]:
        """Merge custom fields into an existing customer's (or replace them all, by the mode);
        return them all."""
        if not isinstance(values, dict):
            raise OgustKO("array_values doit être un tableau code => valeur")
        key = self._third_party_key(third_party, third_party_id)
        if self.modes.custom_fields_replace:
            self.third_party[key] = {}
        stored = self.third_party.setdefault(key, {})
        stored.update(self._stored({text(k): v for k, v in values.items()}))
        return dict(stored)

    def _stored(self, values: dict[str, Any]) -> dict[str, str]:
        """Values as this account stores text: escaped like PHP's htmlspecialchars and a comment cut
        to its maximum, by the modes."""
        modes = self.modes
        out = {}
        for name, value in values.items():
            stored = text(value)
            if modes.escape_html:
                stored = html.escape(stored, quote=True).replace("&#x27;", "&#039;")
            if name == "comment" and modes.comment_max_length is not None:
                stored = stored[: modes.comment_max_length]
            out[name] = stored
        return out

    def _check_type(self, fields: dict[str, Any]) -> None:
        """With a prospect type set, a type that is neither it nor C is refused."""
        prospect = self.modes.prospect_type
        wanted = text(fields.get("type"))
        if prospect is not None and wanted and wanted not in (prospect, "C"):
            raise OgustKO(f"Type de client inconnu : {wanted}")

    def _code_for(self, customer_type: str) -> str:
        """The customer code: `00…` for a prospect, `CLI…` otherwise (Ogust's help on the record)."""
        number = len(self.customers) + 1
        prospect = self.modes.prospect_type
        if prospect is not None and customer_type == prospect:
            return f"00{number:05d}"
        return f"CLI{number:05d}"

    def _third_party_key(self, third_party: str, third_party_id: str) -> tuple[str, str]:
        if third_party == self.modes.employee_third_party:
            self._employee(third_party_id)
            return third_party, third_party_id
        if third_party != "C":
            raise OgustKO(f"Type de tiers non géré : {third_party or '(vide)'}")
        self._customer(third_party_id)
        return third_party, third_party_id

    def _customer(self, id_customer: str) -> dict[str, Any]:
        customer = self.customers.get(id_customer)
        if customer is None:
            raise OgustKO(f"Client introuvable : {id_customer or '(id_customer manquant)'}")
        return customer

    def _new_address(
        self, id_customer: str, fields: dict[str, Any], *, third_party: str = "C"
    ) -> dict[str, str]:
        id_address = str(self._next_address)
        self._next_address += 1
        owners = self.address_owner if third_party == "C" else self.employee_address_owner
        owners[id_address] = id_customer
        address = {"id_address": id_address, **{name: "" for name in ADDRESS_FIELDS}}
        address.update(self._stored({k: v for k, v in fields.items() if k in ADDRESS_FIELDS}))
        address["country"] = address["country"] or "FR"
        address.update(
            {"type": text(fields.get("type")) or "Adrpri", "id_link": id_customer, "third_party": third_party}
        )
        return address


def _given(fields: dict[str, Any], name: str) -> bool:
    """Whether a create carries a non-empty `name` (`main_address.city` looks inside the address)."""
    if name.startswith("main_address."):
        address = fields.get("main_address")
        value = address.get(name.split(".", 1)[1]) if isinstance(address, dict) else None
    else:
        value = fields.get(name)
    return bool(text(value).strip())


def _matcher(kind: str, wanted: str) -> Callable[[str], bool]:
    """How one filter value matches a stored value under the `search_match` mode."""
    if kind == "case_sensitive":
        return lambda stored: stored == wanted
    folded = wanted.casefold()
    if kind == "exact":
        return lambda stored: stored.casefold() == folded
    if kind == "like":
        parts = ("." if ch == "_" else ".*" if ch == "%" else re.escape(ch) for ch in folded)
        pattern = re.compile("".join(parts), re.DOTALL)
        return lambda stored: pattern.fullmatch(stored.casefold()) is not None
    return lambda stored: folded in stored.casefold()


def _nulled(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _nulled(v) for k, v in value.items()} if value else value
    return None if value == "" else value
