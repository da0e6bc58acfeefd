"""The account's workers, read only: the natures in use with the prefix of their staff numbers
(Candidat `CA…`, Salarié `SA…`, Ogust's help), their statuses, and the nature each employee form
writes on create, checked against them (docs/ogust-api.md §3d: the API code of Candidat is not
public); whether workers carry a staff number (read-only, this can only show that a number is not
required; `--write-test` proves whether Ogust makes it); and the `third_party` code of workers'
custom fields, found by reading an existing worker's with each candidate code."""

from __future__ import annotations

from collections import Counter
from typing import Any

from shared.doctor.codes import code_prefix
from shared.doctor.mapping_checks import constants
from shared.doctor.report import Check, Report, Verdict
from shared.mapping import FormMapping
from shared.ogust import ENTITY_FIELDS, OgustWire, Target

CANDIDATE_PREFIX = "CA"
WORKERS_READ = 100
"""Workers read (one searchEmployee page), never filtered on nature or status: a search with
`nature=S` sees no candidate."""
THIRD_PARTY_CANDIDATES = (ENTITY_FIELDS["employee"].third_party, "E", "I")
"""Codes tried for workers' custom fields, after the mapping's own: S (salarié, the product's
default), E (employee), I (intervenant). None was seen in public code (docs/ogust-api.md §3d)."""
CUSTOM_PAGE = {"nbperpage": 10, "pagenum": 1}
"""What every public getThirdPartyInformations call sends."""


def natures_of(records: list[dict[str, Any]]) -> dict[str, Counter[str]]:
    """nature → how many of its workers have each staff-number prefix."""
    natures: dict[str, Counter[str]] = {}
    for record in records:
        nature = str(record.get("nature") or "").strip()
        if nature:
            natures.setdefault(nature, Counter())[code_prefix(str(record.get("number") or ""))] += 1
    return natures


def check_workers(raw: OgustWire, forms: list[FormMapping], report: Report) -> None:
    """One `workers` check, for a mapping with an `entity: employee` form."""
    employee_forms = [form for form in forms if form.entity == "employee"]
    if not employee_forms:
        return
    written = {
        value
        for form in employee_forms
        for target, rule in form.rules.items()
        if target == Target("customer", "nature")
        for value in constants(rule)
    }
    answer = raw.call("searchEmployee", {"nbperpage": WORKERS_READ, "pagenum": 1})
    if not answer.ok:
        report.add(
            Check(
                "workers",
                "warning",
                f"searchEmployee answered: {answer.message}; the natures of workers could not be read",
                ["check that the API keys may read workers (intervenants) in Ogust"],
            )
        )
        return
    records, count = answer.page("array_employee")
    natures = natures_of(records)
    statuses = Counter(
        str(r.get("status") or "").strip() for r in records if str(r.get("status") or "").strip()
    )
    candidate = [n for n, prefixes in natures.items() if set(prefixes) == {CANDIDATE_PREFIX}]
    details: dict[str, Any] = {
        "workersRead": len(records),
        "workersCount": count,
        "natures": {n: dict(p) for n, p in natures.items()},
        "statuses": dict(statuses),
        "candidateNature": candidate[0] if len(candidate) == 1 else None,
        "natureWritten": sorted(written),
    }
    if not natures:
        report.add(
            Check(
                "workers",
                "unknown",
                "no worker to read the natures from: the code of Candidat is not known "
                f"(the mapping writes {', '.join(sorted(written)) or 'no nature'})",
                ["create one candidate in Ogust's screens, then run the doctor again"],
                details,
            )
        )
        check_worker_numbers(records, report)
        check_worker_custom_fields(raw, records, employee_forms, report)
        return
    seen = ", ".join(
        f"{n} ({', '.join(f'{k}× {p}…' for p, k in prefixes.most_common())})"
        for n, prefixes in sorted(natures.items())
    )
    summary = f"natures in use: {seen}; statuses: {', '.join(sorted(statuses)) or 'none'}"
    fixes = []
    verdict: Verdict = "ok"
    if len(candidate) == 1:
        summary += f"; candidates: nature {candidate[0]} (numbers {CANDIDATE_PREFIX}…)"
        if written and written != {candidate[0]}:
            verdict = "warning"
            fixes.append(f"an employee form creating candidates: on_create: {{nature: {candidate[0]}}}")
    else:
        verdict = "unknown"
        summary += f"; candidates: could not tell (no nature whose numbers all start with {CANDIDATE_PREFIX})"
    if not written:
        verdict = "warning"
        fixes.append("set the nature a new worker gets: on_create: {nature: <the code of Candidat>}")
    elif not written <= set(natures):
        verdict = "warning"
        unknown = ", ".join(sorted(written - set(natures)))
        fixes.append(f"the mapping writes nature {unknown}, which no worker read has: check the code")
    report.add(Check("workers", verdict, summary + f" (over {len(records)} worker(s))", fixes, details))
    check_worker_numbers(records, report)
    check_worker_custom_fields(raw, records, employee_forms, report)


