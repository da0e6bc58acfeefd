"""The doctor, for `init` and `make deploy`: its run and its Terraform variable names.

What the set-up takes from a report: the create-only codes (the account's own `codes` check when it
has one, else the usual ones) and whether a create would be refused.
"""

from __future__ import annotations

import re
from typing import Any

from shared.doctor import TERRAFORM_VARIABLES, diagnose

__all__ = ["TERRAFORM_VARIABLES", "USUAL_CODES", "create_codes", "diagnose", "refusals"]

USUAL_CODES = {"type": "C", "exoneration": "D"}
"""What Alenvi's integration sent on every create (C: a client); the account's own may differ."""

_PROSPECT_FORMS = re.compile(r"devis|contact|demande|renseignement|quote|candidature", re.IGNORECASE)


def create_codes(report: Any, form_title: str) -> tuple[dict[str, str], list[str]]:
    """The on_create codes for a form from the doctor's report, and what to check about them.

    The account's `codes` check (its customers' own type and exoneration codes) wins over the usual
    codes; a request form creates prospects, any other form clients."""
    missing: list[str] = []
    codes: dict[str, Any] = {}
    for check in report.checks:
        if check.id == "create-fields":
            missing = list(check.details.get("missing") or [])
        if check.id == "codes":
            codes = dict(check.details)
    wanted = [name for name in missing if name in USUAL_CODES]
    found: dict[str, str] = {}
    notes: list[str] = []
    prospect = _PROSPECT_FORMS.search(form_title) is not None
    kind = "prospect" if prospect else "client"
    if "type" in wanted:
        own = codes.get("prospectType" if prospect else "clientType")
        found["type"] = str(own) if own else USUAL_CODES["type"]
        source = "this account's own" if own else "the usual (Alenvi's)"
        notes.append(
            f"on_create: type {found['type']} is {source} {kind} code: check that this form creates {kind}s"
        )
    if "exoneration" in wanted:
        seen = codes.get("exonerations") or {}
        own_exoneration = (
            max(seen.items(), key=lambda kv: kv[1])[0] if isinstance(seen, dict) and seen else None
        )
        found["exoneration"] = str(own_exoneration) if own_exoneration else USUAL_CODES["exoneration"]
        if not own_exoneration:
            notes.append(
                f"on_create: exoneration {found['exoneration']} is the usual code (searches do not return "
                "it): `forms-to-ogust doctor --write-test` shows whether your account takes it"
            )
    return found, notes


def refusals(report: Any) -> list[Any]:
    """The checks that say a create from this mapping is or would be refused."""
    failed = [c for c in report.checks if c.verdict == "failed"]
    return failed + [c for c in report.checks if c.id == "create-fields" and c.verdict == "warning"]
