"""How the account's searches match, probed on a customer they found (docs/ogust-api.md §9)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from shared.doctor.report import Check
from shared.logs import phone_shape
from shared.mapping import search_spellings
from shared.ogust import Target

if TYPE_CHECKING:
    from shared.doctor.account import AccountProbe


def check_matching(probe: AccountProbe) -> None:
    """On a customer it found: exact or LIKE, case, phone with and without spaces (docs/ogust-api.md §9)."""
    record = _probe_record(probe.account.records)
    if record is None:
        probe.report.add(
            Check(
                "search-matching",
                "unknown",
                "no customer with a last name of 3 letters or more: how searches match is not known",
            )
        )
        return
    rid = str(record["id_customer"])
    name = str(record["last_name"])

    def found(**filters: str) -> bool | None:
        answer = probe.search(**filters, nbperpage=probe.options.page_size, pagenum=1)
        if not answer.ok:
            return None
        records, count = answer.page()  # read as the client reads it
        if any(str(r.get("id_customer")) == rid for r in records):
            return True
        return None if count is not None and count > len(records) else False

    results: dict[str, bool | None] = {"exact": found(last_name=name)}
    if name.swapcase() != name:
        results["otherCase"] = found(last_name=name.swapcase())
    results["prefix"] = found(last_name=name[:-1])
    results["likeWildcard"] = found(last_name=name[:-1] + "%")
    email = str(record.get("email") or "")
    if email and email.swapcase() != email and "email" not in probe.account.ignored_filters:
        results["emailOtherCase"] = found(email=email.swapcase())
    phone_field = next(
        (
            f
            for f in ("mobile_phone", "landline")
            if str(record.get(f) or "").strip() and f not in probe.account.ignored_filters
        ),
        None,
    )  # a filter Ogust ignores finds everyone: probing it would prove nothing (lookup-filters)
    phone_note = ""
    if phone_field:
        stored = str(record[phone_field])
        digits = re.sub(r"\D", "", stored)
        spaced = " ".join(digits[i : i + 2] for i in range(0, len(digits), 2))
        results["phoneDigitsOnly"] = found(**{phone_field: digits})
        results["phoneWithSpaces"] = found(**{phone_field: spaced})
        # What a lookup by this phone actually sends: every spelling the engine searches.
        target = Target("customer", phone_field)
        results["phoneLookup"] = any(found(**{phone_field: v}) for v in search_spellings(target, stored))
        phone_note = (
            # The way it is written matters here, not the number: a real customer's, so masked.
            f"; {phone_field} stored as {phone_shape(stored)!r}: found with digits only: "
            f"{_yes(results['phoneDigitsOnly'])}, with spaces: {_yes(results['phoneWithSpaces'])}, "
            f"by our lookup: {_yes(results['phoneLookup'])}"
        )
    details = {"customerId": rid, **results}
    if results["exact"] is False:
        probe.report.add(
            Check(
                "search-matching",
                "failed",
                f"a search by the very last_name of customer #{rid} does not find it",
                details=details,
            )
        )
        return
    kind = (
        "contains (loose)"
        if results["prefix"]
        else "LIKE (% wildcard)"
        if results["likeWildcard"]
        else "exact"
    )
    case = results.get("otherCase")
    case_text = "case-insensitive" if case else "case-sensitive" if case is False else "case not tested"
    summary = f"last_name search: {kind}, {case_text}" + phone_note + f" (probed on customer #{rid})"
    fixes = []
    if case is False or results.get("emailOtherCase") is False:
        fixes.append(
            "Ogust's search is case-sensitive: a lookup finds a customer only when the value is written "
            "exactly as in Ogust; e-mails are lower-cased by the `email` step, so e-mails typed with "
            "capitals in Ogust are not found (lower-case them in Ogust, or expect duplicates)"
        )
    if phone_field and results.get("phoneLookup") is False:
        fixes.append(
            "phones stored like this one are found neither as 0612345678 nor as 06 12 34 56 78, the two "
            "spellings a lookup searches: a lookup by phone misses such customers; look up by e-mail first"
        )
    if kind != "exact":
        summary += "; our lookup compares exactly on our side, so loose matching is fine"
    probe.report.add(Check("search-matching", "warning" if fixes else "ok", summary, fixes, details))


def _yes(value: bool | None) -> str:
    return "yes" if value else "no" if value is False else "?"


def _probe_record(records: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The customer to probe matching on: a last name of 3+ letters, best with e-mail and phone."""
    usable = [
        r
        for r in records
        if r.get("id_customer")
        and len(str(r.get("last_name") or "").strip()) >= 3
        and str(r.get("last_name")).strip() == str(r.get("last_name"))
    ]
    usable.sort(key=lambda r: (not r.get("email"), not (r.get("mobile_phone") or r.get("landline"))))
    return usable[0] if usable else None
