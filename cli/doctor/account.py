"""Read-only probes of the Ogust account itself: getToken variants, real KO texts, search shapes,
status filter, page-size cap, paging and how searches match (reference §9, last point)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from cli.doctor.raw import PROBE_TOKEN, Answer, RawOgust
from cli.doctor.report import Check, Report
from shared.config.clients import OgustOptions
from shared.ogust import DEFAULT_TOKEN_ERROR_PATTERN, BodyEncoding

UNKNOWN_METHOD = "getFormsToOgustDoctor"
"""A method Ogust cannot have, for its real "unknown method" KO text."""
UNKNOWN_LIST = "customer.forms_to_ogust_doctor"
"""A list key Ogust cannot have, for a real data KO text."""
ENCODING_NAMES = {"json": "JSON body", "form": "form body"}
NEVER = "(?!)"
"""A regular expression that matches nothing."""


@dataclass
class Account:
    """What the probes learnt, for the mapping checks and the write test."""

    count: int | None = None
    records: list[dict[str, Any]] = field(default_factory=list)
    """Up to a page of customers, as Ogust returned them (never printed: personal data)."""
    status: str | None = None
    """The status the searches must send (None: none)."""


class AccountProbe:
    """Runs the account checks in order; each later one needs the earlier ones to have passed."""

    def __init__(self, raw: RawOgust, report: Report) -> None:
        self.raw = raw
        self.report = report
        self.account = Account()

    @property
    def options(self) -> OgustOptions:
        return self.report.recommended

    def recommend(self, **changes: Any) -> None:
        """Change the recommended settings."""
        self.report.recommended = replace(self.report.recommended, **changes)

    def run(self) -> Account | None:
        """Every account check; None when the account could not be searched at all."""
        if not self.check_token():
            return None
        self.check_ko_texts()
        if not self.check_search_shape():
            return None
        self.check_status_filter()
        self.check_page_size()
        self.check_paging()
        self.check_matching()
        return self.account

    # --- token -----------------------------------------------------------------------------------

    def check_token(self) -> bool:
        """getToken as configured; when refused, which variant (clock, body) this account accepts."""
        enc, zone = self.options.body_encoding, self.options.token_timezone
        other_enc: BodyEncoding = "form" if enc == "json" else "json"
        other_zone = "UTC" if zone == "Europe/Paris" else "Europe/Paris"
        variants: list[tuple[BodyEncoding, str]] = [
            (enc, zone),
            (enc, other_zone),
            (other_enc, zone),
            (other_enc, other_zone),
        ]
        answers = {variant: self.raw.get_token(*variant) for variant in variants}
        accepted = [v for v in variants if answers[v].ok and answers[v].envelope.get("token")]  # type: ignore[union-attr]
        details = {
            "accepted": [_variant(v) for v in accepted],
            "refused": {_variant(v): answers[v].message for v in variants if v not in accepted},
        }
        configured = answers[variants[0]]
        if variants[0] in accepted:
            others = [_variant(v) for v in accepted[1:]]
            also = f"; also accepted: {', '.join(others)}" if others else "; no other variant accepted"
            self.report.add(
                Check("token", "ok", f"getToken accepted ({_variant(variants[0])}){also}", details=details)
            )
            return True
        if accepted:
            best_enc, best_zone = accepted[0]
            self.raw.use(best_enc, best_zone)
            self.recommend(body_encoding=best_enc, token_timezone=best_zone)
            fixes = []
            if best_enc != enc:
                fixes.append(f"set OGUST_BODY_ENCODING={best_enc}")
            if best_zone != zone:
                fixes.append(f"set OGUST_TOKEN_TIMEZONE={best_zone}")
            self.report.add(
                Check(
                    "token",
                    "failed",
                    f"getToken refused as configured ({_variant(variants[0])}: «{configured.message}»), "
                    f"accepted with {_variant(accepted[0])}",
                    fixes,
                    details,
                )
            )
            return True
        fixes = [
            "check OGUST_PUBLIC_KEY and OGUST_PRIVATE_KEY (or the OGUST_KEYS_SECRET secret): the public key "
            "is on the company page (fiche société) of the Ogust account, the private key beside it "
            "(reference §2a)",
            "check the host clock is on time (NTP): getToken's time is signed",
        ]
        if configured.http_status in (401, 403) and configured.envelope is None:
            fixes.append(
                "HTTP 401/403 without an Ogust answer: the account may allow listed IP addresses only "
                "(reference §5 quirk 6); ask Ogust to allow the function's egress address"
            )
        self.report.add(
            Check(
                "token",
                "failed",
                f"Ogust refused the keys in every variant (clock × body): «{configured.message}»",
                fixes,
                details,
            )
        )
        return False

    # --- KO texts --------------------------------------------------------------------------------

    def check_ko_texts(self) -> None:
        """The real KO texts of a bad token, an unknown method and an unknown list, and whether the
        token-refused pattern tells the first from the others (reference §8, §9)."""
        bad = self.raw.call("getList", {"key": "customer.origin"}, token=PROBE_TOKEN)
        unknown = self.raw.call(UNKNOWN_METHOD)
        data = self.raw.call("getList", {"key": UNKNOWN_LIST})
        details = {
            "badToken": _ko(bad),
            "unknownMethod": _ko(unknown),
            "unknownList": _ko(data),
            "pattern": self.options.token_error_pattern,
        }
        if not bad.ko:
            self.report.add(
                Check(
                    "ko-texts",
                    "warning",
                    f"a call with a token Ogust never issued did not answer KO ({bad.message or 'OK'}): "
                    "the token-refused text cannot be read",
                    details=details,
                )
            )
            return
        others = [a.message for a in (unknown, data) if a.ko]
        pattern = re.compile(self.options.token_error_pattern, re.IGNORECASE)
        fixes: list[str] = []
        verdict = "ok"
        summary = f"bad token: «{bad.message}» (HTTP {bad.http_status}); unknown method: «{unknown.message}»"
        if pattern.search(bad.message) is None or any(pattern.search(m) for m in others):
            proposed = token_pattern_for(bad.message)
            clean = re.compile(proposed, re.IGNORECASE)
            if any(clean.search(m) for m in others):
                summary = (
                    f"Ogust answers a bad token like other errors («{bad.message}»): "
                    "an expired token cannot be told from a data refusal"
                )
                fixes.append(
                    "set OGUST_TOKEN_ERROR_PATTERN='(?!)' (never matches): a refused token is then a "
                    "refusal, parked with Ogust's message, rather than a data KO repeated"
                )
                self.recommend(token_error_pattern=NEVER)
            else:
                missed = pattern.search(bad.message) is None
                summary = (
                    f"the token-refused pattern {'misses' if missed else 'also matches other KOs than'} "
                    f"Ogust's text «{bad.message}»" + ("" if missed else f" ({others[0]})")
                )
                fixes.append(f"set OGUST_TOKEN_ERROR_PATTERN={proposed!r} (recommended below)")
                self.recommend(token_error_pattern=proposed)
            verdict = "failed"
        server_ko = [
            name
            for name, a in (("bad token", bad), ("unknown method", unknown), ("unknown list", data))
            if a.ko and a.http_status >= 500
        ]
        if server_ko and verdict == "ok":
            verdict = "warning"
            summary += f"; KO came with HTTP 5xx ({', '.join(server_ko)})"
            fixes.append(
                "Ogust sends KO with a server error status: the client takes those for Ogust being down "
                "and retries them (a data refusal is never parked); tell the project, this needs a setting"
            )
        self.report.add(Check("ko-texts", verdict, summary, fixes, details))  # type: ignore[arg-type]

    # --- search ----------------------------------------------------------------------------------

    def search(self, **params: Any) -> Answer:
        """searchCustomer with the status the account needs."""
        if self.account.status is not None and "status" not in params:
            params = {"status": self.account.status, **params}
        return self.raw.call("searchCustomer", params)

    def check_search_shape(self) -> bool:
        """One search with nbperpage=1: what the envelope looks like (reference §4, §5, §9 N3)."""
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
                    details=_ko(answer),
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
        count = _int(pagination.get("count"))
        self.account.count = count
        records = _records(result)
        shape_name = (
            "object"
            if isinstance(result, dict)
            else "list"
            if isinstance(result, list)
            else type(result).__name__
        )
        details: dict[str, Any] = {
            "result": shape_name,
            "count": _kind(pagination.get("count")),
            "nbperpage": _kind(pagination.get("nbperpage")),
            "pagenum": _kind(pagination.get("pagenum")),
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
        """Whether searches see inactive customers, and whether sending status=A hides some (§9 N3)."""
        if self.report.verdict("search-status") == "failed":
            return  # already reported: the account requires a status
        plain = self.raw.call("searchCustomer", {"nbperpage": 1, "pagenum": 1})
        active = self.raw.call("searchCustomer", {"status": "A", "nbperpage": 1, "pagenum": 1})
        inactive = self.raw.call("searchCustomer", {"status": "@!=|A", "nbperpage": 1, "pagenum": 1})
        counts = {"withoutStatus": _count(plain), "statusA": _count(active), "statusNotA": _count(inactive)}
        c_all, c_a, c_not = counts["withoutStatus"], counts["statusA"], counts["statusNotA"]
        sends = self.options.search_status
        if c_all is None or c_a is None:
            self.report.add(
                Check("search-status", "ok", "status filter not measurable (no count)", details=counts)
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
        """Ask for a page of OGUST_PAGE_SIZE and see how many come back (no documented maximum, §4)."""
        count = self.account.count
        if count is None or count < 2:
            self.report.add(Check("page-size", "skipped", "needs a count of at least 2 customers"))
            return
        asked = self.options.page_size
        answer = self.search(nbperpage=asked, pagenum=1)
        block = answer.envelope.get("array_customer") if answer.ok and answer.envelope else None
        records = _records(block.get("result")) if isinstance(block, dict) else []
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
            self.report.add(Check("paging", "skipped", "needs a count of at least 2 customers"))
            return
        ids = []
        for page in (1, 2):
            records = _records(_block(self.search(nbperpage=1, pagenum=page)).get("result"))
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

    # --- matching --------------------------------------------------------------------------------

    def check_matching(self) -> None:
        """On a customer it found: exact or LIKE, case, phone with and without spaces (§9)."""
        record = _probe_record(self.account.records)
        if record is None:
            self.report.add(
                Check("search-matching", "skipped", "no customer with a last name of 3 letters or more")
            )
            return
        rid = str(record["id_customer"])
        name = str(record["last_name"])

        def found(**filters: str) -> bool | None:
            answer = self.search(**filters, nbperpage=self.options.page_size, pagenum=1)
            if not answer.ok:
                return None
            block = _block(answer)
            records = _records(block.get("result"))
            if any(str(r.get("id_customer")) == rid for r in records):
                return True
            count = _int((block.get("pagination") or {}).get("count"))
            return None if count is not None and count > len(records) else False

        results: dict[str, bool | None] = {"exact": found(last_name=name)}
        if name.swapcase() != name:
            results["otherCase"] = found(last_name=name.swapcase())
        results["prefix"] = found(last_name=name[:-1])
        results["likeWildcard"] = found(last_name=name[:-1] + "%")
        email = str(record.get("email") or "")
        if email and email.swapcase() != email:
            results["emailOtherCase"] = found(email=email.swapcase())
        phone_field = next(
            (f for f in ("mobile_phone", "landline") if str(record.get(f) or "").strip()), None
        )
        phone_note = ""
        if phone_field:
            stored = str(record[phone_field])
            digits = re.sub(r"\D", "", stored)
            spaced = " ".join(digits[i : i + 2] for i in range(0, len(digits), 2))
            results["phoneDigitsOnly"] = found(**{phone_field: digits})
            results["phoneWithSpaces"] = found(**{phone_field: spaced})
            style = "with spaces" if " " in stored else "without spaces"
            phone_note = (
                f"; {phone_field} stored {style}: found with digits only: "
                f"{_yes(results['phoneDigitsOnly'])}, "
                f"with spaces: {_yes(results['phoneWithSpaces'])}"
            )
        details = {"customerId": rid, **results}
        if results["exact"] is False:
            self.report.add(
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
        if phone_field and results.get("phoneDigitsOnly") is False and results.get("phoneWithSpaces"):
            fixes.append(
                "phones are stored with spaces and not found without them: the `phone` step writes digits "
                "only, so a lookup by phone misses such customers; look up by e-mail first"
            )
        if kind != "exact":
            summary += "; our lookup compares exactly on our side, so loose matching is fine"
        self.report.add(Check("search-matching", "warning" if fixes else "ok", summary, fixes, details))


def token_pattern_for(text: str) -> str:
    """A pattern for exactly this token-refused text (numbers as \\d+), or the default's words."""
    exact = re.sub(r"\d+", r"\\d+", re.escape(text.strip()))
    return f"^{exact}$|{DEFAULT_TOKEN_ERROR_PATTERN}"


def _variant(variant: tuple[str, str]) -> str:
    encoding, zone = variant
    return f"{ENCODING_NAMES[encoding]}, {zone} time"


def _ko(answer: Answer) -> dict[str, Any]:
    return {
        "http": answer.http_status,
        "status": "KO" if answer.ko else "OK" if answer.ok else None,
        "message": answer.message,
    }


def _block(answer: Answer) -> dict[str, Any]:
    block = answer.envelope.get("array_customer") if answer.ok and answer.envelope else None
    return block if isinstance(block, dict) else {}


def _count(answer: Answer) -> int | None:
    pagination = _block(answer).get("pagination")
    return _int(pagination.get("count")) if isinstance(pagination, dict) else None


def _records(result: Any) -> list[dict[str, Any]]:
    values = list(result.values()) if isinstance(result, dict) else result if isinstance(result, list) else []
    return [v for v in values if isinstance(v, dict)]


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _kind(value: Any) -> str:
    if value is None:
        return "missing"
    return "number" if isinstance(value, int | float) and not isinstance(value, bool) else "string"


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
