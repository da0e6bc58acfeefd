"""The account's codes, read off its own customers: each `type` with the prefix of the customer codes
it goes with (Ogust's help: prospect codes start with `00`, client codes with `CLI`), the `title`
and `exoneration` values in use, and the lists that may hold them (docs/ogust-api.md)."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from shared.doctor.account import Account
from shared.doctor.mapping_checks import constants
from shared.doctor.report import Check, Report, Verdict
from shared.mapping import FormMapping
from shared.ogust import OgustWire, Target

PROSPECT_PREFIX = "00"
CLIENT_PREFIX = "CLI"
MORE_PAGES = 4
"""Pages read beyond the first in search of both kinds of customer code (a request each)."""
CODE_LISTS = ("customer.type", "customer.exoneration", "customer.title")
"""List keys that may hold these codes: a guess (only origin, manager, method_of_payment and sector
were seen), so a KO here is harmless and only reported."""


def code_prefix(code: str) -> str:
    """`CLI` for CLI00012, `00` for 0004512, `digits` or `none` otherwise."""
    code = code.strip()
    letters = re.match(r"[A-Za-z]+", code)
    if letters:
        return letters.group(0).upper()
    if code.startswith(PROSPECT_PREFIX):
        return PROSPECT_PREFIX
    return "digits" if code else "none"


def kinds_of(records: list[dict[str, Any]]) -> dict[str, Counter[str]]:
    """type → how many of its customers have each code prefix."""
    kinds: dict[str, Counter[str]] = {}
    for record in records:
        kind = str(record.get("type") or "").strip()
        if kind:
            kinds.setdefault(kind, Counter())[code_prefix(str(record.get("code") or ""))] += 1
    return kinds


def type_with_prefix(kinds: dict[str, Counter[str]], prefix: str) -> str | None:
    """The one type whose customers' codes all start with `prefix` (None: none, or several)."""
    types = [t for t, prefixes in kinds.items() if set(prefixes) == {prefix}]
    return types[0] if len(types) == 1 else None


def check_codes(raw: OgustWire, forms: list[FormMapping], account: Account | None, report: Report) -> None:
    """One `codes` check: the prospect and client type codes, titles and exonerations in use."""
    records = _more_records(raw, account, report.recommended.page_size) if account else []
    lists = {key: _list(raw, key) for key in CODE_LISTS}
    details: dict[str, Any] = {
        "customersRead": len(records),
        "lists": {k: sorted(v) for k, v in lists.items() if v},
    }
    if not records:
        report.add(
            Check(
                "codes",
                "unknown",
                "no customer to read the account's codes from: the prospect and client type codes, "
                "titles and exonerations are not known (the examples' P, C, D are guesses)",
                ["create one prospect and one client in Ogust's screens, then run the doctor again"],
                details,
            )
        )
        return
    kinds = kinds_of(records)
    titles = Counter(str(r.get("title") or "").strip() for r in records if str(r.get("title") or "").strip())
    exonerations = Counter(
        str(r.get("exoneration") or "").strip() for r in records if str(r.get("exoneration") or "").strip()
    )
    prospect = type_with_prefix(kinds, PROSPECT_PREFIX)
    client = type_with_prefix(kinds, CLIENT_PREFIX)
    details.update(
        {
            "types": {t: dict(p) for t, p in kinds.items()},
            "titles": dict(titles),
            "exonerations": dict(exonerations),
            "prospectType": prospect,
            "clientType": client,
        }
    )
    if account is not None:
        account.prospect_type, account.client_type = prospect, client
    parts = [
        f"prospects: type {prospect} (codes {PROSPECT_PREFIX}…)"
        if prospect
        else f"prospect type: could not tell (no type whose codes all start with {PROSPECT_PREFIX})",
        f"clients: type {client} (codes {CLIENT_PREFIX}…)"
        if client
        else f"client type: could not tell (no type whose codes all start with {CLIENT_PREFIX})",
        "types seen: " + ", ".join(f"{t} ({_prefixes(p)})" for t, p in sorted(kinds.items()))
        if kinds
        else "no type returned",
        "titles in use: " + (", ".join(repr(t) for t in sorted(titles)) or "none"),
        "exonerations in use: "
        + (", ".join(repr(e) for e in sorted(exonerations)) or "not returned by searches (write-only)"),
    ]
    exoneration = exonerations.most_common(1)[0][0] if exonerations else None
    fixes = []
    for kind, code in (("prospects", prospect), ("clients", client)):
        if code:
            line = {"type": code, **({"exoneration": exoneration} if exoneration else {})}
            fixes.append(
                f"a form creating {kind}: on_create: {{{', '.join(f'{k}: {v}' for k, v in line.items())}}}"
            )
    problems = _mapping_problems(forms, kinds, titles, lists)
    fixes.extend(problems)
    verdict: Verdict = "ok" if prospect and client else "unknown"
    written = {
        v for form in forms for t, rule in form.rules.items() if t.name == "type" for v in constants(rule)
    }
    if forms:
        # Only the codes the mapping writes matter: ok once each of them is a type customers have.
        verdict = "ok" if written <= set(kinds) | set(lists["customer.type"]) else "unknown"
    if problems:
        verdict = "warning"
    report.add(
        Check("codes", verdict, "; ".join(parts) + f" (over {len(records)} customer(s))", fixes, details)
    )


