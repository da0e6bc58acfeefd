"""`backfill`: old responses (a CSV export of the form, or a Forms API export) through the same path
as live ones, straight to Ogust or queued.

Settings come from the environment, like the function's: OGUST_API_URL with OGUST_PUBLIC_KEY and
OGUST_PRIVATE_KEY (or OGUST_KEYS_SECRET), and for --publish GOOGLE_CLOUD_PROJECT and
SUBMISSIONS_TOPIC. Errors go up to `cli.exits.GuardedGroup`.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any, NoReturn

import click

from cli.delivery_command import env_setting, project_setting
from cli.exits import EXIT_PROBLEMS, EXIT_USAGE, fail
from cli.output import echo_findings
from shared.backfill import (
    DATE_ORDERS,
    DEFAULT_RATE,
    DEFAULT_WORKERS,
    Backfill,
    BackfillOptions,
    BackfillReport,
    DateOrder,
    Export,
)
from shared.config import Settings, tool_ogust_client
from shared.delivery import PubSubPublisher, topic_path
from shared.errors import ConfigError
from shared.exactly_once import Guard, guard_from
from shared.lifecycle import AttemptOutcome, Reported
from shared.mapping import (
    Finding,
    FormDescription,
    Report,
    validate,
)

SHOWN_FAILURES = 10
"""Failed rows listed on the terminal; all of them are in the failed-rows file."""

FAILED_SUFFIX = ".failed.csv"
STATE_SUFFIX = ".backfill-state"


def _export_name(file: Path) -> str:
    """The name of the export a file comes from: a failed-rows file (`Réponses.csv.failed.csv`),
    fixed and run again, writes its own failures and keeps its state under the export's names, not
    `Réponses.csv.failed.csv.failed.csv`."""
    name = file.name
    while name.endswith(FAILED_SUFFIX) and len(name) > len(FAILED_SUFFIX):
        name = name.removesuffix(FAILED_SUFFIX)
    return name


@click.command("backfill")
@click.argument("mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "forms-api"]),
    help="csv: the responses downloaded as CSV (French or English); forms-api: a responses.list JSON "
    "export (default: from the file's extension).",
)
@click.option(
    "--form",
    "form_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Form description (the Apps Script's exportFormDescription() or the Forms API forms.get JSON): "
    "checkbox, date, time and grid answers are then read exactly as a live submission has them.",
)
@click.option("--form-id", help="Form id of the responses (default: --form's, or the mapping's only form).")
@click.option(
    "--date-order",
    type=click.Choice(DATE_ORDERS),
    help="How the CSV writes dates: dmy (28/11/2026) or mdy (11/28/2026). Default: French headers mean "
    "dmy; otherwise the file's own dates decide, and a date that reads both ways is refused.",
)
@click.option(
    "--rate",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_RATE,
    show_default=True,
    help="At most this many Ogust requests per second, across all workers.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1, max=64),
    default=DEFAULT_WORKERS,
    show_default=True,
    help="Rows sent at once (never two rows of the same person).",
)
@click.option(
    "--state",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File of the response ids already done, for resuming (default: FILE.backfill-state).",
)
@click.option(
    "--failed",
    "failed_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the failed rows: the rows as exported plus the reasons, ready to fix and "
    "backfill again (default: FILE.failed.csv when some failed; a dry run writes it only if given).",
)
@click.option("--publish", is_flag=True, help="Queue on $SUBMISSIONS_TOPIC instead of writing to Ogust.")
@click.option(
    "--dry-run",
    is_flag=True,
    help="Read Ogust, write nothing: every row is simulated in order (a person's second row updates "
    "the customer the first would create); no state file, no failed-rows file unless --failed.",
)
@click.option(
    "--offline",
    is_flag=True,
    help="Read and plan every row with the mapping, and stop there: no Ogust call, no keys needed, "
    "nothing written but the failed-rows file if --failed is given.",
)
@click.option(
    "--local-ledger",
    is_flag=True,
    help="Keep the ledger and the person's leases in this process instead of the functions' Firestore "
    "(LEDGER=firestore): only when nothing delivers live answers to this Ogust account meanwhile.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary (and warnings) as JSON on stdout.")
def backfill(
    mapping: Path,
    file: Path,
    fmt: str | None,
    form_path: Path | None,
    form_id: str | None,
    date_order: DateOrder | None,
    rate: float,
    workers: int,
    state: Path | None,
    failed_path: Path | None,
    publish: bool,
    dry_run: bool,
    offline: bool,
    local_ledger: bool,
    as_json: bool,
) -> None:
    """Send old responses of FILE through the same path as live ones, with MAPPING.

    Idempotent (a second run creates nothing), resumable (--state), rate-limited (--rate).
    """
    if offline and (publish or dry_run):
        fail("--offline plans only: it goes with neither --publish nor --dry-run", EXIT_USAGE)
    report = validate(_text(mapping), name=str(mapping))
    if report.mapping is None:
        echo_findings(report.errors, err=True)
        sys.exit(EXIT_PROBLEMS)
    form = FormDescription.read(form_path) if form_path else None
    the_form_id = form_id or (form.form_id if form else "") or _only_form(report)
    export = Export.read(file, the_form_id, kind=fmt, form=form, date_order=date_order)
    warnings = _warnings(report, the_form_id, file, export, form)
    missing = [w for w in warnings if w.level == "error"]
    if missing:
        _refuse(missing, as_json)
    guard = None if publish or dry_run or offline else _guard(local_ledger)
    if not as_json:
        echo_findings(warnings, err=True)
    options = BackfillOptions(
        publish=publish,
        dry_run=dry_run,
        offline=offline,
        rate=rate,
        workers=workers,
        state=state or file.with_name(_export_name(file) + STATE_SUFFIX),
    )
    result = _run(report, export, options, guard)
    failed_file = None
    if result.failed and (failed_path or not (dry_run or offline)):
        failed_file = failed_path or file.with_name(_export_name(file) + FAILED_SUFFIX)
        export.write_failed(failed_file, result.failed)
    _print(result, "offline" if offline else "dry run" if dry_run else "", failed_file, warnings, as_json)
    if result.failed:
        sys.exit(EXIT_PROBLEMS)


LOCAL_LEDGER_WARNING = (
    "--local-ledger: this run's ledger and leases are its own; an answer delivered live to the same "
    "Ogust account meanwhile (receiver, worker, reconciler) does not wait for it, and a person "
    "answering now can become two customers: pause live delivery until the backfill is done"
)


def _guard(local_ledger: bool) -> Guard:
    """LEDGER=firestore (with GOOGLE_CLOUD_PROJECT): the deployed functions' own ledger and leases,
    so the backfill never races a live delivery of the same person. A ledger of this process alone
    would not keep a backfilled row and a live answer of one person apart (two customers): it is
    only taken when asked for by name, with a warning."""
    settings = Settings.from_env(os.environ, role="tool")
    if settings.ledger == "firestore":
        return guard_from(settings)
    if not local_ledger:
        raise ConfigError(
            "backfill writes to Ogust beside the live delivery: set LEDGER=firestore with "
            "GOOGLE_CLOUD_PROJECT (and FIRESTORE_DATABASE) to share the functions' ledger and leases, "
            "or queue the rows with --publish; if nothing delivers answers to this Ogust account "
            "meanwhile, say so with --local-ledger"
        )
    click.echo(click.style("warning ", fg="yellow") + LOCAL_LEDGER_WARNING, err=True)
    return guard_from(settings)


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"mapping file {path} is not UTF-8 text: save it as UTF-8") from None


def _only_form(report: Report) -> str:
    assert report.mapping is not None
    if len(report.mapping.forms) == 1:
        return report.mapping.forms[0].form_id
    fail("the mapping has several forms: say which one with --form-id or --form", EXIT_USAGE)


def _warnings(
    report: Report, form_id: str, file: Path, export: Export, form: FormDescription | None
) -> list[Finding]:
    """Mapped questions the file does not have (errors: a field would silently get no value), and
    what the CSV reader could not do (warnings)."""
    fix = "correct the title and run again"
    if export.kind == "csv" and form is None:
        fix += " (a question named by its id only is found with --form, the form's description)"
    found = [
        replace(f, level="error", message=f"{f.message}: nothing was sent; {fix}")
        for f in report.missing_questions(
            form_id, titles=export.titles, item_ids=export.item_ids, source=export.source
        )
    ]
    return found + [Finding("warning", note, str(file)) for note in export.notes]


def _refuse(missing: list[Finding], as_json: bool) -> NoReturn:
    """A mapped question the export lacks: stop before the first row (an old export of a renamed
    question, a title misspelt in the mapping), rather than backfill every row without that field."""
    if as_json:
        click.echo(json.dumps({"errors": [f.as_json() for f in missing]}, ensure_ascii=False))
    else:
        echo_findings(missing, err=True)
    sys.exit(EXIT_PROBLEMS)


def _run(report: Report, export: Export, options: BackfillOptions, guard: Guard | None) -> BackfillReport:
    """Apply the rows as `options` say: planned only, queued, simulated, or straight to Ogust under
    `guard`, with a progress bar on stderr."""
    assert report.mapping is not None
    label = "backfill (offline)" if options.offline else "backfill"
    backfill = Backfill(report.mapping, options, guard=guard, ogust=tool_ogust_client, queue=_queue)
    with backfill, click.progressbar(length=len(export.rows), label=label, file=sys.stderr) as bar:
        return backfill.run(export.rows, on_progress=bar.update)


def _queue() -> tuple[PubSubPublisher, str]:
    """--publish: the submissions topic ($SUBMISSIONS_TOPIC, in $GOOGLE_CLOUD_PROJECT)."""
    target = topic_path(project_setting(None), env_setting("SUBMISSIONS_TOPIC"))
    return PubSubPublisher(), target


PLANNED_ONLY = (Reported.PLANNED, AttemptOutcome.SKIPPED, AttemptOutcome.FAILED)
"""What an offline run can say: it never reaches Ogust, so nothing is created or updated."""


def _print(
    result: BackfillReport, mode: str, failed_file: Path | None, warnings: list[Finding], as_json: bool
) -> None:
    """The summary; `mode` is "dry run", "offline" or empty (a real run)."""
    summary = result.summary()
    if mode == "offline":
        summary = {k: n for k, n in summary.items() if k in PLANNED_ONLY}
    failed = result.failed_in_order()
    if as_json:
        data: dict[str, Any] = {
            **summary,
            "dryRun": bool(mode),
            "offline": mode == "offline",
            "failedFile": str(failed_file) if failed_file else None,
            "failedRows": [
                {"row": r.where, "error": r.error, "field": r.field, "question": r.question} for r in failed
            ],
            "warnings": [w.as_json() for w in warnings],
        }
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    for r in failed[:SHOWN_FAILURES]:
        click.echo(click.style("failed  ", fg="red") + f"{r.where}: {r.error}", err=True)
    if len(result.failed) > SHOWN_FAILURES:
        click.echo(f"… and {len(result.failed) - SHOWN_FAILURES} more failed row(s)", err=True)
    prefixes = {"dry run": "dry run (nothing written): ", "offline": "offline (Ogust not called): "}
    prefix = prefixes.get(mode, "")
    click.echo(prefix + ", ".join(f"{n} {k}" for k, n in summary.items()))
    if failed_file:
        click.echo(f"failed rows, as exported with the reasons: {failed_file}")
