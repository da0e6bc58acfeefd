"""`dead-letters list|replay` and `backfill`: operate queue mode, and send old responses through
the same path as live ones.

Settings come from the environment, like the function's: GOOGLE_CLOUD_PROJECT, SUBMISSIONS_TOPIC,
DEAD_LETTER_SUBSCRIPTION (Pub/Sub; PUBSUB_EMULATOR_HOST is honoured), MAPPING_FILE, and for a
direct backfill OGUST_API_URL with OGUST_PUBLIC_KEY/OGUST_PRIVATE_KEY or OGUST_KEYS_SECRET.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from cli.exits import EXIT_PROBLEMS, fail
from shared.config import tool_ogust_client
from shared.delivery import PubSubPublisher, subscription_path, topic_path
from shared.delivery.backfill import (
    DEFAULT_RATE,
    DEFAULT_WORKERS,
    RateLimitedTransport,
    RateLimiter,
    StateFile,
    direct_sink,
    dry_run_sink,
    publish_sink,
    run_backfill,
    write_failed,
)
from shared.delivery.dead_letters import DEFAULT_PULL_WAIT, DeadLetter, DeadLetterBox, replay
from shared.delivery.sources import (
    Row,
    read_csv_export,
    read_forms_api_export,
)
from shared.errors import FormsToOgustError
from shared.mapping import MappingFile, load_mapping
from shared.mapping.form import read_form_description
from shared.ogust import OgustClient


def _env(name: str, given: str | None = None) -> str:
    value = (given or os.environ.get(name, "")).strip()
    if not value:
        fail(f"set {name} (or pass it as an option)")
    return value


def _project(given: str | None) -> str | None:
    return (given or os.environ.get("GOOGLE_CLOUD_PROJECT", "")).strip() or None


# ── dead letters ────────────────────────────────────────────────────────────────────────────────


@click.group("dead-letters")
def dead_letters() -> None:
    """Submissions parked on the dead-letter subscription: see why, send them back once fixed."""


_subscription_option = click.option(
    "--subscription", help="Dead-letter subscription (default: $DEAD_LETTER_SUBSCRIPTION)."
)
_project_option = click.option("--project", help="Google Cloud project (default: $GOOGLE_CLOUD_PROJECT).")
_wait_option = click.option(
    "--wait",
    type=click.FloatRange(min=0.5),
    default=DEFAULT_PULL_WAIT,
    show_default=True,
    help="Seconds to wait for more parked messages before the listing is taken as complete.",
)


def _box(subscription: str | None, project: str | None, wait: float) -> DeadLetterBox:
    name = _env("DEAD_LETTER_SUBSCRIPTION", subscription)
    try:
        return DeadLetterBox(subscription_path(_project(project), name), pull_wait=wait)
    except FormsToOgustError as exc:
        fail(str(exc))


def _pull(box: DeadLetterBox) -> list[DeadLetter]:
    try:
        return box.pull_all()
    except FormsToOgustError as exc:
        fail(str(exc))


@dead_letters.command("list")
@_subscription_option
@_project_option
@_wait_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def list_command(subscription: str | None, project: str | None, wait: float, as_json: bool) -> None:
    """Show every parked submission and why it was parked (nothing is removed)."""
    box = _box(subscription, project, wait)
    letters = _pull(box)
    box.release(letters)
    rows = [letter.summary() for letter in letters]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("no dead letters")
        return
    for row in rows:
        where = ", ".join(filter(None, (row["field"] and f"field {row['field']}", row["question"])))
        click.echo(
            f"{row['responseId'] or row['messageId']}  {row['failedAt']}  {row['errorType']}"
            + (f"  [{where}]" if where else "")
        )
        click.echo(f"    {row['reason']}")
    click.echo(f"{len(rows)} dead letter(s)")


@dead_letters.command("replay")
@click.option("--id", "ids", multiple=True, help="Response id (or message id) to replay; repeatable.")
@click.option("--all", "replay_all", is_flag=True, help="Replay every parked submission.")
@click.option("--dry-run", is_flag=True, help="Show what would be replayed; change nothing.")
@click.option("--topic", help="Submissions topic (default: $SUBMISSIONS_TOPIC).")
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The fixed mapping, for the ordering key (default: $MAPPING_FILE, if set).",
)
@_subscription_option
@_project_option
@_wait_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def replay_command(
    ids: tuple[str, ...],
    replay_all: bool,
    dry_run: bool,
    topic: str | None,
    mapping: Path | None,
    subscription: str | None,
    project: str | None,
    wait: float,
    as_json: bool,
) -> None:
    """Send parked submissions back through the normal path (after the mapping or data was fixed).

    Each one is removed from the dead letters only once Pub/Sub confirmed its republish.
    """
    if bool(ids) == replay_all:
        fail("give --id ID (one or more) or --all", 2)
    topic_name = _env("SUBMISSIONS_TOPIC", topic)
    mapping_file = mapping or (Path(os.environ["MAPPING_FILE"]) if os.environ.get("MAPPING_FILE") else None)
    try:
        the_mapping = load_mapping(mapping_file) if mapping_file else None
        target = topic_path(_project(project), topic_name)
    except FormsToOgustError as exc:
        fail(str(exc))
    box = _box(subscription, project, wait)
    letters = _pull(box)
    wanted = set(ids)
    chosen = [lt for lt in letters if replay_all or lt.response_id in wanted or lt.message_id in wanted]
    box.release([lt for lt in letters if lt not in chosen])
    missing = sorted(wanted - {lt.response_id for lt in chosen} - {lt.message_id for lt in chosen})
    if dry_run:
        box.release(chosen)
        report: list[dict[str, Any]] = [{**lt.summary(), "replay": "would replay"} for lt in chosen]
    else:
        results = replay(chosen, box, PubSubPublisher(), target, the_mapping)
        report = [
            {**r.letter.summary(), "replay": "replayed" if r.message_id else "failed", "error": r.error}
            for r in results
        ]
    failed = [r for r in report if r["replay"] == "failed"]
    if as_json:
        click.echo(json.dumps({"replayed": report, "notFound": missing}, ensure_ascii=False, indent=2))
    else:
        for r in report:
            click.echo(
                f"{r['replay']:>13}  {r['responseId'] or r['messageId']}"
                + (f"  {r['error']}" if r.get("error") else "")
            )
        for m in missing:
            click.echo(f"{'not found':>13}  {m}")
        verb = "would replay" if dry_run else "replayed"
        click.echo(f"{len(report) - len(failed)} {verb}, {len(failed)} failed, {len(missing)} not found")
    if failed or missing:
        sys.exit(EXIT_PROBLEMS)


# ── backfill ────────────────────────────────────────────────────────────────────────────────────


@click.command("backfill")
@click.argument("mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "forms-api"]),
    help="csv: the response sheet exported as CSV; forms-api: a responses.list JSON export "
    "(default: from the file's extension).",
)
@click.option(
    "--form",
    "form_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Form description (Forms API forms.get JSON or Apps Script exportFormDescription()): "
    "question titles for a Forms API export, and the form id.",
)
@click.option("--form-id", help="Form id of the responses (default: --form's, or the mapping's only form).")
@click.option(
    "--rate",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_RATE,
    show_default=True,
    help="At most this many Ogust requests per second, across all workers.",
)
@click.option("--workers", type=click.IntRange(min=1, max=64), default=DEFAULT_WORKERS, show_default=True)
@click.option(
    "--state",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File of the response ids already done, for resuming (default: FILE.backfill-state).",
)
@click.option(
    "--failed",
    "failed_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the failed rows as CSV (default: FILE.failed.csv, only if any failed).",
)
@click.option("--publish", is_flag=True, help="Queue on $SUBMISSIONS_TOPIC instead of writing to Ogust.")
@click.option("--dry-run", is_flag=True, help="Read, plan and search only: write nothing, record nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def backfill(
    mapping: Path,
    file: Path,
    fmt: str | None,
    form_path: Path | None,
    form_id: str | None,
    rate: float,
    workers: int,
    state: Path | None,
    failed_path: Path | None,
    publish: bool,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Send old responses of FILE through the same path as live ones, with MAPPING.

    Idempotent (a second run creates nothing), resumable (--state), rate-limited (--rate).
    """
    try:
        the_mapping = load_mapping(mapping)
        form = read_form_description(form_path) if form_path else None
        the_form_id = form_id or (form.form_id if form else "") or _only_form(the_mapping)
        rows = _rows(file, fmt, form, the_form_id)
    except FormsToOgustError as exc:
        fail(str(exc))
    state_file = None if dry_run else StateFile(state or file.with_name(file.name + ".backfill-state"))
    ogust: OgustClient | None = None
    try:
        if publish:
            target = topic_path(_project(None), _env("SUBMISSIONS_TOPIC"))
            sink = publish_sink(the_mapping, PubSubPublisher(), target, dry_run=dry_run)
        else:
            ogust = _ogust(rate)
            sink = (dry_run_sink if dry_run else direct_sink)(the_mapping, ogust)
        with click.progressbar(length=len(rows), label="backfill", file=sys.stderr) as bar:
            report = run_backfill(
                rows, the_mapping, sink, workers=workers, state=state_file, on_progress=bar.update
            )
    except FormsToOgustError as exc:
        fail(str(exc))
    finally:
        if ogust is not None:
            ogust.close()
    summary = report.summary()
    failed_file = None
    if report.failed:
        failed_file = failed_path or file.with_name(file.name + ".failed.csv")
        write_failed(failed_file, report.failed)
    if as_json:
        click.echo(
            json.dumps(
                {**summary, "dryRun": dry_run, "failedFile": str(failed_file) if failed_file else None},
                ensure_ascii=False,
            )
        )
    else:
        prefix = "dry run (nothing written): " if dry_run else ""
        click.echo(prefix + ", ".join(f"{n} {k}" for k, n in summary.items()))
        if failed_file:
            click.echo(f"failed rows and reasons: {failed_file}")
    if report.failed:
        sys.exit(EXIT_PROBLEMS)


def _only_form(mapping: MappingFile) -> str:
    if len(mapping.forms) == 1:
        return mapping.forms[0].form_id
    fail("the mapping has several forms: say which one with --form-id or --form", 2)


def _rows(file: Path, fmt: str | None, form: Any, form_id: str) -> list[Row]:
    kind = fmt or ("forms-api" if file.suffix.lower() == ".json" else "csv")
    if kind == "csv":
        return list(read_csv_export(file, form_id))
    return list(read_forms_api_export(file, form, form_id))


def _ogust(rate: float) -> OgustClient:
    """The Ogust client of a direct backfill: keys like the function's, every request rate-limited."""
    return tool_ogust_client(transport=RateLimitedTransport(RateLimiter(rate)))
