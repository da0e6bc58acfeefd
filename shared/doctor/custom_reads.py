"""Custom fields read both ways: getThirdPartyInformations with `nbperpage`/`pagenum` (as every public
caller and our client send it) and without, on a customer with several values (docs/ogust-api.md)."""

from __future__ import annotations

from typing import Any

from shared.doctor.account import Account
from shared.doctor.raw import Answer, RawOgust
from shared.doctor.report import Check, Report
from shared.ogust import CUSTOMER_THIRD_PARTY, THIRD_PARTY_PAGE_SIZE, third_party_values

MAX_CUSTOMERS = 10
"""Customers tried in search of one with several custom values (one read each)."""


def read(raw: RawOgust, id_customer: str, *, paged: bool) -> Answer:
    """getThirdPartyInformations of one customer, with the client's paging parameters or without."""
    params: dict[str, Any] = {"third_party": CUSTOMER_THIRD_PARTY, "third_party_id": id_customer}
    if paged:
        params.update(nbperpage=THIRD_PARTY_PAGE_SIZE, pagenum=1)
    return raw.call("getThirdPartyInformations", params)


def check_custom_reads(raw: RawOgust, account: Account, report: Report) -> None:
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
        values = third_party_values(paged.envelope)
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
        plain_values = third_party_values(plain.envelope)
        details["plainCodes"] = len(plain_values)
        if set(plain_values) - set(values):
            report.add(
                Check(
                    "custom-reads",
                    "warning",
                    f"with nbperpage={THIRD_PARTY_PAGE_SIZE}, Ogust returns {len(values)} custom values "
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