def check_worker_numbers(records: list[dict[str, Any]], report: Report) -> None:
    """`worker-numbers`: what the staff numbers of existing workers say of the create. A worker
    without one proves the account does not (always) require it; every worker having one cannot
    tell whether Ogust made them or the office typed them: `--write-test` creates one without."""
    without = [r for r in records if not str(r.get("number") or "").strip()]
    details: dict[str, Any] = {"workersRead": len(records), "withoutNumber": len(without)}
    if without:
        details["numberOnCreate"] = "not-required"
        report.add(
            Check(
                "worker-numbers",
                "ok",
                f"{len(without)} of {len(records)} worker(s) have no staff number: the account does not "
                "require one on create (whether Ogust makes one: --write-test)",
                [],
                details,
            )
        )
        return
    details["numberOnCreate"] = "unknown"
    said = (
        f"every one of the {len(records)} worker(s) read has a staff number: Ogust either makes it "
        "or requires it on create, which reading cannot tell"
        if records
        else "no worker to read: whether Ogust makes or requires a staff number is unknown"
    )
    report.add(
        Check(
            "worker-numbers",
            "unknown",
            said,
            [
                "run the doctor with --write-test: it creates one test candidate without a number, "
                "then removes it"
            ],
            details,
        )
    )


def check_worker_custom_fields(
    raw: OgustWire, records: list[dict[str, Any]], forms: list[FormMapping], report: Report
) -> None:
    """`worker-custom-fields`: the `third_party` code under which Ogust reads a worker's custom
    fields, tried on one existing worker with the mapping's code and the usual guesses (reads
    only). Recommended as the form's `third_party:` line when it differs from what the form uses."""
    worker = next((str(r.get("id_employee") or "") for r in records if r.get("id_employee")), "")
    used = sorted({form.third_party_code for form in forms})
    codes = list(dict.fromkeys([*used, *THIRD_PARTY_CANDIDATES]))
    accepted: dict[str, int] = {}
    refused: dict[str, str] = {}
    for code in codes if worker else ():
        answer = raw.call(
            "getThirdPartyInformations", {"third_party": code, "third_party_id": worker, **CUSTOM_PAGE}
        )
        if answer.ok:
            accepted[code] = len(answer.custom_values())
        else:
            refused[code] = answer.message
    details: dict[str, Any] = {
        "worker": worker or None,
        "tried": codes if worker else [],
        "accepted": accepted,
        "refused": refused,
    }
    found = _the_code(accepted)
    details["thirdParty"] = found
    if found is None:
        why = (
            "no worker to read them on"
            if not worker
            else f"Ogust accepted {', '.join(accepted)} alike"
            if accepted
            else f"Ogust refused every code tried ({', '.join(codes)})"
        )
        report.add(
            Check(
                "worker-custom-fields",
                "unknown",
                f"the third_party code of workers' custom fields is unknown: {why}; the mapping uses "
                f"{', '.join(used)}",
                ["ask Ogust's support for the third_party code of an employee's custom fields"]
                if worker
                else ["create one worker in Ogust's screens, then run the doctor again"],
                details,
            )
        )
        return
    wrong = [form for form in forms if form.third_party_code != found]
    summary = f"workers' custom fields are read with third_party: {found} (tried on worker #{worker})"
    fixes = [f"under the form {form.form_id}: third_party: {found}" for form in wrong]
    report.add(Check("worker-custom-fields", "warning" if wrong else "ok", summary, fixes, details))


def _the_code(accepted: dict[str, int]) -> str | None:
    """The one code Ogust accepted, or the one that showed values when several were accepted
    (an account answering every code alike cannot tell): None when it cannot be told."""
    if len(accepted) == 1:
        return next(iter(accepted))
    with_values = [code for code, count in accepted.items() if count]
    return with_values[0] if len(with_values) == 1 else None
