"""`validate` and `preview`: Zapier's "Test and review", without writing anything to Ogust."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from cli.exits import EXIT_PROBLEMS
from cli.output import echo_findings
from shared.config import tool_ogust_client
from shared.engine import prepare
from shared.errors import ConfigError, SubmissionRejected
from shared.mapping import Finding, FormDescription, MappingFile, plan, validate
from shared.ogust import ENTITY_FIELDS
from shared.webhook import parse_submission

USUAL_CREATE_FIELDS = ENTITY_FIELDS["customer"].usual_create


def read_mapping_text(path: Path) -> str:
    """The mapping file's text; a file saved in another encoding is refused in one line."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"mapping file {path} is not UTF-8 text: save it as UTF-8") from None


@click.command("validate")
@click.argument("mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--form",
    "form_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Form description (Apps Script exportFormDescription() or Forms API forms.get JSON).",
)
@click.option(
    "--required",
    metavar="FIELD,…",
    help="The fields your Ogust account refuses a create without, as `forms-to-ogust doctor` found them "
    "(default: the usual ones, " + ", ".join(USUAL_CREATE_FIELDS) + ").",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Machine-readable output: every finding with its file and line."
)
def validate_command(mapping: Path, form_path: Path | None, required: str | None, as_json: bool) -> None:
    """Check MAPPING: every error at once, with its line; with --form, against the form's questions."""
    form = FormDescription.read(form_path) if form_path else None
    needed = [f.strip() for f in required.split(",") if f.strip()] if required else USUAL_CREATE_FIELDS
    report = validate(read_mapping_text(mapping), name=str(mapping), form=form, required_on_create=needed)
    if as_json:
        findings = [f.as_json() for f in report.findings]
        data = {"ok": report.ok, "file": str(mapping), "findings": findings}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        echo_findings(report.errors)
        echo_findings(report.warnings)
        if report.ok and report.mapping is not None:
            count = sum(len(f.fields) + len(f.custom_fields) for f in report.mapping.forms)
            summary = f"{mapping}: valid ({len(report.mapping.forms)} form(s), {count} field(s))"
            click.echo(click.style("ok      ", fg="green", bold=True) + summary)
        else:
            click.echo(f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)")
    if not report.ok:
        sys.exit(EXIT_PROBLEMS)


@click.command("preview")
@click.argument("mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("submission", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--ogust",
    is_flag=True,
    help="Also search Ogust, read only (OGUST_API_URL and the keys: OGUST_PUBLIC_KEY and "
    "OGUST_PRIVATE_KEY, or OGUST_KEYS_SECRET) and show the field-by-field difference with the customer.",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Machine-readable output (warnings with file and line)."
)
def preview_command(mapping: Path, submission: Path, ogust: bool, as_json: bool) -> None:
    """Show what SUBMISSION would write to Ogust with MAPPING; nothing is ever written."""
    report = validate(read_mapping_text(mapping), name=str(mapping))
    if report.mapping is None:
        if as_json:
            findings = [f.as_json() for f in report.findings]
            click.echo(
                json.dumps({"action": "invalid mapping", "findings": findings}, ensure_ascii=False, indent=2)
            )
        else:
            echo_findings(report.errors, err=True)
        sys.exit(EXIT_PROBLEMS)
    sub = parse_submission(submission.read_bytes())
    warnings = report.missing_questions(
        sub.form_id,
        titles=[a.title for a in sub.answers],
        item_ids=[a.item_id for a in sub.answers],
        source=f"the submission {submission.name} (an unanswered choice question is left out too)",
    )
    if not as_json:
        echo_findings(warnings, err=True)
    try:
        result = _preview_with_ogust(report.mapping, sub) if ogust else _preview_offline(report.mapping, sub)
    except SubmissionRejected as exc:
        _show_rejection(exc, as_json, warnings)
        sys.exit(EXIT_PROBLEMS)
    if as_json:
        result["warnings"] = [w.as_json() for w in warnings]
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _print_preview(result)


def _preview_offline(mapping: MappingFile, sub: Any) -> dict[str, Any]:
    the_plan = plan(mapping.for_form(sub.form_id), sub)
    rows = [{"field": k, "new": v} for k, v in the_plan.by_label().items()]
    action = "skip" if the_plan.skipped else "create or update"
    return {
        "form": the_plan.form.label,
        "action": action,
        "reason": the_plan.skipped,
        "fields": rows,
        "lookup": [{"field": k.label, "value": v} for k, v in the_plan.lookup],
    }


def _preview_with_ogust(mapping: MappingFile, sub: Any) -> dict[str, Any]:
    with tool_ogust_client() as client:
        preview = prepare(sub, mapping, client)
    record = preview.record
    return {
        "form": preview.plan.form.label,
        "action": preview.action.kind,
        "customerId": record.id if record is not None else None,
        "reason": preview.reason,
        "fields": [row._asdict() for row in preview.differences()],
    }


def _print_preview(result: dict[str, Any]) -> None:
    colours = {"create": "green", "update": "yellow", "unchanged": "blue", "skip": "magenta"}
    headline = f"{result['action'].upper()}"
    if result.get("customerId"):
        headline += f" customer #{result['customerId']}"
    click.echo(
        click.style(headline, fg=colours.get(result["action"], "white"), bold=True) + f"  ({result['form']})"
    )
    if result.get("reason"):
        click.echo(f"  reason: {result['reason']}")
    rows = result["fields"]
    width = max((len(r["field"]) for r in rows), default=5)
    for row in rows:
        name = row["field"].ljust(width)
        if "current" not in row:
            click.echo(f"  {name}  {row['new']}")
        elif row["change"] == "set" and row["current"]:
            click.echo(f"  {name}  " + click.style(f"- {row['current']}", fg="red"))
            click.echo(f"  {' ' * width}  " + click.style(f"+ {row['new']}", fg="green"))
        elif row["change"] == "set":
            click.echo(f"  {name}  " + click.style(f"+ {row['new']}", fg="green"))
        elif row["change"] == "kept":
            click.echo(
                f"  {name}  {row['current']}  "
                + click.style(f"(keeps Ogust's value; form: {row['new']})", dim=True)
            )
        else:
            click.echo(f"  {name}  " + click.style(row["current"], dim=True))
    if "lookup" in result:
        keys = ", ".join(f"{k['field']}={k['value']}" for k in result["lookup"])
        click.echo(f"  lookup: {keys} (add --ogust to see whether this creates or updates)")


def _show_rejection(exc: SubmissionRejected, as_json: bool, warnings: list[Finding]) -> None:
    if as_json:
        click.echo(
            json.dumps(
                {
                    "action": "rejected",
                    "error": str(exc),
                    "field": exc.field,
                    "question": exc.question,
                    "value": exc.value,
                    "warnings": [w.as_json() for w in warnings],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        click.echo(click.style("REJECTED ", fg="red", bold=True) + str(exc))
        if exc.value is not None:
            click.echo(f"  answer given: {exc.value!r}")
