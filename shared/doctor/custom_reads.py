"""Custom fields read both ways: getThirdPartyInformations with `nbperpage`/`pagenum` (as every public
caller and our client send it) and without, on a customer with several values (docs/ogust-api.md)."""

from __future__ import annotations

from shared.doctor.account import Account
from shared.doctor.report import Check, Report
from shared.ogust import ENTITY_FIELDS, OgustWire, Reply

MAX_CUSTOMERS = 10
"""Customers tried in search of one with several custom values (one read each)."""


def read(raw: OgustWire, id_customer: str, *, paged: bool) -> Reply:
    """getThirdPartyInformations of one customer, with the client's paging parameters or without."""
    return raw.read_custom(ENTITY_FIELDS["customer"].third_party, id_customer, paged=paged)


def check_custom_reads(raw: OgustWire, account: Account, report: Report) -> None:
    """One `custom-reads` check: which read form the account needs."""
    ids = [str(r["id_customer"]) for r in account.records if r.get("id_customer")][:MAX_CUSTOMERS]
    paged_refusal = ""
    for id_customer in ids:
        paged = read(raw, id_customer, paged=True)
        if not paged.ok:
            paged_refusal = paged.message
            plain = read(raw, id_customer, paged=False)
            if plain.ok:
                report.add(
                    Check(
                        "custom-reads",
                        "failed",
                        f"getThirdPartyInformations is refused with nbperpage/pagenum («{paged.message}») "
                        "and answered without: the client sends them, so every form with custom fields "
                        "would fail",
                        ["tell the project: the client must read custom fields without paging here"],
                        {"customerId": id_customer, "paged": paged.message},
                    )
                )
                return
            continue
        values = paged.custom_values()
        if len(values) < 2:
            continue
        plain = read(raw, id_customer, paged=False)
        details = {"customerId": id_customer, "pagedCodes": len(values)}
        if not plain.ok:
            details["withoutPaging"] = plain.message
            report.add(
                Check(
                    "custom-reads",
                    "ok",
                    f"the account needs nbperpage/pagenum on getThirdPartyInformations (without: "
                    f"«{plain.message}»); the client sends them",
                    details=details,
                )
            )
            return
        plain_values = plain.custom_values()
        details["plainCodes"] = len(plain_values)
        if set(plain_values) - set(values):
            report.add(
                Check(
                    "custom-reads",
                    "warning",
                    f"with nbperpage={OgustWire.CUSTOM_PAGE_SIZE}, Ogust returns {len(values)} custom values "
                    f"of customer #{id_customer}, without paging {len(plain_values)}: the values "
                    "themselves are paged, and codes beyond the first page are not compared",
                    ["tell the project: custom fields must be read page by page on this account"],
                    details,
                )
            )
            return
        report.add(
            Check(
                "custom-reads",
                "ok",
                f"getThirdPartyInformations answers the same with and without nbperpage/pagenum "
                f"({len(values)} values of customer #{id_customer})",
                details=details,
            )
        )
        return
    why = (
        f"Ogust refused both forms («{paged_refusal}»)"
        if paged_refusal
        else "no customer read has two custom values or more"
    )
    report.add(
        Check(
            "custom-reads",
            "unknown",
            f"which form of getThirdPartyInformations the account needs is not known: {why}",
            ["give one customer two custom values in Ogust, then run the doctor again"],
            {"customersRead": len(ids)},
        )
    )