def _mapping_problems(
    forms: list[FormMapping],
    kinds: dict[str, Counter[str]],
    titles: Counter[str],
    lists: dict[str, dict[str, str]],
) -> list[str]:
    """The mapping's type and title values that no customer of the account has (nor a list)."""
    problems = []
    known_types = set(kinds) | set(lists["customer.type"])
    known_titles = set(titles) | set(lists["customer.title"])
    for form in forms:
        for target, rule in form.rules.items():
            if target == Target("customer", "type") and known_types:
                for value in dict.fromkeys(constants(rule)):
                    if value not in known_types:
                        problems.append(
                            f"form {form.label}: type {value!r} is not a type of this account's customers "
                            f"({', '.join(sorted(known_types))}): Ogust may store it silently"
                        )
            if target == Target("customer", "title") and known_titles:
                for value in dict.fromkeys(constants(rule)):
                    if value not in known_titles:
                        problems.append(
                            f"form {form.label}: title {value!r} (a `map` output) is on no customer of this "
                            f"account ({', '.join(sorted(known_titles))}): check it, or run --write-test"
                        )
    return problems


def _more_records(raw: OgustWire, account: Account, page_size: int) -> list[dict[str, Any]]:
    """The customers read so far, and more pages (MORE_PAGES at most) while the prospect or the client
    code is not seen: the first page of a large account may hold clients only."""
    records = list(account.records)
    seen = {str(r.get("id_customer")) for r in records}
    for page in range(2, MORE_PAGES + 2):
        kinds = kinds_of(records)
        if type_with_prefix(kinds, PROSPECT_PREFIX) and type_with_prefix(kinds, CLIENT_PREFIX):
            break
        if account.count is None or len(seen) >= account.count:
            break
        params: dict[str, Any] = {"nbperpage": page_size, "pagenum": page}
        if account.status is not None:
            params["status"] = account.status
        answer = raw.call("searchCustomer", params)
        rows = answer.page()[0]
        new = [r for r in rows if str(r.get("id_customer")) not in seen]
        if not new:
            break
        seen.update(str(r.get("id_customer")) for r in new)
        records.extend(new)
    return records


def _prefixes(prefixes: Counter[str]) -> str:
    return ", ".join(f"{n}× {p}…" for p, n in prefixes.most_common())


def _list(raw: OgustWire, key: str) -> dict[str, str]:
    return raw.call("getList", {"key": key}).list_entries() or {}
