"""What the mapping asks of the account: its lists and labels, custom field codes, the fields a
create usually needs, dates, and fields Ogust does not return (docs/ogust-api.md §9)."""

from __future__ import annotations

from typing import Any

from shared.doctor.account import Account
from shared.doctor.report import Check, Report
from shared.mapping import FieldRule, FormMapping, fold
from shared.ogust import ENTITY_FIELDS, OgustWire, Target

CUSTOMER = ENTITY_FIELDS["customer"]

LIST_FIELDS = frozenset({"origin", "manager", "method_of_payment", "sector"})
"""Customer fields whose values are codes of the list `customer.<field>` (docs/ogust-api.md §3a, getList)."""

SUGGESTED_CONSTANTS = {"type": "C", "exoneration": "D"}
"""What Alenvi sent on every create (docs/ogust-api.md §3b); C = client. Check the codes of your account."""

LIVE_CREATE_FIELDS = ("origin", "manager", "method_of_payment")
"""What a live integration also sends on create, from the account's lists (docs/ogust-api.md §9 N2)."""

OGUST_DATE_FORMATS = frozenset({"ogust", "%Y%m%d"})


def on_create_line(values: dict[str, str]) -> str:
    """`on_create: {type: C, exoneration: D}` for the mapping, values already YAML."""
    return "on_create: {" + ", ".join(f"{name}: {value}" for name, value in values.items()) + "}"


def list_key(target: Target, rule: FieldRule, form: FormMapping) -> str | None:
    """The Ogust list a mapped value belongs to: `ogust_list`, or a list field given as a code."""
    if rule.ogust_list:
        return rule.ogust_list
    if target.part == "customer" and target.name in LIST_FIELDS and target.name in form.on_create:
        return f"customer.{target.name}"
    return None


def constants(rule: FieldRule) -> list[str]:
    """The texts the rule itself writes: its value, its default and its `map:` results."""
    found = [v for v in (rule.value, rule.default) if v]
    for step in rule.steps:
        if step.name == "map" and isinstance(step.arg, dict):
            found.extend(str(v) for v in step.arg.values() if v not in (None, ""))
    return found


def check_create_fields(forms: list[FormMapping], report: Report, account: Account | None = None) -> None:
    """Whether each creating form sends what a real account usually requires (docs/ogust-api.md §9 N1, N2);
    the type
    suggested is the account's own client code when the codes check read it."""
    learned = account.client_type if account is not None else None
    for form in forms:
        if form.if_not_found == "skip":
            continue
        sent = {target.label for target in form.rules if target.part != "custom"}
        missing = [name for name in CUSTOMER.usual_create if name not in sent]
        live = [name for name in LIVE_CREATE_FIELDS if name not in sent]
        details = {"form": form.label, "missing": missing, "notSentButLiveIntegrationsDo": live}
        if not missing:
            extra = f"; a live integration also sends {', '.join(live)}" if live else ""
            report.add(
                Check(
                    "create-fields",
                    "ok",
                    f"form {form.label} sends the usual create fields{extra}",
                    details=details,
                )
            )
            continue
        fixes = []
        constant = {name: SUGGESTED_CONSTANTS[name] for name in missing if name in SUGGESTED_CONSTANTS}
        if learned and "type" in constant:
            constant["type"] = learned
        if constant:
            source = (
                "the type read off this account's client codes, see codes"
                if learned and "type" in constant
                else "Alenvi's codes, docs/ogust-api.md: check those of your account"
            )
            fixes.append(f"add to form {form.label}: {on_create_line(constant)}  ({source})")
        mapped = [name for name in missing if name not in SUGGESTED_CONSTANTS]
        if mapped:
            fixes.append(f"map {', '.join(mapped)} under fields: from the form's questions")
        if live:
            fixes.append(
                f"some accounts also require {', '.join(live)} (docs/ogust-api.md §9 N2): "
                "run --write-test to see"
            )
        report.add(
            Check(
                "create-fields",
                "warning",
                f"form {form.label} creates customers without {', '.join(missing)}: a real account usually "
                "refuses that (docs/ogust-api.md §9 N1)",
                fixes,
                details,
            )
        )


def check_dates(forms: list[FormMapping], report: Report) -> None:
    """Dates of birth travel as YYYYMMDD (docs/ogust-api.md §9 N3)."""
    for form in forms:
        rule = form.fields.get("date_of_birth")
        if rule is None or rule.value is not None:
            continue
        formats = [step.arg for step in rule.steps if step.name == "date"]
        if formats and all(str(f) in OGUST_DATE_FORMATS for f in formats[-1:]):
            report.add(Check("dates", "ok", f"form {form.label} writes date_of_birth as YYYYMMDD"))
            continue
        shown = f"as {formats[-1]!r}" if formats else "as answered"
        report.add(
            Check(
                "dates",
                "warning",
                f"form {form.label} writes date_of_birth {shown}; Ogust dates travel as YYYYMMDD "
                "(docs/ogust-api.md §3c)",
                ["use `steps: [{date: ogust}]` on date_of_birth (add `input:` for the form's date format)"],
            )
        )


