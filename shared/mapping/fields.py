"""The Ogust customer fields a mapping may write (reference: ogust-api.md §3b–§3c)."""

from __future__ import annotations

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

ADDRESS_PREFIX = "main_address."
ADDRESS_FIELDS = frozenset({"line", "supplement", "zip", "city", "country"})
"""Sub-fields of `main_address`; written inside setCustomer on create and with setAddress on update."""

PHONE_FIELDS = frozenset({"mobile_phone", "landline", "fax"})
EMAIL_FIELDS = frozenset({"email"})

ADDRESS_DEFAULTS = {"type": "Adrpri", "country": "FR"}
"""What Alenvi sent with every new main address (reference §3b)."""


def is_known_field(name: str) -> bool:
    """True for a customer field or a `main_address.<sub-field>`."""
    if name.startswith(ADDRESS_PREFIX):
        return name[len(ADDRESS_PREFIX) :] in ADDRESS_FIELDS
    return name in CUSTOMER_FIELDS
