"""Read-only probes of the Ogust account itself, in order: authentication (auth_checks), search
shapes, status filter, page-size cap, paging, ignored filters (filters), then how searches match
(matching); docs/ogust-api.md says what each relies on."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from shared.config import OgustOptions
from shared.doctor import auth_checks, filters, matching
from shared.doctor.report import Check, Report
from shared.ogust import OgustWire, Reply


@dataclass
class Account:
    """What the probes learnt, for the mapping checks and the write test."""

    count: int | None = None
    records: list[dict[str, Any]] = field(default_factory=list)
    """Up to a page of customers, as Ogust returned them (never printed: personal data)."""
    status: str | None = None
    """The status the searches must send (None: none)."""
    prospect_type: str | None = None
    client_type: str | None = None
    """The `type` codes read off the customers' codes (codes)."""
    ignored_filters: set[str] = field(default_factory=set)
    """Search filters Ogust was seen to ignore or refuse (lookup-filters): probes by them prove nothing."""


class AccountProbe:
    """Runs the account checks in order; each later one needs the earlier ones to have passed."""

    def __init__(self, raw: OgustWire, report: Report, lookup_keys: list[str] | None = None) -> None:
        self.raw = raw
        self.report = report
        self.account = Account()
        self.lookup_keys = lookup_keys or []
        """The mapping's lookup keys (none: the usual ones are probed)."""

    @property
    def options(self) -> OgustOptions:
        return self.report.recommended

    def recommend(self, **changes: Any) -> None:
        """Change the recommended settings."""
        self.report.recommended = replace(self.report.recommended, **changes)

    def run(self) -> Account | None:
        """Every account check; None when the account could not be searched at all."""
        if not auth_checks.check_token(self):
            return None
        auth_checks.check_ko_texts(self)
        if not self.check_search_shape():
            return None
        self.check_status_filter()
        self.check_page_size()
        self.check_paging()
        filters.check_lookup_filters(self, self.lookup_keys)
        matching.check_matching(self)
        return self.account

    def search(self, **params: Any) -> Reply:
        """searchCustomer with the status the account needs."""
        if self.account.status is not None and "status" not in params:
            params = {"status": self.account.status, **params}
        return self.raw.call("searchCustomer", params)

    def check_search_shape(self) -> bool:
        """One search with nbperpage=1: what the envelope looks like (docs/ogust-api.md §4, §5, §9 N3)."""
        self.account.status = self.options.search_status
        answer = self.search(nbperpage=1, pagenum=1)
        fixes: list[str] = []
        if answer.ko and self.account.status is None:
            with_status = self.raw.call("searchCustomer", {"status": "A", "nbperpage": 1, "pagenum": 1})
            if with_status.ok:
                self.account.status = "A"
                self.recommend(search_status="A")
                self.report.add(
                    Check(
                        "search-status",
                        "failed",
                        f"a search without status is refused («{answer.message}»), one with status=A is not",
                        ["set OGUST_SEARCH_STATUS=A"],
                    )
                )
                answer = with_status
        if not answer.ok:
            self.report.add(
                Check(
                    "search-shape",
                    "failed",
                    f"searchCustomer failed: «{answer.message}»",
                    details=auth_checks.ko_details(answer),
                )
            )
            return False
        block = answer.envelope.get("array_customer") if answer.envelope else None
        if not isinstance(block, dict):
            self.report.add(
                Check("search-shape", "failed", "searchCustomer answered OK without array_customer")
            )
            return False
        result = block.get("result")
        raw_pagination = block.get("pagination")
        pagination: dict[str, Any] = raw_pagination if isinstance(raw_pagination, dict) else {}
        records, count = answer.page()  # read as the client reads it
        self.account.count = count
        shape_name = (
            "object"
            if isinstance(result, dict)
            else "list"
            if isinstance(result, list)
            else type(result).__name__
        )
        details: dict[str, Any] = {
            "result": shape_name,
            "count": kind_of(pagination.get("count")),
            "nbperpage": kind_of(pagination.get("nbperpage")),
            "pagenum": kind_of(pagination.get("pagenum")),
            "customers": count,
        }
        verdict = "ok"
        if not isinstance(result, dict | list):
            verdict = "failed"
            fixes.append(
                f"array_customer.result is {details['result']}: tell the project "
                "(the client reads objects and lists)"
            )
        if count is None:
            verdict = "warning" if verdict == "ok" else verdict
            fixes.append(
                "no pagination.count: the client stops at the first short page, so a page-size cap would "
                "hide "
                "matches; set OGUST_PAGE_SIZE to the largest page Ogust serves"
            )
        if records:
            record = records[0]
            address = record.get("main_address")
            empties = sorted({"null" if v is None else '""' for v in record.values() if v is None or v == ""})
            details.update(
                {
                    "recordKeys": sorted(record),
                    "emptyValues": " and ".join(empties) or "(none seen)",
                    "addressId": isinstance(address, dict) and bool(address.get("id_address")),
                }
            )
            if not details["addressId"]:
                verdict = "warning" if verdict == "ok" else verdict
                fixes.append(
                    "search results carry no main_address.id_address: every address change costs one "
                    "getCustomer "
                    "more (nothing to set)"
                )
        elif count == 0:
            verdict = "warning" if verdict == "ok" else verdict
            fixes.append(
                "the account has no customer: the matching, paging and custom-field checks need one; "
                "run again with --write-test, or after creating a customer in Ogust"
            )
        self.account.records = records
        shape = 'object keyed "0","1",…' if details["result"] == "object" else str(details["result"])
        customers = "?" if count is None else str(count)
        summary = f"result: {shape}, count: {details['count']} ({customers} customer(s))"
        if records:
            summary += f", empty values: {details['emptyValues']}, main_address.id_address: " + (
                "present" if details["addressId"] else "absent"
            )
        self.report.add(Check("search-shape", verdict, summary, fixes, details))  # type: ignore[arg-type]
        return True

    def check_status_filter(self) -> None:
        """Whether searches see inactive customers, and whether sending status=A hides some
        (docs/ogust-api.md §9 N3)."""
        if self.report.verdict("search-status") == "failed":
            return  # already reported: the account requires a status
        plain = self.raw.call("searchCustomer", {"nbperpage": 1, "pagenum": 1})
        active = self.raw.call("searchCustomer", {"status": "A", "nbperpage": 1, "pagenum": 1})
        inactive = self.raw.call("searchCustomer", {"status": "@!=|A", "nbperpage": 1, "pagenum": 1})
        counts = {
            "withoutStatus": _count(plain),
            "statusA": _count(active),
            "statusNotA": _count(inactive),
        }
        c_all, c_a, c_not = counts["withoutStatus"], counts["statusA"], counts["statusNotA"]
        sends = self.options.search_status
        if c_all is None or c_a is None:
            self.report.add(
                Check("search-status", "unknown", "status filter not measurable (no count)", details=counts)
            )
            return
        if c_all == 0 and not c_not:
            self.report.add(
                Check(
                    "search-status",
                    "unknown",
                    "no customer to tell whether searches without status hide inactive customers",
                    details=counts,
                )
            )
            return
        if not c_not:
            note = (
                "no inactive customer seen"
                if c_not == 0
                else "inactive customers cannot be counted (@!= refused)"
            )
            self.report.add(
                Check(
                    "search-status", "ok", f"searches work with and without status ({note})", details=counts
                )
            )
            return
        if c_all == c_a:
            self.report.add(
                Check(
                    "search-status",
                    "warning",
                    f"Ogust returns active customers only, even without status ({c_not} inactive never "
                    "found)",
                    [
                        "a form from an inactive (former) customer creates a new customer: reactivate them "
                        "in "
                        "Ogust first, or expect duplicates to merge"
                    ],
                    counts,
                )
            )
            return
        if sends:
            self.recommend(search_status=None)
            self.report.add(
                Check(
                    "search-status",
                    "warning",
                    f"OGUST_SEARCH_STATUS={sends} hides {c_not} inactive customer(s) from the lookup, and "
                    "Ogust does not require it",
                    [
                        "set OGUST_SEARCH_STATUS= (empty): a returning former customer is then updated, "
                        "not created again"
                    ],
                    counts,
                )
            )
            return
        self.report.add(
            Check(
                "search-status",
                "ok",
                f"searches see every customer ({c_not} inactive included)",
                details=counts,
            )
        )

    def check_page_size(self) -> None:
        """Ask for a page of OGUST_PAGE_SIZE and see how many come back (no documented maximum,
        docs/ogust-api.md §4)."""
        count = self.account.count
        if count is None or count < 2:
            self.report.add(
                Check(
                    "page-size",
                    "unknown",
                    "fewer than 2 customers: the largest page Ogust serves cannot be measured "
                    "(no OGUST_PAGE_SIZE advice)",
                )
            )
            return
        asked = self.options.page_size
        answer = self.search(nbperpage=asked, pagenum=1)
        records = answer.page()[0]
        if records:
            self.account.records = records
        given, expected = len(records), min(asked, count)
        details = {"asked": asked, "given": given, "count": count}
        if given < expected:
            self.recommend(page_size=given)
            self.report.add(
                Check(
                    "page-size",
                    "warning",
                    f"Ogust serves at most {given} customers per page (asked {asked}): searches follow "
                    "count, "
                    "so nothing is hidden, at one request more per search",
                    [f"set OGUST_PAGE_SIZE={given}"],
                    details,
                )
            )
        elif count > asked:
            self.report.add(Check("page-size", "ok", f"pages of {asked} served in full", details=details))
        else:
            self.report.add(
                Check(
                    "page-size",
                    "ok",
                    f"no cap seen up to {given} (every customer fit in one page)",
                    details=details,
                )
            )

    def check_paging(self) -> None:
        """Page 2 of one-record pages must be another record (a server ignoring pagenum hides matches)."""
        count = self.account.count
        if count is None or count < 2:
            self.report.add(
                Check("paging", "unknown", "fewer than 2 customers: whether pagenum pages cannot be seen")
            )
            return
        ids = []
        for page in (1, 2):
            page_answer = self.search(nbperpage=1, pagenum=page)
            records = page_answer.page()[0]
            ids.append(str(records[0].get("id_customer")) if records else None)
        if ids[1] is None:
            self.report.add(
                Check(
                    "paging",
                    "failed",
                    f"page 2 of one-customer pages is empty although count is {count}",
                    ["tell the project: searches with more matches than a page cannot be read in full"],
                )
            )
        elif ids[0] == ids[1]:
            self.report.add(
                Check(
                    "paging",
                    "failed",
                    "page 2 returned the same customer as page 1: Ogust ignores pagenum",
                    ["tell the project: searches with more matches than a page cannot be read in full"],
                )
            )
        else:
            self.report.add(Check("paging", "ok", "pagenum pages through the results"))


def _count(answer: Reply) -> int | None:
    """`pagination.count` of an OK search, read as the client reads it (None: KO or unreadable)."""
    return answer.page()[1]


def kind_of(value: Any) -> str:
    """How a value of Ogust's answers travels, as the report says it: number, string or missing."""
    if value is None:
        return "missing"
    return "number" if isinstance(value, int | float) and not isinstance(value, bool) else "string"
