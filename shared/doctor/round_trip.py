"""What the write test's customer shows about how the account stores what we write: text with
apostrophes, quotes, `&`, `<`, an emoji and a line break (and how long a comment may be), every
output of the mapping's `map` steps, and whether custom fields are merged or replaced
(docs/ogust-api.md). Only the test customer is written to."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from shared.doctor.mapping_checks import constants
from shared.doctor.report import Check, Report, Verdict
from shared.errors import OgustError
from shared.mapping import FormMapping
from shared.ogust import ENTITY_FIELDS, OgustClient, Target

CUSTOMER_THIRD_PARTY = ENTITY_FIELDS["customer"].third_party

SPECIALS = (
    ("apostrophe", "aujourd", "'", "hui"),
    ("double quote", "dit ", '"', "merci"),
    ("ampersand", "Dupont ", "&", " fils"),
    ("less-than", "note ", "<", " 5"),
    ("emoji", "bravo ", "😊", " enfin"),
    ("line break", "ligne", "\n", "suite"),
)
"""What a French answer commonly holds and a PHP application may escape or drop, each between two
plain words that nothing escapes, so what it became can be read off the text Ogust gives back."""

SAMPLE_TEXT = "Test forms-to-ogust : " + " ; ".join(
    before + char + after for _, before, char, after in SPECIALS
)
FILLER = " Texte de remplissage pour mesurer la longueur que garde Ogust."
LONG_LENGTH = 4000
"""Characters sent to find a cut (the real limit, if any, is unknown)."""


@dataclass(frozen=True)
class Stored:
    """How one special character came back."""

    name: str
    sent: str
    back: str | None
    """What it became (None: dropped; equal to `sent`: kept)."""


def stored_forms(back: str) -> list[Stored]:
    """How each special of SAMPLE_TEXT is stored, read off the text Ogust gave back."""
    found = []
    for name, before, char, after in SPECIALS:
        start = back.find(before)
        end = back.find(after, start + len(before)) if start >= 0 else -1
        found.append(Stored(name, char, back[start + len(before) : end] if start >= 0 and end >= 0 else None))
    return found


def check_text_storage(client: OgustClient, form: FormMapping, id_customer: str, report: Report) -> None:
    """`text-storage`: the comment written with every special and a long tail, then read back."""
    if Target("customer", "comment") not in form.rules:
        report.add(Check("text-storage", "skipped", f"form {form.label} writes no comment"))
        return
    long_text = SAMPLE_TEXT + (FILLER * (LONG_LENGTH // len(FILLER) + 1))[: LONG_LENGTH - len(SAMPLE_TEXT)]
    try:
        client.set_customer({"id_customer": id_customer, "comment": long_text})
        # Read as Ogust stores it, whatever OGUST_TEXT_ESCAPING says: that is what is measured.
        envelope = client.call("getCustomer", {"id_customer": id_customer})
    except OgustError as exc:
        report.add(
            Check(
                "text-storage",
                "failed",
                f"the comment with quotes, & and an emoji was refused: «{exc.ogust_message or exc}»",
                ["tell the project: answers with such characters would be parked"],
            )
        )
        return
    customer = envelope.get("customer")
    customer = customer[0] if isinstance(customer, list) and customer else customer
    back = str(customer.get("comment") or "") if isinstance(customer, dict) else ""
    forms = stored_forms(back)
    details: dict[str, Any] = {
        "sentLength": len(long_text),
        "backLength": len(back),
        "stored": {s.name: ("kept" if s.back == s.sent else s.back) for s in forms},
    }
    changed = [s for s in forms if s.back != s.sent]
    escaped = any(s.back and s.back.startswith("&") and s.back.endswith(";") for s in changed)
    fixes = []
    notes = []
    if changed:
        notes.append(
            "stored as "
            + ", ".join(f"{s.name} → {'(dropped)' if not s.back else repr(s.back)}" for s in changed)
        )
    if escaped:
        report.recommended = replace(report.recommended, text_escaping="html")
        fixes.append(
            "set OGUST_TEXT_ESCAPING=html (recommended below): Ogust's text is then read unescaped, so a "
            "value with an apostrophe is not rewritten on every update, and an append sends the earlier "
            "lines back as they were typed (else Ogust escapes them again: &amp;#039;); an appended line "
            "is recognised by its mark [r:…] either way, so a redelivery appends nothing"
        )
    elif report.recommended.text_escaping == "html":
        report.recommended = replace(report.recommended, text_escaping="none")
        fixes.append("set OGUST_TEXT_ESCAPING=none (recommended below): this account stores text as sent")
    cut = len(back) < len(long_text) and long_text.startswith(back[: min(len(back), 20)])
    if cut:
        notes.append(f"cut at {len(back)} characters")
        fixes.append(
            f"Ogust keeps {len(back)} characters of a comment: lines appended beyond that are lost "
            "(each line's mark is at its start, so a redelivery still appends nothing)"
        )
    verdict: Verdict = "warning" if changed or cut or fixes else "ok"
    summary = (
        f"the comment came back as sent (quotes, &, <, emoji, line break, {len(long_text)} characters)"
        if verdict == "ok"
        else "the comment came back changed: " + "; ".join(notes)
    )
    report.add(Check("text-storage", verdict, summary, fixes, details))


def check_map_outputs(
    client: OgustClient, form: FormMapping, id_customer: str, sent: dict[Target, str], report: Report
) -> None:
    """`map-outputs`: every value a `map` step can write, sent to the test customer and read back."""
    tried: list[dict[str, str]] = []
    for target, rule in sorted(form.rules.items()):
        if target.part != "customer" or not any(step.name == "map" for step in rule.steps):
            continue
        for value in dict.fromkeys(constants(rule)):
            if value == sent.get(target):
                continue  # already sent by the create
            try:
                client.set_customer({"id_customer": id_customer, target.name: value})
                record = client.get_customer(id_customer)
                back = record.value(target) if record is not None else ""
                result = "same" if back.strip() == value.strip() else f"came back as {back!r}"
            except OgustError as exc:
                result = f"refused: «{exc.ogust_message or exc}»"
            tried.append({"field": target.label, "value": value, "result": result})
    if not tried:
        report.add(Check("map-outputs", "skipped", f"form {form.label}: no `map` output left to try"))
        return
    refused = [t for t in tried if t["result"].startswith("refused")]
    other = [t for t in tried if t["result"].startswith("came back")]
    verdict: Verdict = "failed" if refused else "warning" if other else "ok"
    summary = "; ".join(f"{t['field']} {t['value']!r}: {t['result']}" for t in tried)
    fixes = [
        f"{t['field']}: {t['value']!r} is not accepted by this account: "
        "change the `map` step to one of its codes"
        for t in refused
    ]
    fixes += [
        f"{t['field']}: Ogust keeps another value than {t['value']!r}: every update will rewrite it"
        for t in other
    ]
    report.add(Check("map-outputs", verdict, summary, fixes, {"tried": tried}))


def check_custom_store(
    client: OgustClient, form: FormMapping, id_customer: str, seen_codes: list[str], report: Report
) -> None:
    """`custom-store`: two codes written, then one alone: is the other kept (merge) or wiped (replace)?"""
    codes = list(dict.fromkeys([*form.custom_fields, *seen_codes]))[:2]
    if len(codes) < 2:
        report.add(
            Check(
                "custom-store",
                "unknown",
                "fewer than two custom field codes known: whether Ogust merges or replaces a set is "
                "not known (the function writes the full set anyway)",
            )
        )
        return
    first, second = codes
    try:
        client.set_third_party_informations(
            CUSTOMER_THIRD_PARTY, id_customer, {first: "TEST 1", second: "TEST 2"}
        )
        client.set_third_party_informations(CUSTOMER_THIRD_PARTY, id_customer, {first: "TEST 3"})
        values = client.get_third_party_informations(CUSTOMER_THIRD_PARTY, id_customer)
    except OgustError as exc:
        report.add(Check("custom-store", "failed", f"custom fields refused: «{exc.ogust_message or exc}»"))
        return
    details = {"codes": codes, "after": {c: values.get(c) for c in codes}}
    if values.get(second) == "TEST 2":
        summary = f"Ogust merges a partial set of custom fields ({second} kept when only {first} was sent)"
    else:
        summary = (
            f"Ogust replaces the whole set of custom fields with what it is sent ({second} wiped when only "
            f"{first} was sent): the function always sends the full set, what Ogust holds plus the changes"
        )
    report.add(Check("custom-store", "ok", summary, details=details))
