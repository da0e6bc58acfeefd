"""`dead-letters list|replay`: see why submissions were parked in queue mode, send them back.

Settings come from the environment, like the function's: GOOGLE_CLOUD_PROJECT, SUBMISSIONS_TOPIC,
DEAD_LETTER_SUBSCRIPTION (Pub/Sub; PUBSUB_EMULATOR_HOST is honoured) and MAPPING_FILE. Errors go
up to `cli.exits.GuardedGroup`, which prints them in one line with their exit code.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

import cli.lang
from cli.exits import EXIT_PROBLEMS, EXIT_USAGE, fail
from shared.delivery import DeadLetterBox, PubSubPublisher, deduplicated, replay, topic_path
from shared.errors import SubmissionRejected
from shared.lifecycle import AttemptOutcome
from shared.mapping import MappingFile, load_mapping
from shared.ogust import Entity
from shared.tracking import letter_reason, text

DEFAULT_PULL_WAIT = 5.0
"""--wait's default (here and in `status`): seconds one pull of the dead letters may wait for
messages; an empty pull ends the listing."""


def env_setting(name: str, given: str | None = None) -> str:
    """An option, else its environment variable; a clear failure when neither is set."""
    value = (given or os.environ.get(name, "")).strip()
    if not value:
        fail(f"set {name} (or pass it as an option)", EXIT_USAGE)
    return value


def required_settings(*given: tuple[str, str | None]) -> None:
    """Fail naming every (variable, option value) pair that is set neither way: all at once."""
    missing = [name for name, value in given if not (value or os.environ.get(name, "")).strip()]
    if missing:
        fail(
            f"set {' and '.join(missing)} (or pass them as options; `make deploy` writes them to "
            ".forms-to-ogust.env, read from here)",
            EXIT_USAGE,
        )


def project_setting(given: str | None) -> str | None:
    """--project, else GOOGLE_CLOUD_PROJECT (None: the library's own default)."""
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
    name = env_setting("DEAD_LETTER_SUBSCRIPTION", subscription)
    return DeadLetterBox.of(project_setting(project), name, pull_wait=wait)


def _mapping(given: Path | None) -> MappingFile | None:
    """--mapping, else MAPPING_FILE when set; None when neither is."""
    path = given or (Path(os.environ["MAPPING_FILE"]) if os.environ.get("MAPPING_FILE") else None)
    return load_mapping(path) if path else None


def entity_of(mapping: MappingFile | None, form_id: str) -> Entity:
    """What the letter's form writes in Ogust, from the mapping (a job application: a worker, whose
    refusal speaks of the « fiche intervenant »); a letter carries no entity. A customer when no
    mapping is given or it does not know the form (its `default_form` when it has one)."""
    if mapping is None:
        return "customer"
    try:
        return mapping.for_form(form_id).entity
    except SubmissionRejected:
        return "customer"


@dead_letters.command("list")
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The mapping, for the words of each form's record (default: $MAPPING_FILE, if set).",
)
@_subscription_option
@_project_option
@_wait_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@cli.lang.lang_option
def list_command(
    mapping: Path | None, subscription: str | None, project: str | None, wait: float, as_json: bool
) -> None:
    """Show every parked submission and why it was parked (nothing is removed); copies of one
    response and version are one line."""
    box = _box(subscription, project, wait)
    letters = box.pull_all()
    box.release(letters)
    rows = [group[0].summary(copies=len(group)) for group in deduplicated(letters)]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if cli.lang.chosen() == "fr":  # the reasons the agency's tab gives, from the letters' details
        the_mapping = _mapping(mapping)
        for letter in letters:
            click.echo(f"{letter.response_id or letter.message_id}  {letter.summary()['failedAt']}")
            entity = entity_of(the_mapping, letter.form_id)
            click.echo(f"    {letter_reason(letter.attributes, 'fr', entity)}")
        click.echo(text("cli", "letters.count" if letters else "letters.none", "fr").format(n=len(letters)))
        return
    if not rows:
        click.echo("no dead letters")
        return
    for row in rows:
        where = ", ".join(filter(None, (row["field"] and f"field {row['field']}", row["question"])))
        click.echo(
            f"{row['responseId'] or row['messageId']}  {row['failedAt']}  {row['errorType']}"
            + (f"  [{where}]" if where else "")
            + (f"  ({row['copies']} copies)" if row["copies"] > 1 else "")
        )
        click.echo(f"    {row['reason']}")
        if row["customerIds"]:
            click.echo(f"    Ogust customers: {row['customerIds']}")
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
        fail("give --id ID (one or more) or --all", EXIT_USAGE)
    required_settings(("SUBMISSIONS_TOPIC", topic), ("DEAD_LETTER_SUBSCRIPTION", subscription))
    topic_name = env_setting("SUBMISSIONS_TOPIC", topic)
    the_mapping = _mapping(mapping)
    target = topic_path(project_setting(project), topic_name)
    box = _box(subscription, project, wait)
    letters = box.pull_all()
    wanted = set(ids)
    chosen = [lt for lt in letters if replay_all or lt.response_id in wanted or lt.message_id in wanted]
    box.release([lt for lt in letters if lt not in chosen])
    missing = sorted(wanted - {lt.response_id for lt in chosen} - {lt.message_id for lt in chosen})
    if dry_run:
        box.release(chosen)
        report: list[dict[str, Any]] = [
            {**group[0].summary(copies=len(group)), "replay": "would replay"}
            for group in deduplicated(chosen)
        ]
    else:
        results = replay(chosen, box, PubSubPublisher(), target, the_mapping)
        report = [
            {
                **r.letter.summary(copies=1 + len(r.copies)),
                "replay": "replayed" if r.message_id else AttemptOutcome.FAILED,
                "error": r.error,
            }
            for r in results
        ]
    failed = [r for r in report if r["replay"] == AttemptOutcome.FAILED]
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
