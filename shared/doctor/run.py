"""The doctor's run: account probes, then the mapping's needs, then (if asked) the write test."""

from __future__ import annotations

import sys
from datetime import datetime

import httpx

from shared.config import OgustOptions, Secrets, Settings, ogust_client
from shared.doctor.account import AccountProbe
from shared.doctor.codes import check_codes
from shared.doctor.custom_reads import check_custom_reads
from shared.doctor.mapping_checks import (
    check_create_fields,
    check_custom_fields,
    check_dates,
    check_lists,
    check_returned_fields,
)
from shared.doctor.report import Check, Report
from shared.doctor.worker_write_test import run_worker_write_test
from shared.doctor.workers import check_workers
from shared.doctor.write_test import run_write_test
from shared.errors import FormsToOgustError, OgustError
from shared.mapping import FormMapping, MappingFile
from shared.ogust import PARIS, OgustWire


def diagnose(
    settings: Settings,
    secrets: Secrets,
    options: OgustOptions,
    mapping: MappingFile | None,
    *,
    form_id: str | None = None,
    write_test: bool = False,
    transport: httpx.BaseTransport | None = None,
    terraform_variables: list[str] | None = None,
) -> Report:
    """Every check against the account `settings` and `secrets` reach; reads only unless `write_test`.

    `terraform_variables`: the proposed variables infra/terraform declares (printed as tfvars lines).
    """
    report = Report(current=options, recommended=options, terraform_variables=terraform_variables or [])
    forms = list(mapping.forms) if mapping is not None else []
    if form_id is not None:
        forms = [f for f in forms if f.form_id == form_id]
        if not forms:
            report.could_not_run = f"the mapping has no form {form_id!r}"
            return report
    try:
        raw = OgustWire(
            settings.ogust_api_url,
            secrets.keys(),
            timeout=settings.ogust_timeout,
            encoding=options.body_encoding,
            zone=options.token_timezone,
            transport=transport,
        )
    except FormsToOgustError as exc:
        report.could_not_run = str(exc)
        return report
    try:
        lookup_keys = list(dict.fromkeys(key for form in forms for key in form.lookup))
        account = AccountProbe(raw, report, lookup_keys).run()
        if account is not None:
            check_codes(raw, forms, account, report)
            check_workers(raw, forms, report)
            if any(form.custom_fields for form in forms):
                check_custom_reads(raw, account, report)
        check_create_fields(forms, report, account)
        check_dates(forms, report)
        if report.verdict("token") != "failed" or account is not None:
            check_lists(raw, forms, report)
            check_custom_fields(raw, forms, account, report)
            check_returned_fields(forms, account, report)
    except OgustError as exc:  # no HTTP answer at all, or no token to call with
        report.could_not_run = f"Ogust did not answer: {exc}"
        return report
    finally:
        raw.close()
    if write_test:
        _write_test(settings, secrets, report, forms, transport)
    return report


def _write_test(
    settings: Settings,
    secrets: Secrets,
    report: Report,
    forms: list[FormMapping],
    transport: httpx.BaseTransport | None,
) -> None:
    if not forms:
        report.add(Check("write-test", "skipped", "--write-test needs a mapping (--mapping or MAPPING_FILE)"))
        return
    if report.verdict("search-shape") in (None, "failed"):
        report.add(Check("write-test", "skipped", "the account checks failed: nothing is written"))
        return
    form = forms[0]
    # The write test uses the recommended settings: it checks the mapping, not the old configuration.
    with ogust_client(
        settings, secrets, transport=transport, options=report.recommended, log_stream=sys.stderr
    ) as client:
        try:
            seen: list[str] = next(
                (c.details.get("seen", []) for c in report.checks if c.id == "custom-fields"), []
            )
            if form.entity == "employee":
                run_worker_write_test(client, form, report, datetime.now(PARIS))
            else:
                run_write_test(client, form, report, datetime.now(PARIS), list(seen))
        except FormsToOgustError as exc:
            report.add(Check("write-test", "failed", f"the write test stopped: {exc}"))
