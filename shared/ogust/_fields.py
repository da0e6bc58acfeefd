"""The Ogust fields we read and write, per entity (customer, worker), and `Target`: one name for one
of them.

Sources: docs/ogust-api.md §3b (fields sent), §3c (fields returned), §3d (workers).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

PERSON_FIELDS = frozenset(
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
        "status",
        "method_of_payment",
        "manager",
        "sector",
        "social_insurance_number",
        "accounting_account",
        "date_of_birth",
        "place_of_birth",
        "comment",
        "rms_number",
    }
)
"""What a customer and a worker both have: who the person is, how to reach them, and the agency's
own fields about them (docs/ogust-api.md §3c, §3d)."""

CUSTOMER_FIELDS = PERSON_FIELDS | {
    "origin",
    "type",
    "exoneration",
    "door_code",
    "intercom_code",
    "urssaf_code",
    "allocation_number",
    "caf_attached",
    "intra_community_VAT",
    "company_registration_number",
    "legal_status",
    "activity",
}
"""The fields of an Ogust customer (docs/ogust-api.md §3b fields sent, §3c fields returned)."""

EMPLOYEE_FIELDS = PERSON_FIELDS | {
    "number",
    "nature",
    "state_of_birth",
    "country_of_birth",
    "nationality",
    "family_situation",
    "transport_pass",
    "driving_license",
    "means_of_transport",
    "default_means_of_transport",
}
"""The fields of an Ogust worker (intervenant: salarié, candidat…) as public code read and wrote them
(docs/ogust-api.md §3d)."""

Entity = Literal["customer", "employee"]
"""What a form writes in Ogust: customers (the default) or workers (job applicants as candidates)."""

ADDRESS_PREFIX = "main_address."
CUSTOM_PREFIX = "custom."
ADDRESS_FIELDS = frozenset({"line", "supplement", "zip", "city", "country"})
"""Sub-fields of `main_address`; written inside setCustomer on create and with setAddress on update."""

ADDRESS_DEFAULTS: Mapping[str, str] = MappingProxyType({"type": "Adrpri", "country": "FR"})
"""What Alenvi sent with every new main address (docs/ogust-api.md §3b)."""

PHONE_FIELDS = frozenset({"mobile_phone", "landline", "fax"})
EMAIL_FIELDS = frozenset({"email"})


@dataclass(frozen=True)
class EntityFields:
    """What Ogust's records of one entity have and usually need, in one value per entity: the
    customer's and the worker's differ in their fields, their create and their custom-field code."""

    names: frozenset[str]
    """Its scalar fields (a main address and custom fields besides)."""
    usual_create: tuple[str, ...]
    """What a real account usually refuses a create without (labels: `main_address.city`)."""
    third_party: str
    """Ogust's `third_party` code for its custom fields (get/setThirdPartyInformations); a mapping
    may set another with `third_party:`."""
    lists: tuple[str, ...] = ()
    """The getList keys known from the Ogust API; accounts may have more."""
    write_only: frozenset[str] = frozenset()
    """Written on create but absent from what get/search return: never comparable."""
    address: frozenset[str] = ADDRESS_FIELDS
    """The sub-fields of its `main_address`."""
    address_defaults: Mapping[str, str] = field(default_factory=lambda: ADDRESS_DEFAULTS)
    """What every new main address is sent with."""


CUSTOMER = EntityFields(
    names=CUSTOMER_FIELDS,
    # docs/ogust-api.md §9 N1: name, customer type, exoneration type, main address; accounts may
    # require more (origin, manager, method_of_payment).
    usual_create=(
        "last_name",
        "type",
        "exoneration",
        "main_address.line",
        "main_address.zip",
        "main_address.city",
    ),
    third_party="C",  # docs/ogust-api.md §3a
    lists=("customer.origin", "customer.method_of_payment", "customer.manager", "customer.sector"),
    write_only=frozenset({"exoneration"}),  # docs/ogust-api.md §9 N3
)

EMPLOYEE = EntityFields(
    names=EMPLOYEE_FIELDS,
    # Ogust's screen requires title, name and main address; without a nature public code's default
    # was S (salarié), so an applicant would not be a candidate (docs/ogust-api.md §3d).
    usual_create=(
        "title",
        "last_name",
        "nature",
        "main_address.line",
        "main_address.zip",
        "main_address.city",
    ),
    # A GUESS: no public caller read a worker's custom fields (docs/ogust-api.md §3d); the doctor
    # finds the account's code and a mapping sets it with `third_party:`.
    third_party="S",
)

ENTITY_FIELDS: Mapping[Entity, EntityFields] = MappingProxyType({"customer": CUSTOMER, "employee": EMPLOYEE})
"""The fields of each entity a form may write."""

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
        return self.part == "custom" or self.name in ENTITY_FIELDS[entity].names

    @property
    def is_email(self) -> bool:
        return self.part == "customer" and self.name in EMAIL_FIELDS

    @property
    def is_phone(self) -> bool:
        return self.part == "customer" and self.name in PHONE_FIELDS

    def __str__(self) -> str:
        return self.label
