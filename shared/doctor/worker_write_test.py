"""`doctor --write-test` for an `entity: employee` form: create ONE clearly named test candidate
from the mapping's create fields, read it back (did Ogust give it a staff number?), write and read
back its custom fields under the form's `third_party` code as the customer's write test does, then
remove it with `remEmployee`, which customers lack (docs/ogust-api.md §3d)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.doctor.report import Check, Report, Verdict
from shared.doctor.write_test import TEST_NAME, customer_fields, missing_field, sample_values
from shared.errors import OgustError, OgustRejectedError, OgustUnavailableError
from shared.mapping import FormMapping
from shared.ogust import OgustClient


def run_worker_write_test(client: OgustClient, form: FormMapping, report: Report, now: datetime) -> None:
    """One `write-test` check: created or refused (naming the missing field), the staff number, removed."""
    last_name = f"{TEST_NAME} {now:%Y-%m-%d %H:%M}"
    values = sample_values(client, form, last_name, now)
    fields = customer_fields(values)
    try:
        id_employee = client.set_employee(fields)
    except OgustRejectedError as exc:
        message = exc.ogust_message or str(exc)
        found = missing_field(message)
        fix = (
            [f"map the field Ogust asks for ({found[0]}) under fields, or give it under on_create"]
            if found
            else ["read Ogust's message: the mapping's create fields are refused"]
        )
        summary = f"Ogust refused the test candidate: {message}"
        details: dict[str, Any] = {"numberRequired": found is not None and found[0] == "number"}
        if details["numberRequired"]:
            # The one field a constant cannot fill: each worker's staff number is its own.
            summary += "; the account requires a staff number on create and does not make one"
            fix = [
                "map a question to `number` (each candidate's own staff number), or have Ogust's "
                "settings make the number automatic or optional for workers"
            ]
        report.add(Check("write-test", "failed", summary, fix, details))
        return
    except OgustUnavailableError as exc:
        report.add(
            Check(
                "write-test",
                "failed",
                f"Ogust did not answer the create ({exc}); it MAY have created the test candidate",
                [f"search Ogust's workers for '{TEST_NAME}' and remove what you find; run again later"],
            )
        )
        return
    except OgustError as exc:
        report.add(Check("write-test", "failed", f"the create failed: {exc}"))
        return
    record = client.get_employee(id_employee)
    held = dict(record.fields) if record is not None else {}
    number = held.get("number", "").strip()
    details = {
        "numberRequired": False,
        "id": id_employee,
        "lastName": last_name,
        "nature": held.get("nature", ""),
        "number": number,
        "numberMadeByOgust": bool(number),
    }
    parts = [f"a test candidate was created (#{id_employee}, nature {held.get('nature') or '(none)'})"]
    fixes: list[str] = []
    verdict: Verdict = "ok"
    if number:
        parts.append(f"Ogust gave it the staff number {number}")
    else:
        verdict = "warning"
        parts.append("Ogust gave it no staff number")
        fixes.append("the account may need one: give `number` under the form's fields or on_create")
    custom = {t.name: v for t, v in values.items() if t.part == "custom"}
    if custom:
        verdict = _worst(verdict, _custom_fields(client, form, id_employee, custom, parts, fixes, details))
    try:
        client.rem_employee(id_employee)
        removed = client.get_employee(id_employee) is None
    except OgustError as exc:
        removed = False
        fixes.append(f"remove the worker '{last_name}' (#{id_employee}) by hand: remEmployee answered {exc}")
    details["removed"] = removed
    if removed:
        parts.append("then removed with remEmployee")
    else:
        verdict = _worst(verdict, "warning")
        parts.append("and is still there")
        if not any("by hand" in fix for fix in fixes):
            fixes.append(f"remEmployee archives rather than deletes: remove '{last_name}' by hand")
    report.add(Check("write-test", verdict, "; ".join(parts), fixes, details))


def _custom_fields(
    client: OgustClient,
    form: FormMapping,
    id_employee: str,
    custom: dict[str, str],
    parts: list[str],
    fixes: list[str],
    details: dict[str, Any],
) -> Verdict:
    """Write the form's custom fields on the test candidate under its `third_party` code and read
    them back: the code a delivery would use, proven by a write (worker-custom-fields only reads)."""
    code = form.third_party_code
    details.update(thirdParty=code, customFields=sorted(custom))
    try:
        client.set_third_party_informations(code, id_employee, custom)
        back = client.get_third_party_informations(code, id_employee)
    except OgustError as exc:
        details["customFieldsBack"] = "refused"
        parts.append(f"its custom fields were refused under third_party {code}: «{exc.ogust_message or exc}»")
        fixes.append(
            f"check the custom field codes under custom_fields: and the form's third_party: {code} "
            "(see worker-custom-fields)"
        )
        return "failed"
    different = sorted(name for name, value in custom.items() if back.get(name, "").strip() != value.strip())
    details["customFieldsBack"] = "different" if different else "same"
    if different:
        parts.append(f"its custom field(s) {', '.join(different)} came back otherwise than sent")
        fixes.append(f"check the custom field code(s) {', '.join(different)} in Ogust's settings")
        return "warning"
    parts.append(f"its custom field(s) {', '.join(sorted(custom))} read back as sent (third_party: {code})")
    return "ok"


def _worst(first: Verdict, second: Verdict) -> Verdict:
    order: list[Verdict] = ["ok", "unknown", "warning", "failed"]
    return max(first, second, key=order.index)
