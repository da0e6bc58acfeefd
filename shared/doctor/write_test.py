"""`doctor --write-test`: create ONE clearly named test customer from the mapping's create fields,
read it back field by field, and find it again by the lookup keys (docs/ogust-api.md §9).

A create refused for a missing field names the field and the `on_create:` line to add, then is
tried again with a suggested value (a KO applied nothing), so every missing field shows in one run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from shared.doctor import round_trip
from shared.doctor.mapping_checks import LIST_FIELDS, SUGGESTED_CONSTANTS, list_key, on_create_line
from shared.doctor.report import Check, Report
from shared.errors import OgustError, OgustRejectedError, OgustUnavailableError
from shared.mapping import FormMapping, fold, identity_key
from shared.ogust import ENTITY_FIELDS, OgustClient, Target

CUSTOMER = ENTITY_FIELDS["customer"]

TEST_NAME = "TEST FORMS-TO-OGUST"
MAX_CREATE_ATTEMPTS = 8

SAMPLES = {
    "title": "Mme",
    "first_name": "Zoé",
    "maiden_name": "D'ARTAGNAN",
    "mobile_phone": "0612345678",
    "landline": "0123456789",
    "fax": "0123456780",
    "date_of_birth": "19450101",
    "place_of_birth": "Saint-Étienne",
    "type": "C",
    "status": "A",
    "main_address.line": "1, rue de l'Église",
    "main_address.supplement": "Bâtiment B",
    "main_address.zip": "75011",
    "main_address.city": "PARIS",
    "main_address.country": "FR",
}
"""French sample values for mapped fields (a date of birth as YYYYMMDD, docs/ogust-api.md §9 N3)."""

MISSING_FIELD = re.compile(
    r"(?:champ|field|param[eè]tre)\s*[«\"'“]?\s*(?P<name>[^«»\"'“”]+?)\s*[»\"'”]?\s+"
    r"(?:est\s+|is\s+)?(?:obligatoire|requis|required|manquant|missing)",
    re.IGNORECASE,
)
""""Le champ type est obligatoire", "Le champ « Type de client » est obligatoire" (texts unknown)."""

FIELD_LABELS = {
    "nom": "last_name",
    "prénom": "first_name",
    "civilité": "title",
    "type de client": "type",
    "type client": "type",
    "type d'exonération": "exoneration",
    "exonération": "exoneration",
    "adresse principale": "main_address.line",
    "adresse": "main_address.line",
    "code postal": "main_address.zip",
    "ville": "main_address.city",
    "origine": "origin",
    "responsable": "manager",
    "gestionnaire": "manager",
    "mode de règlement": "method_of_payment",
    "mode de paiement": "method_of_payment",
    "moyen de paiement": "method_of_payment",
}
"""The Ogust UI's names (docs/ogust-api.md §9 N1) of the fields we write, in case a KO uses them."""


@dataclass(frozen=True)
class Suggestion:
    """A value to try for a missing field, and what the mapping should say instead."""

    target: Target
    value: str
    advice: str
    on_create: str | None = None
    """`name: value` for the form's on_create line (YAML), when a constant fits."""
    refusal: str = ""
    """Ogust's own words when it refused the create without this field."""


def missing_field(message: str) -> tuple[str, Target | None] | None:
    """(the name Ogust gave, our field) from a "field X is required" KO; None if it is not one."""
    match = MISSING_FIELD.search(message)
    if match is None:
        return None
    name = match["name"].strip()
    label = FIELD_LABELS.get(fold(name), name)
    target = Target.parse(label)
    return name, target if target.is_known and target.part != "custom" else None


