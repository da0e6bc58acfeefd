"""The doctor's findings: one verdict per check, what to set, and how they print (text or JSON)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from shared.config import OgustOptions
from shared.errors import EXIT_CANNOT_RUN, EXIT_PROBLEMS

Verdict = Literal["ok", "warning", "failed", "unknown", "skipped"]
"""ok: fine as configured; warning: runs, but read the advice; failed: the mapping cannot run on
this account as configured; unknown: the probe could not run on this account (no customer to
probe, say), so nothing is recommended from it and the verdict lists it as unverified; skipped: not
asked for, or an earlier check failed."""

UNVERIFIED_SETTINGS = {"page-size": "OGUST_PAGE_SIZE"}
"""The setting a check measures: left out of the recommended settings when the check is unknown."""

TERRAFORM_VARIABLES = {
    "OGUST_BODY_ENCODING": "ogust_body_encoding",
    "OGUST_TOKEN_TIMEZONE": "ogust_token_timezone",
    "OGUST_PAGE_SIZE": "ogust_page_size",
    "OGUST_TOKEN_ERROR_PATTERN": "ogust_token_error_pattern",
    "OGUST_SEARCH_STATUS": "ogust_search_status",
    "OGUST_IGNORED_FILTERS": "ogust_ignored_filters",
    "OGUST_ACCEPT_FULL_SCAN": "ogust_accept_full_scan",
    "OGUST_TEXT_ESCAPING": "ogust_text_escaping",
}
"""The Terraform variable proposed for each setting; printed only for those infra/terraform defines."""


@dataclass
class Check:
    """One probe's verdict, in a sentence, with what it saw and what to do."""

    id: str
    verdict: Verdict
    summary: str
    fix: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The check as JSON-ready data."""
        return {
            "id": self.id,
            "verdict": self.verdict,
            "summary": self.summary,
            "fix": self.fix,
            "details": self.details,
        }


@dataclass
class Report:
    """Every check, the settings that work on this account, and the write test's account."""

    current: OgustOptions
    recommended: OgustOptions
    checks: list[Check] = field(default_factory=list)
    could_not_run: str | None = None
    test_customer: dict[str, Any] | None = None
    terraform_variables: list[str] = field(default_factory=list)
    """The TERRAFORM_VARIABLES values infra/terraform/variables.tf declares (if it was found)."""

    def add(self, check: Check) -> Check:
        """Record a check and return it."""
        self.checks.append(check)
        return check

    def verdict(self, check_id: str) -> Verdict | None:
        """The verdict of the check `check_id`, if it ran."""
        return next((c.verdict for c in self.checks if c.id == check_id), None)

    @property
    def ok(self) -> bool:
        """Whether the mapping can run on this account (no failed check, nothing prevented the run)."""
        return self.could_not_run is None and all(c.verdict != "failed" for c in self.checks)

    @property
    def exit_code(self) -> int:
        """0 when it can run, 1 when problems were found, 3 when the doctor could not run."""
        if self.could_not_run is not None:
            return EXIT_CANNOT_RUN
        return 0 if self.ok else EXIT_PROBLEMS

    @property
    def unverified(self) -> list[str]:
        """The checks that could not run on this account: what a first real run still has to show."""
        return [c.id for c in self.checks if c.verdict == "unknown"]

    def settings(self) -> dict[str, str]:
        """The recommended environment (ready to paste), without a setting whose probe is unknown."""
        unverified = {UNVERIFIED_SETTINGS[c] for c in self.unverified if c in UNVERIFIED_SETTINGS}
        return {k: v for k, v in self.recommended.as_env().items() if k not in unverified}

    def changed_settings(self) -> dict[str, str]:
        """The recommended values that differ from the current configuration."""
        current = self.current.as_env()
        return {k: v for k, v in self.settings().items() if current.get(k) != v}

    def as_json(self) -> dict[str, Any]:
        """The whole report as JSON-ready data (no key, no token)."""
        terraform = {
            TERRAFORM_VARIABLES[name]: value
            for name, value in self.settings().items()
            if TERRAFORM_VARIABLES[name] in self.terraform_variables
        }
        return {
            "ok": self.ok,
            "exitCode": self.exit_code,
            "couldNotRun": self.could_not_run,
            "checks": [c.as_json() for c in self.checks],
            "settings": self.settings(),
            "changedSettings": self.changed_settings(),
            "terraform": terraform,
            "testCustomer": self.test_customer,
            "unverified": self.unverified,
        }

    def lines(self) -> list[str]:
        """The report for a person: one line per check, its fixes, then the settings to paste."""
        out: list[str] = []
        width = max((len(c.id) for c in self.checks), default=8)
        for check in self.checks:
            out.append(f"{check.verdict:<8} {check.id:<{width}}  {check.summary}")
            out.extend(f"{'':<8} {'':<{width}}  fix: {fix}" for fix in check.fix)
        if self.could_not_run:
            out.append(f"could not run: {self.could_not_run}")
            return out
        out.append("")
        changed = self.changed_settings()
        title = "Recommended settings" + (" (changed: " + ", ".join(changed) + ")" if changed else "")
        out.append(title + ", ready to paste into the environment (or .env):")
        out.extend(f"{name}={_shell(value)}" for name, value in self.settings().items())
        left_out = sorted(UNVERIFIED_SETTINGS[c] for c in self.unverified if c in UNVERIFIED_SETTINGS)
        if left_out:
            out.append(f"(not measured on this account, no advice: {', '.join(left_out)})")
        declared = [n for n in self.settings() if TERRAFORM_VARIABLES[n] in self.terraform_variables]
        if declared:
            out.append("")
            out.append("terraform.tfvars:")
            out.extend(f"{TERRAFORM_VARIABLES[n]} = {_hcl(self.settings()[n])}" for n in declared)
        else:
            out.append(
                "(Terraform: no variable for these settings in infra/terraform yet; proposed names: "
                + ", ".join(TERRAFORM_VARIABLES.values())
                + ")"
            )
        if self.test_customer:
            out.append("")
            out.append(
                f"Test customer #{self.test_customer['id']} ({self.test_customer['lastName']}): remove it in "
                "Ogust's web interface (customer page); the API has no customer delete we know of."
            )
        out.append("")
        if self.unverified:
            out.append(
                "unverified (could not be probed on this account; the first real answers will tell): "
                + ", ".join(self.unverified)
            )
        if not self.ok:
            out.append("problems found: see 'failed' above")
        elif self.unverified:
            out.append("ok so far: nothing failed, but the checks above marked 'unknown' are unverified")
        else:
            out.append("ok: the mapping can run on this account")
        return out


def _shell(value: str) -> str:
    """A value a POSIX shell and a .env file read back unchanged."""
    if all(ch.isalnum() or ch in "-_./:" for ch in value):
        return value  # empty included: NAME= sets it empty
    return "'" + value.replace("'", "'\\''") + "'"


def _hcl(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("${", "$${")
    return f'"{escaped}"'