def check_lists(raw: OgustWire, forms: list[FormMapping], report: Report) -> dict[str, dict[str, str]]:
    """getList for every list the mapping uses, and every label it names must be in it."""
    uses: dict[str, list[tuple[FormMapping, Target, FieldRule]]] = {}
    for form in forms:
        for target, rule in form.rules.items():
            key = list_key(target, rule, form)
            if key is not None:
                uses.setdefault(key, []).append((form, target, rule))
    lists: dict[str, dict[str, str]] = {}
    for key, fields in sorted(uses.items()):
        answer = raw.call("getList", {"key": key})
        codes = answer.list_entries()
        if codes is None:
            report.add(
                Check(
                    "lists",
                    "failed",
                    f"list {key} (used by {_names(fields)}): «{answer.message or 'no list in the answer'}»",
                    [
                        "check the list key: Ogust lists seen in public code are customer.origin, "
                        "customer.manager, customer.method_of_payment, customer.sector "
                        "(docs/ogust-api.md §3a)"
                    ],
                )
            )
            continue
        lists[key] = codes
        problems = []
        for form, target, rule in fields:
            for text in constants(rule):
                if text in codes:
                    continue
                matches = [code for code, label in codes.items() if fold(label) == fold(text)]
                if len(matches) != 1:
                    problems.append(
                        f"form {form.label}, {target}: {text!r} "
                        + ("matches several entries" if matches else "is neither a label nor a code")
                    )
        labels = ", ".join(repr(label) for label in sorted(codes.values())[:12])
        more = "…" if len(codes) > 12 else ""
        details = {"key": key, "entries": len(codes), "usedBy": _names(fields)}
        if problems:
            report.add(
                Check(
                    "lists",
                    "failed",
                    f"list {key}: " + "; ".join(problems),
                    [f"write one of the labels of {key}: {labels}{more}"],
                    details,
                )
            )
        elif not codes:
            report.add(Check("lists", "warning", f"list {key} is empty on this account", details=details))
        else:
            report.add(
                Check(
                    "lists",
                    "ok",
                    f"list {key}: {len(codes)} entries, every label of the mapping found",
                    details=details,
                )
            )
    return lists


def check_custom_fields(
    raw: OgustWire, forms: list[FormMapping], account: Account | None, report: Report
) -> None:
    """getThirdPartyInformations on a customer: do the mapping's custom field codes exist
    (docs/ogust-api.md §3c, §9 N3)?"""
    codes = sorted({code for form in forms for code in form.custom_fields})
    if not codes:
        return
    customers = [str(r["id_customer"]) for r in (account.records if account else []) if r.get("id_customer")]
    if not customers:
        report.add(Check("custom-fields", "unknown", "no customer to read custom fields from"))
        return
    seen: dict[str, Any] = {}
    last_message = ""
    for id_customer in customers[:5]:
        answer = raw.read_custom(CUSTOMER.third_party, id_customer)  # as the client reads them
        if not answer.ok:
            last_message = answer.message
            continue
        values = answer.custom_values()
        if values:
            seen = values
            break
    if not seen:
        why = f"«{last_message}»" if last_message else "no custom value on the customers read"
        report.add(
            Check(
                "custom-fields",
                "warning",
                f"custom field codes {', '.join(codes)} not confirmed: {why}",
                ["check the codes in Ogust's settings (informations tierces), or run --write-test"],
            )
        )
        return
    missing = [code for code in codes if code not in seen]
    details = {"codes": codes, "seen": sorted(seen)}
    if missing:
        report.add(
            Check(
                "custom-fields",
                "warning",
                f"custom field code(s) {', '.join(missing)} not among a customer's "
                f"({', '.join(sorted(seen))})",
                ["check the code in Ogust's settings: codes are case-sensitive"],
                details,
            )
        )
    else:
        report.add(
            Check("custom-fields", "ok", f"custom field codes found: {', '.join(codes)}", details=details)
        )


def check_returned_fields(forms: list[FormMapping], account: Account | None, report: Report) -> None:
    """Fields the mapping compares on update must come back in search results (docs/ogust-api.md §9 N3:
    exoneration)."""
    records = account.records if account else []
    if not records:
        return
    keys = {k for r in records for k in r}
    address_keys = {k for r in records if isinstance(r.get("main_address"), dict) for k in r["main_address"]}
    for form in forms:
        absent = []
        for name, rule in form.fields.items():
            target = Target.parse(name)
            write_only = rule.write_only or (rule.write_only is None and target.name in CUSTOMER.write_only)
            if write_only or target.part == "custom":
                continue
            if (target.part == "customer" and target.name not in keys) or (
                target.part == "address" and address_keys and target.name not in address_keys
            ):
                absent.append(name)
        if absent:
            report.add(
                Check(
                    "returned-fields",
                    "warning",
                    f"form {form.label}: {', '.join(absent)} never appear in Ogust's search results",
                    [
                        "if Ogust does not return them, mark them `write_only: true` (sent on create only), "
                        "otherwise every update sees them as changed"
                    ],
                )
            )
        else:
            report.add(Check("returned-fields", "ok", f"form {form.label}: every compared field comes back"))


def _names(fields: list[tuple[FormMapping, Target, FieldRule]]) -> str:
    return ", ".join(sorted({target.label for _, target, _ in fields}))
