"""In-memory Ogust data: customers with their main address, lists and third-party informations."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

CUSTOMER_FIELDS = (
    "id_customer", "mode", "code", "type", "title", "last_name", "maiden_name", "first_name", "language",
    "rms_number", "status", "email", "landline", "mobile_phone", "fax", "skype_id", "origin",
    "method_of_payment", "door_code", "intercom_code", "urssaf_code", "social_insurance_number",
    "allocation_number", "caf_attached", "accounting_account", "sector", "date_of_birth", "place_of_birth",
    "comment", "intra_community_VAT", "company_registration_number", "legal_status", "activity", "manager",
    "creator",
)  # fmt: skip
"""The string fields of a customer as `getCustomer` shows them (reference §3c)."""

CUSTOMER_DEFAULTS = {"mode": "0", "type": "C", "status": "A", "language": "fr-FR"}
ADDRESS_FIELDS = ("line", "supplement", "zip", "city", "country")
"""What `setAddress` can change (reference §3a)."""

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
    """Ogust hands values back as strings (reference §5 quirk 4)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


class Store:
    """The data of one fake Ogust company; not thread-safe (the service holds the lock)."""

    def __init__(self, lists: dict[str, dict[str, str]] | None = None) -> None:
        self._configured_lists = copy.deepcopy(lists or {})
        self.reset()

    def reset(self) -> None:
        """Forget every customer and restore the lists."""
        self.customers: dict[str, dict[str, Any]] = {}
        self.address_owner: dict[str, str] = {}
        self.third_party: dict[tuple[str, str], dict[str, str]] = {}
        self.lists = copy.deepcopy({**DEFAULT_LISTS, **self._configured_lists})
        self._next_customer = FIRST_CUSTOMER_ID
        self._next_address = FIRST_ADDRESS_ID

    def create_customer(self, fields: dict[str, Any], *, validate: bool = True) -> str:
        """Create a customer; `validate=False` (seeding) skips the mandatory-field check."""
        if validate and not text(fields.get("last_name")).strip():
            # Which fields Ogust requires is unknown (reference §8); Alenvi always required last_name.
            raise OgustKO("Le champ last_name est obligatoire")
        id_customer = text(fields.get("id_customer")) or str(self._next_customer)
        if id_customer in self.customers:
            raise OgustKO(f"Le client {id_customer} existe déjà")
        self._next_customer = max(self._next_customer, int(id_customer) if id_customer.isdigit() else 0) + 1
        customer: dict[str, Any] = {name: "" for name in CUSTOMER_FIELDS}
        customer.update(CUSTOMER_DEFAULTS)
        customer["code"] = f"CLI{len(self.customers) + 1:05d}"
        customer.update({k: text(v) for k, v in fields.items() if k in CUSTOMER_FIELDS})
        customer["id_customer"] = id_customer
        address = fields.get("main_address")
        customer["main_address"] = self._new_address(
            id_customer, address if isinstance(address, dict) else {}
        )
        for empty in ("billing_address", "secondary_address", "bank_information", "sepa_information"):
            customer[empty] = {}
        self.customers[id_customer] = customer
        return id_customer

    def update_customer(self, id_customer: str, fields: dict[str, Any]) -> None:
        """Change only the given fields; an empty value blanks the field (the pessimistic guess, §3b)."""
        customer = self._customer(id_customer)
        customer.update(
            {k: text(v) for k, v in fields.items() if k in CUSTOMER_FIELDS and k != "id_customer"}
        )
        address = fields.get("main_address")
        if isinstance(address, dict):
            # Unknown whether real Ogust accepts main_address on update (reference §7): merged here.
            customer["main_address"].update({k: text(v) for k, v in address.items() if k in ADDRESS_FIELDS})

    def set_address(self, fields: dict[str, Any]) -> str:
        """Update an existing address by `id_address`."""
        id_address = text(fields.get("id_address"))
        owner = self.address_owner.get(id_address)
        if owner is None:
            raise OgustKO(f"Adresse introuvable : {id_address or '(id_address manquant)'}")
        address = self.customers[owner]["main_address"]
        address.update({k: text(v) for k, v in fields.items() if k in ADDRESS_FIELDS})
        return id_address

    def get_customer(self, id_customer: str) -> dict[str, Any] | None:
        """A copy of the customer, or None."""
        customer = self.customers.get(id_customer)
        return copy.deepcopy(customer) if customer is not None else None

    def search_customers(self, filters: dict[str, Any]) -> list[dict[str, Any]]:
        """Customers matching every filter on a customer field, LOOSELY (case-insensitive "contains")."""
        # The real matching is unknown, so the sandbox is deliberately loose: clients must compare exactly.
        wanted = [(k, text(v)) for k, v in filters.items() if k in CUSTOMER_FIELDS]
        candidates: Iterable[dict[str, Any]] = self.customers.values()
        for field, value in wanted:  # one flat pass per filter: cheap with thousands of customers
            if value.startswith("@!=|"):
                other = value[4:].casefold()
                candidates = [c for c in candidates if c[field].casefold() != other]
            else:
                folded = value.casefold()
                candidates = [c for c in candidates if folded in c[field].casefold()]
        return [copy.deepcopy(customer) for customer in candidates]

    def get_list(self, key: str) -> dict[str, str]:
        """A configured list; unknown key → KO."""
        if key not in self.lists:
            raise OgustKO(f"Liste inconnue : {key}")
        return dict(self.lists[key])

    def get_third_party(self, third_party: str, third_party_id: str) -> dict[str, str]:
        """The custom fields of an existing customer."""
        return dict(self.third_party.get(self._third_party_key(third_party, third_party_id), {}))

    def set_third_party(self, third_party: str, third_party_id: str, values: Any) -> dict[str, str]:
        """Merge custom fields into an existing customer's; return them all."""
        if not isinstance(values, dict):
            raise OgustKO("array_values doit être un tableau code => valeur")
        stored = self.third_party.setdefault(self._third_party_key(third_party, third_party_id), {})
        stored.update({text(k): text(v) for k, v in values.items()})
        return dict(stored)

    def _third_party_key(self, third_party: str, third_party_id: str) -> tuple[str, str]:
        if third_party != "C":
            raise OgustKO(f"Type de tiers non géré : {third_party or '(vide)'}")
        self._customer(third_party_id)
        return third_party, third_party_id

    def _customer(self, id_customer: str) -> dict[str, Any]:
        customer = self.customers.get(id_customer)
        if customer is None:
            raise OgustKO(f"Client introuvable : {id_customer or '(id_customer manquant)'}")
        return customer

    def _new_address(self, id_customer: str, fields: dict[str, Any]) -> dict[str, str]:
        id_address = str(self._next_address)
        self._next_address += 1
        self.address_owner[id_address] = id_customer
        address = {"id_address": id_address, **{name: "" for name in ADDRESS_FIELDS}}
        address.update({k: text(v) for k, v in fields.items() if k in ADDRESS_FIELDS})
        address["country"] = address["country"] or "FR"
        address.update(
            {"type": text(fields.get("type")) or "Adrpri", "id_link": id_customer, "third_party": "C"}
        )
        return address
