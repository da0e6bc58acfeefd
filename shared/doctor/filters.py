"""Search filters Ogust ignores, told apart from matches: per lookup key, a search for a value
nobody has must come back empty (docs/ogust-api.md: a `mobile_phone` filter on searchCustomer was
never seen in public code)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.doctor.report import Check, Verdict
from shared.ogust import Target

if TYPE_CHECKING:
    from shared.doctor.account import AccountProbe

DEFAULT_KEYS = ("email", "mobile_phone")
"""The keys probed without a mapping: the lookups the examples use."""

NOBODY_EMAIL = "personne.forms-to-ogust-doctor@example.invalid"
NOBODY_PHONE = "0000000000"
"""Not a French number anyone can have (no 00 prefix exists)."""
NOBODY_TEXT = "ZZZ FORMS-TO-OGUST PERSONNE"


def nobody_value(target: Target) -> str:
    """A value no customer can hold for `target`."""
    if target.is_email:
        return NOBODY_EMAIL
    if target.is_phone:
        return NOBODY_PHONE
    return NOBODY_TEXT


def check_lookup_filters(probe: AccountProbe, keys: list[str]) -> None:
    """One `lookup-filters` check per key: ok (nobody found), failed (ignored or refused); without a
    mapping, the usual keys are probed and a problem is a warning (no lookup uses them yet)."""
    bad: Verdict = "failed" if keys else "warning"
    if probe.account.count == 0:
        # On an empty account every search finds nobody: an ignored filter looks applied.
        probe.report.add(
            Check(
                "lookup-filters",
                "unknown",
                "no customer: a filter Ogust ignores cannot be told from one it applies "
                f"({', '.join(keys or DEFAULT_KEYS)})",
            )
        )
        return
    for key in keys or list(DEFAULT_KEYS):
        target = Target.parse(key)
        value = nobody_value(target)
        answer = probe.search(**{target.name: value}, nbperpage=1, pagenum=1)
        details: dict[str, object] = {"key": key, "probe": value}
        if not answer.ok:
            probe.account.ignored_filters.add(target.name)  # nothing a search by it says can be trusted
            details["refused"] = answer.message
            probe.report.add(
                Check(
                    "lookup-filters",
                    bad,
                    f"Ogust refuses a search by {key}: «{answer.message}»: a lookup by {key} cannot run",
                    [f"remove {key} from the forms' lookup: (look up by e-mail)"],
                    details,
                )
            )
            continue
        records, count = answer.page()
        found = count if count is not None else len(records)
        details["count"] = found
        if found == 0:
            probe.report.add(
                Check(
                    "lookup-filters",
                    "ok",
                    f"{key}: a search for a value nobody has finds nobody (the filter is applied)",
                    details=details,
                )
            )
            continue
        probe.account.ignored_filters.add(target.name)
        ignored = tuple(dict.fromkeys((*probe.options.ignored_filters, target.name)))
        probe.recommend(ignored_filters=ignored)
        summary = (
            f"Ogust ignores the {key} filter: a search for {value!r}, which nobody has, returned "
            f"{found} customer(s)"
        )
        if probe.options.accept_full_scan:
            probe.report.add(
                Check(
                    "lookup-filters",
                    "warning",
                    summary + "; OGUST_ACCEPT_FULL_SCAN=true: each lookup by it reads every customer",
                    [f"look up by e-mail first: a lookup by {key} costs a search of the whole base"],
                    details,
                )
            )
            continue
        probe.report.add(
            Check(
                "lookup-filters",
                bad,
                summary + f"; a lookup by {key} would read every customer, and the function refuses to "
                f"start with it",
                [
                    f"set OGUST_IGNORED_FILTERS={','.join(ignored)} (recommended below) and remove {key} "
                    "from the forms' lookup:",
                    "or set OGUST_ACCEPT_FULL_SCAN=true to accept a search of every customer per lookup "
                    "(still exact: the comparison is ours)",
                ],
                details,
            )
        )