def run_write_test(
    client: OgustClient, form: FormMapping, report: Report, now: datetime, seen_codes: list[str] | None = None
) -> None:
    """Create, read back, look up; one check each; then how the account stores text, `map` outputs
    and custom fields, on the test customer (`seen_codes`: custom codes other customers have)."""
    seen_codes = seen_codes or []
    client_type = next((c.details.get("clientType") for c in report.checks if c.id == "codes"), None)
    last_name = f"{TEST_NAME} {now:%Y-%m-%d %H:%M}"
    values = sample_values(client, form, last_name, now)
    suggested: list[Suggestion] = []
    id_customer: str | None = None
    for _ in range(MAX_CREATE_ATTEMPTS):
        try:
            id_customer = client.set_customer(customer_fields(values))
            break
        except OgustRejectedError as exc:
            message = exc.ogust_message or str(exc)
            found = missing_field(message)
            target = found[1] if found else None
            suggestion = (
                suggest(client, target, client_type) if target is not None and target not in values else None
            )
            if suggestion is None:
                _refused(report, form, message, found, suggested)
                return
            suggested.append(replace(suggestion, refusal=message))
            values[suggestion.target] = suggestion.value
        except OgustUnavailableError as exc:
            report.add(
                Check(
                    "write-test",
                    "failed",
                    f"Ogust did not answer the create ({exc}); it MAY have created the test customer",
                    [f"search Ogust for '{TEST_NAME}' and remove what you find; run again later"],
                )
            )
            return
        except OgustError as exc:
            report.add(Check("write-test", "failed", f"the create failed: {exc}"))
            return
    if id_customer is None:
        _refused(report, form, "too many refusals", None, suggested)
        return
    report.test_customer = {"id": id_customer, "lastName": last_name}
    custom = {t.name: v for t, v in values.items() if t.part == "custom"}
    custom_error = None
    if custom:
        try:
            client.set_third_party_informations(CUSTOMER.third_party, id_customer, custom)
        except OgustError as exc:
            custom_error = exc.ogust_message or str(exc)
    _created(report, form, id_customer, last_name, suggested, custom_error)
    _read_back(client, form, id_customer, values, bool(custom) and custom_error is None, report)
    _look_up(client, form, id_customer, values, report)
    # Then the test customer alone is written again: how the account stores what answers hold.
    round_trip.check_text_storage(client, form, id_customer, report)
    round_trip.check_map_outputs(client, form, id_customer, values, report)
    if form.custom_fields:
        round_trip.check_custom_store(client, form, id_customer, seen_codes, report)


def sample_values(client: OgustClient, form: FormMapping, last_name: str, now: datetime) -> dict[Target, str]:
    """What the mapping would create: its constants (list labels as codes), sample answers elsewhere."""
    values: dict[Target, str] = {}
    for target, rule in form.rules.items():
        key = list_key(target, rule, form)
        text = rule.value if rule.value is not None else rule.default
        if key is not None:
            codes = _list(client, key)
            if text is None:
                text = next(iter(codes), None)  # an answer would be one of the labels: take the first
            elif text not in codes:
                text = next((c for c, label in codes.items() if fold(label) == fold(text)), None)
            if text is None:
                continue  # the lists check says why
        elif text is None:
            text = _sample(target, now)
        values[target] = text
    values[Target("customer", "last_name")] = last_name
    return values


def customer_fields(values: dict[Target, str]) -> dict[str, Any]:
    """setCustomer's fields, grouped like the engine's create: the address inside, with its defaults."""
    fields: dict[str, Any] = {t.name: v for t, v in values.items() if t.part == "customer"}
    address = {t.name: v for t, v in values.items() if t.part == "address"}
    if address:
        fields["main_address"] = {**CUSTOMER.address_defaults, **address}
    return fields


def suggest(client: OgustClient, target: Target, client_type: str | None = None) -> Suggestion | None:
    """A value for a missing field and the mapping line that would send it; for `type`, the client
    code the `codes` check read off the account, when it could."""
    name = target.name
    if target.part == "customer" and name in SUGGESTED_CONSTANTS:
        learned = client_type if name == "type" else None
        value = learned or SUGGESTED_CONSTANTS[name]
        source = (
            "this account's client code, see codes" if learned else "Alenvi's code, docs/ogust-api.md §3b"
        )
        return Suggestion(target, value, f"add to on_create: {name}: {value} ({source})", f"{name}: {value}")
    if target.part == "customer" and name in LIST_FIELDS:
        codes = _list(client, f"customer.{name}")
        if not codes:
            return None
        code, label = next(iter(codes.items()))
        line = f'{name}: {{value: "{label}", ogust_list: customer.{name}}}'
        return Suggestion(target, code, f"add to on_create: {line} (pick the right label)", line)
    sample = SAMPLES.get(target.label)
    if sample is None:
        return None
    return Suggestion(target, sample, f"map {target.label} under fields: from a question of the form")


def _refused(
    report: Report,
    form: FormMapping,
    message: str,
    found: tuple[str, Target | None] | None,
    suggested: list[Suggestion],
) -> None:
    fixes = [s.advice for s in suggested]
    codes = next((c.details for c in report.checks if c.id == "codes"), {})
    if "type" in message.lower() and (codes.get("prospectType") or codes.get("clientType")):
        fixes.append(
            f"this account's type codes (see codes): prospects {codes.get('prospectType') or '?'}, "
            f"clients {codes.get('clientType') or '?'}: write one of them under on_create: type"
        )
    if found is not None and found[1] is None:
        fixes.append(f"Ogust requires «{found[0]}»: find which Ogust field it is and add it under on_create:")
    elif found is None:
        fixes.append("Ogust's refusal names no missing field: read its message above")
    constant = {s.target.name: s.on_create.split(": ", 1)[1] for s in suggested if s.on_create}
    if constant:
        fixes.insert(0, f"form {form.label}: {on_create_line(constant)}")
    report.add(Check("write-test", "failed", f"Ogust refused the test customer: «{message}»", fixes))


