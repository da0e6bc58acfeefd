"""The Ogust customer fields we read and write, and `Target`: one name for one of them.

Sources: docs/ogust-api.md §3b (fields sent) and §3c (fields returned).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

CUSTOMER_FIELDS = frozenset(
    {
        "title",
        "last_name",
        "maiden_name",
        "first_name",
        "language",
        "email",
        "landline",
        "mobile_phone",
        "fax",
        "skype_id",
        "origin",
        "method_of_payment",
        "manager",
        "sector",
        "type",
        "status",
        "exoneration",
        "door_code",
        "intercom_code",
        "urssaf_code",
        "social_insurance_number",
        "allocation_number",
        "caf_attached",
        "accounting_account",
        "date_of_birth",
        "place_of_birth",
        "comment",
        "intra_community_VAT",
        "company_registration_number",
        "legal_status",
        "activity",
        "rms_number",
    }
)

EMPLOYEE_FIELDS = frozenset(
    {
        "title",
        "last_name",
        "maiden_name",
        "first_name",
        "language",
        "email",
        "landline",
        "mobile_phone",
        "fax",
        "skype_id",
        "number",
        "nature",
        "status",
        "method_of_payment",
        "manager",
        "sector",
        "social_insurance_number",
        "accounting_account",
        "date_of_birth",
        "place_of_birth",
        "state_of_birth",
        "country_of_birth",
        "nationality",
        "family_situation",
        "transport_pass",
        "driving_license",
        "means_of_transport",
        "default_means_of_transport",
        "comment",
        "rms_number",
    }
)
"""The fields of an Ogust worker (intervenant: salarié, candidat…) as public code read and wrote them
(docs/ogust-api.md §3d)."""

Entity = Literal["customer", "employee"]
"""What a form writes in Ogust: customers (the default) or workers (job applicants as candidates)."""

ENTITY_FIELDS: dict[Entity, frozenset[str]] = {"customer": CUSTOMER_FIELDS, "employee": EMPLOYEE_FIELDS}

ADDRESS_PREFIX = "main_address."
CUSTOM_PREFIX = "custom."
ADDRESS_FIELDS = frozenset({"line", "supplement", "zip", "city", "country"})
"""Sub-fields of `main_address`; written inside setCustomer on create and with setAddress on update."""

WRITE_ONLY_FIELDS = frozenset({"exoneration"})
"""Written on create but absent from what get/search return (docs/ogust-api.md §9 N3): never comparable."""

USUAL_CREATE_FIELDS = (
    "last_name",
    "type",
    "exoneration",
    "main_address.line",
    "main_address.zip",
    "main_address.city",
)
"""What a real account usually refuses a create without (docs/ogust-api.md §9 N1: name, customer type,
exoneration type, main address); accounts may require more (origin, manager, method_of_payment)."""

USUAL_EMPLOYEE_CREATE_FIELDS = (
    "title",
    "last_name",
    "nature",
    "main_address.line",
    "main_address.zip",
    "main_address.city",
)
"""What a worker's create needs: Ogust's screen requires title, name and main address; without a
nature public code's default was S (salarié), so an applicant would not be a candidate
(docs/ogust-api.md §3d)."""

PHONE_FIELDS = frozenset({"mobile_phone", "landline", "fax"})
EMAIL_FIELDS = frozenset({"email"})

ADDRESS_DEFAULTS = {"type": "Adrpri", "country": "FR"}
"""What Alenvi sent with every new main address (docs/ogust-api.md §3b)."""

OGUST_LISTS = ("customer.origin", "customer.method_of_payment", "customer.manager", "customer.sector")
"""The customer lists known from the Ogust API (docs/ogust-api.md §3a, getList); accounts may have more."""

CUSTOMER_THIRD_PARTY = "C"
"""Ogust's `third_party` code for a customer (get/setThirdPartyInformations, docs/ogust-api.md §3a)."""

EMPLOYEE_THIRD_PARTY = "S"
"""A GUESS at the `third_party` code of a worker's custom fields: no public caller used one
(docs/ogust-api.md §3d); a mapping sets the real one with `third_party:`."""

Part = Literal["customer", "address", "custom"]


@dataclass(frozen=True, order=True)
class Target:
    """One value of an Ogust customer: a customer field, a main address part or a custom field."""

    part: Part
    name: str

    @classmethod
    def parse(cls, label: str) -> Target:
        """`email`, `main_address.city` or `custom.NIVEAU` as a target."""
        if label.startswith(ADDRESS_PREFIX):
            return cls("address", label[len(ADDRESS_PREFIX) :])
        if label.startswith(CUSTOM_PREFIX):
            return cls("custom", label[len(CUSTOM_PREFIX) :])
        return cls("customer", label)

    @property
    def label(self) -> str:
        """How mappings, previews and answers name it."""
        prefix = {"customer": "", "address": ADDRESS_PREFIX, "custom": CUSTOM_PREFIX}[self.part]
        return prefix + self.name

    @property
    def is_known(self) -> bool:
        """True for a field Ogust has (any code is a possible custom field)."""
        return self.known_to("customer")

    def known_to(self, entity: Entity) -> bool:
        """True for a field that records of `entity` have (any code is a possible custom field)."""
        if self.part == "address":
            return self.name in ADDRESS_FIELDS
        return self.part == "custom" or self.name in ENTITY_FIELDS[entity]

    @property
    def is_email(self) -> bool:
        return self.part == "customer" and self.name in EMAIL_FIELDS

    @property
    def is_phone(self) -> bool:
        return self.part == "customer" and self.name in PHONE_FIELDS

    def __str__(self) -> str:
        return self.label
