"""The account's workers, read only: the natures in use with the prefix of their staff numbers
(Candidat `CA…`, Salarié `SA…`, Ogust's help), their statuses, and the nature each employee form
writes on create, checked against them (docs/ogust-api.md §3d: the API code of Candidat is not
public)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from shared.doctor.codes import code_prefix
from shared.doctor.mapping_checks import constants
from shared.doctor.raw import RawOgust
from shared.doctor.report import Check, Report, Verdict
from shared.mapping import FormMapping
from shared.ogust import Target, search_page

CANDIDATE_PREFIX = "CA"
WORKERS_READ = 100
"""Workers read (one searchEmployee page), never filtered on nature or status: a search with
`nature=S` sees no candidate."""


def natures_of(records: list[dict[str, Any]]) -> dict[str, Counter[str]]:
    """nature → how many of its workers have each staff-number prefix."""
    natures: dict[str, Counter[str]] = {}
    for record in records:
        nature = str(record.get("nature") or "").strip()
        if nature:
            natures.setdefault(nature, Counter())[code_prefix(str(record.get("number") or ""))] += 1
    return natures


def check_workers(raw: RawOgust, forms: list[FormMapping], report: Report) -> None:
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
    records, count = search_page(answer.envelope, "array_employee")
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
