"""Workers (intervenants) of the fake Ogust: salariés, candidats… (docs/ogust-api.md §3d)."""

from __future__ import annotations

EMPLOYEE_FIELDS = (
    "id_employee", "mode", "number", "nature", "status", "title", "last_name", "maiden_name", "first_name",
    "language", "rms_number", "email", "landline", "mobile_phone", "fax", "skype_id", "method_of_payment",
    "accounting_account", "sector", "manager", "social_insurance_number", "date_of_birth", "place_of_birth",
    "state_of_birth", "country_of_birth", "nationality", "family_situation", "transport_pass",
    "driving_license", "means_of_transport", "default_means_of_transport", "comment", "creator",
)  # fmt: skip
"""The string fields of a worker as `getEmployee` shows them (public code's record, docs/ogust-api.md §3d)."""

NATURES = {"S": "SA", "C": "CA", "I": "IN", "P": "PR", "T": "ST"}
"""Nature code → staff-number prefix. The prefixes are those of Ogust's help centre (Salarié SA…,
Candidat CA…, Intérimaire IN…, Prestataire PR…); only the code S was seen in public code, the other
letters are this sandbox's guess, which is exactly why a mapping names the code it writes."""

EMPLOYEE_DEFAULTS = {"mode": "0", "nature": "S", "status": "A", "language": "fr-FR"}
"""Public code sent nature S and status A when it gave none."""

FIRST_EMPLOYEE_ID = 271000001