def _created(
    report: Report,
    form: FormMapping,
    id_customer: str,
    last_name: str,
    suggested: list[Suggestion],
    custom_error: str | None,
) -> None:
    details = {"customerId": id_customer, "lastName": last_name, "added": [s.target.label for s in suggested]}
    fixes = []
    if suggested:
        missing = ", ".join(s.target.label for s in suggested)
        constant = {s.target.name: s.on_create.split(": ", 1)[1] for s in suggested if s.on_create}
        if constant:
            fixes.append(f"form {form.label}: {on_create_line(constant)}")
        fixes.extend(s.advice for s in suggested if not s.on_create)
        said = ", ".join(f"«{s.refusal}»" for s in suggested)
        summary = (
            f"Ogust refused the mapping's create for want of {missing} ({said}); created test customer "
            f"#{id_customer} once they were added"
        )
        verdict = "failed"
    else:
        summary = f"created test customer #{id_customer} ({last_name}) from the mapping's create fields"
        verdict = "ok"
    if custom_error is not None:
        verdict = "failed"
        summary += f"; its custom fields were refused: «{custom_error}»"
        fixes.append("check the custom field codes under custom_fields:")
    report.add(Check("write-test", verdict, summary, fixes, details))  # type: ignore[arg-type]


def _read_back(
    client: OgustClient,
    form: FormMapping,
    id_customer: str,
    values: dict[Target, str],
    read_custom: bool,
    report: Report,
) -> None:
    record = client.get_customer(id_customer)
    if record is None:
        report.add(Check("read-back", "failed", f"getCustomer does not find the new customer #{id_customer}"))
        return
    if read_custom:
        record = record.with_custom(client.get_third_party_informations(CUSTOMER.third_party, id_customer))
    rows = []
    for target, sent in sorted(values.items()):
        if target.part == "custom" and not read_custom:
            continue
        back = record.value(target)
        rows.append({"field": target.label, "result": _compare(target, sent, back, form)})
    unexpected = [r for r in rows if r["result"] in ("not returned", "different")]
    write_only = [r["field"] for r in rows if r["result"] == "not returned (write-only: expected)"]
    same = [r for r in rows if r["result"].startswith("same")]
    fixes = []
    for row in unexpected:
        if row["result"] == "not returned":
            fixes.append(
                f"{row['field']}: Ogust does not return it: mark it `write_only: true` in the mapping"
            )
        elif form.rules[Target.parse(row["field"])].on_update == "append":
            fixes.append(
                f"{row['field']}: Ogust keeps another text than the one sent (see text-storage); appends "
                "look for their mark, not the text, so a redelivery still appends nothing"
            )
        else:
            fixes.append(
                f"{row['field']}: Ogust keeps another value than the one sent: every update will rewrite it"
            )
    summary = f"{len(same)}/{len(rows)} fields read back as sent"
    if write_only:
        summary += f"; write-only, not returned as expected: {', '.join(write_only)}"
    report.add(Check("read-back", "warning" if unexpected else "ok", summary, fixes, {"fields": rows}))


def _compare(target: Target, sent: str, back: str, form: FormMapping) -> str:
    if back.strip() == sent.strip():
        return "same"
    if not back.strip():
        write_only = target in form.create_only or target.name in CUSTOMER.write_only
        return "not returned (write-only: expected)" if write_only else "not returned"
    if identity_key(target, back) == identity_key(target, sent):
        return "same once normalised"
    return "different"


def _look_up(
    client: OgustClient, form: FormMapping, id_customer: str, values: dict[Target, str], report: Report
) -> None:
    """The next submission of this person must find this customer, by the first lookup key it has."""
    for target in form.lookup_targets:
        value = values.get(target)
        if not value:
            continue
        matches = [
            r.id
            for r in client.search_customers(**{target.name: value})
            if identity_key(target, r.value(target)) == identity_key(target, value)
        ]
        if id_customer in matches:
            report.add(Check("lookup", "ok", f"found again by {target} (the mapping's lookup)"))
        else:
            report.add(
                Check(
                    "lookup",
                    "failed",
                    f"a search by {target} does not find the test customer: every submission would create "
                    "a new customer",
                    ["see the search-matching and search-status checks above"],
                )
            )
        return


def _sample(target: Target, now: datetime) -> str:
    if target.part == "custom":
        return "TEST"
    if target.is_email:
        return f"forms-to-ogust.test.{now:%Y%m%d%H%M%S}@example.com"
    if target.name == "comment":
        # With what answers hold and a PHP application may escape: ' " & < an emoji, a line break.
        return f"Client de test du {now:%d/%m/%Y à %H:%M} : l'aide « à domicile » & <3 😊\nfin"
    return SAMPLES.get(target.label, "TEST")


def _list(client: OgustClient, key: str) -> dict[str, str]:
    try:
        return client.get_list(key)
    except OgustError:
        return {}
