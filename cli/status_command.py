"""`status`: where every answer of a form is — applied (and how), parked in the dead letters (and
why) or pending — and the history of one response. Read only: nothing is acknowledged or written.

Settings come from the environment, like the function's: GOOGLE_CLOUD_PROJECT, LEDGER=firestore
and FIRESTORE_DATABASE (the ledger the worker writes), DEAD_LETTER_SUBSCRIPTION (optional: without
it, parked answers show as pending), MAPPING_FILE (the forms), FORMS_API_ENDPOINT (a local fake;
unset: Google's, with Application Default Credentials that carry the Forms scopes).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

import click

import cli.lang
from cli.delivery_command import DEFAULT_PULL_WAIT
from cli.exits import fail
from cli.output import paris_time
from shared.delivery import DeadLetter, DeadLetterBox, unreadable_attempt, watermarks_in
from shared.errors import ConfigError, FormsToOgustError, policy
from shared.exactly_once import Ledger, LedgerEntry, guard_for, ledger_key
from shared.forms import FormsClient, parse_time
from shared.lifecycle import AttemptOutcome, ResponseState, Settled, settled
from shared.logs import mask
from shared.mapping import FormMapping, MappingFile, load_mapping
from shared.tracking import Standing, letter_reason, text

OUTCOMES: tuple[AttemptOutcome, ...] = (
    AttemptOutcome.CREATED,
    AttemptOutcome.UPDATED,
    AttemptOutcome.UNCHANGED,
    AttemptOutcome.SKIPPED,
)


@dataclass
class Sources:
    """Where status reads from: the mapping, the ledger, the Forms API, the dead letters."""

    mapping: MappingFile
    ledger: Ledger
    forms: FormsClient
    letters: list[DeadLetter] | None
    """None: DEAD_LETTER_SUBSCRIPTION is not set, the dead letters were not looked at."""
    project: str | None
    database: str


@dataclass
class FormStatus:
    """One form's answers, by state."""

    form: FormMapping
    responses: int = 0
    applied: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    parked: list[dict[str, Any]] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    not_in_form: int = 0
    watermark: str | None = None
    error: FormsToOgustError | None = None

    def to_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "formId": self.form.form_id,
            "name": self.form.name,
            "responses": self.responses,
            "applied": {"total": sum(self.applied.values()), **self.applied},
            "deadLettered": self.parked,
            "pending": self.pending,
            "notInForm": self.not_in_form,
            "reconciledUpTo": self.watermark,
        }
        if self.error is not None:
            found["error"] = str(self.error)
        return found


@click.command("status")
@click.argument("response_id", required=False)
@click.option("--form", "form_id", help="Only this form (a form_id of the mapping).")
@click.option(
    "--wait",
    type=click.FloatRange(min=0.5),
    default=DEFAULT_PULL_WAIT,
    show_default=True,
    help="Seconds to wait for more dead letters before the listing is taken as complete.",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@cli.lang.lang_option
def status(response_id: str | None, form_id: str | None, wait: float, as_json: bool) -> None:
    """Per form: answers in the form, applied, dead-lettered (and why), pending. With RESPONSE_ID:
    the history of that one answer (received when, each attempt, outcome, customer)."""
    lang = cli.lang.chosen()
    with _sources(wait) as sources:
        forms = _chosen(sources.mapping, form_id)
        if response_id and lang == "fr" and not as_json:
            _one_fr(sources, forms, response_id)
            return
        if response_id:
            _one(sources, forms, response_id, as_json)
            return
        report = [_form_status(sources, form) for form in forms]
        if as_json:
            click.echo(json.dumps({"forms": [r.to_json() for r in report]}, ensure_ascii=False, indent=2))
        else:
            for item in report:
                if lang == "fr":
                    _print_form_fr(item, sources)
                    continue
                _print_form(item, sources.letters is not None)
        errors = [r.error for r in report if r.error is not None]
        if errors:
            for error in errors:
                click.echo(click.style("error: ", fg="red", bold=True) + str(error), err=True)
            sys.exit(policy(errors[0]).exit_code)


# ── per form ────────────────────────────────────────────────────────────────────────────────────


def _form_status(sources: Sources, form: FormMapping) -> FormStatus:
    result = FormStatus(form)
    try:
        versions = {
            str(r.get("responseId")): parse_time(str(r.get("lastSubmittedTime") or r.get("createTime")))
            for page in sources.forms.response_pages(form.form_id)
            for r in page
        }
        entries = {e.response_id: e for e in sources.ledger.entries(form.form_id)}
        mark = watermarks_in((sources.project, sources.database)).get(form.form_id)
    except FormsToOgustError as exc:
        result.error = exc
        return result
    result.watermark = _iso(mark.at) if mark else None
    letters = {lt.response_id: lt for lt in sources.letters or () if lt.form_id == form.form_id}
    result.responses = len(versions)
    result.not_in_form = len(set(entries) - set(versions))
    for response_id, submitted_at in sorted(versions.items(), key=lambda kv: kv[1]):
        entry = entries.get(response_id)
        state = settled(entry, submitted_at)
        if state in (Settled.APPLIED, Settled.SKIPPED) and entry is not None:
            result.applied[AttemptOutcome.SKIPPED if state == Settled.SKIPPED else outcome_of(entry)] += 1
        elif response_id in letters:
            result.parked.append(letters[response_id].summary())
        elif (unreadable := _unreadable(entry, submitted_at)) is not None:
            result.parked.append(unreadable)
        else:
            result.pending.append(response_id)
    return result


def _unreadable(entry: LedgerEntry | None, submitted_at: datetime | None) -> dict[str, Any] | None:
    """A response the reconciler could not read, parked in the ledger with its reason, shown as a
    dead letter is (it has none: nothing could be queued)."""
    attempt = unreadable_attempt(entry, submitted_at) or unreadable_attempt(entry, None)
    if entry is None or attempt is None:
        return None
    error_type, _, reason = (attempt.error or "").partition(": ")
    return {
        "messageId": "",
        "responseId": entry.response_id,
        "formId": entry.form_id,
        "submittedAt": _iso(attempt.submitted_at) or "",
        "failedAt": _iso(attempt.at),
        "errorType": error_type or AttemptOutcome.UNREADABLE,
        "field": "",
        "question": "",
        "customerIds": "",
        "reason": reason or attempt.error or "",
        "copies": 1,
        "parkedBy": "reconciler",
    }


def outcome_of(entry: LedgerEntry) -> AttemptOutcome:
    """How the response changed Ogust: created if it ever created the customer, else updated if it
    ever changed it, else unchanged (later duplicates and re-deliveries change nothing)."""
    outcomes = {a.outcome for a in entry.history} | {entry.status}
    written = (AttemptOutcome.CREATED, AttemptOutcome.UPDATED)
    return next((o for o in written if o in outcomes), AttemptOutcome.UNCHANGED)


def _print_form(item: FormStatus, letters_read: bool) -> None:
    form = item.form
    click.echo(click.style(f"{form.name or form.form_id} ({form.form_id})", bold=True))
    if item.error is not None:
        click.echo(f"  not readable: {item.error}")
        return
    applied = item.applied
    click.echo(f"  {item.responses:>5} responses in the form")
    click.echo(
        f"  {sum(applied.values()):>5} applied: {applied['created']} created, {applied['updated']} updated, "
        f"{applied['unchanged']} unchanged, {applied['skipped']} skipped"
    )
    click.echo(f"  {len(item.parked):>5} dead-lettered or unreadable" + (":" if item.parked else ""))
    for letter in item.parked:
        where = f" [field {letter['field']}]" if letter.get("field") else ""
        click.echo(f"          {letter['responseId']}  {letter['errorType']}{where}: {letter['reason']}")
    note = "" if letters_read else " (dead letters not read: set DEAD_LETTER_SUBSCRIPTION)"
    click.echo(
        f"  {len(item.pending):>5} pending (neither applied nor parked){note}" + (":" if item.pending else "")
    )
    for response_id in item.pending:
        click.echo(f"          {response_id}")
    if item.not_in_form:
        click.echo(
            f"  {item.not_in_form:>5} in the ledger but no longer in the form (deleted, or a CSV backfill)"
        )
    mark = f"{paris_time(item.watermark)} (Paris)" if item.watermark else "never"
    click.echo(f"  reconciled up to: {mark}")


def _print_form_fr(item: FormStatus, sources: Sources) -> None:
    """`_print_form` in the office's words (`--lang fr`), each refusal with the tab's reason."""
    form = item.form

    def say(key: str, **values: object) -> str:
        return text("cli", f"status.{key}", "fr").format(**values)

    click.echo(click.style(f"{form.name or form.form_id} ({form.form_id})", bold=True))
    if item.error is not None:
        click.echo(say("unreadable", error=item.error))
        return
    click.echo(say("responses", n=item.responses))
    click.echo(say("applied", total=sum(item.applied.values()), **item.applied))
    click.echo(say("parked", n=len(item.parked)) + (":" if item.parked else ""))
    letters = {lt.response_id: lt for lt in sources.letters or ()}
    for parked in item.parked:
        letter = letters.get(parked["responseId"])
        attributes = letter.attributes if letter is not None else parked
        click.echo(f"          {parked['responseId']}  {letter_reason(attributes, 'fr', form.entity)}")
    unread = "" if sources.letters is not None else say("letters_unread")
    click.echo(say("pending", n=len(item.pending)) + unread + (":" if item.pending else ""))
    for response_id in item.pending:
        click.echo(f"          {response_id}")
    if item.not_in_form:
        click.echo(say("not_in_form", n=item.not_in_form))
    click.echo(say("reconciled", when=item.watermark or say("never")))


# ── one response ────────────────────────────────────────────────────────────────────────────────


def _one(sources: Sources, forms: list[FormMapping], response_id: str, as_json: bool) -> None:
    report = _history(sources, forms, response_id)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _print_history(report)


def _one_fr(sources: Sources, forms: list[FormMapping], response_id: str) -> None:
    """One answer as the agency's tab shows it (`--lang fr`): its state and, when it went wrong, why."""
    found = [(f, sources.ledger.get(ledger_key(f.form_id, response_id))) for f in forms]
    form, entry = next(((f, e) for f, e in found if e is not None), (None, None))
    if form is None or entry is None:
        fail(f"no trace of response {response_id} in the ledger", 1)
    title = text("cli", "status.response", "fr").format(response=response_id, form=form.form_id)
    click.echo(click.style(title, bold=True))
    standing = Standing.of(entry, "fr", entity=form.entity)
    click.echo(text("cli", "status.state", "fr").format(state=standing.label))
    if standing.motif:
        click.echo(text("cli", "status.motif", "fr").format(motif=standing.motif))
    if entry.customer_id:  # a job application's record is a worker (« intervenant »), not a customer
        key = "status.customer" if form.entity == "customer" else f"status.{form.entity}"
        click.echo(text("cli", key, "fr").format(customer=entry.customer_id))


def _history(sources: Sources, forms: list[FormMapping], response_id: str) -> dict[str, Any]:
    """Everything known of one response: in the form, in the ledger, in the dead letters."""
    found = [(f, sources.ledger.get(ledger_key(f.form_id, response_id))) for f in forms]
    in_ledger = [(f, e) for f, e in found if e is not None]
    form = in_ledger[0][0] if in_ledger else forms[0] if len(forms) == 1 else None
    entry = in_ledger[0][1] if in_ledger else None
    letters = [lt for lt in sources.letters or () if lt.response_id == response_id]
    in_form, forms_error = _in_form(sources, form, response_id)
    if entry is None and not letters and in_form is None:
        fail(f"no trace of response {response_id} in the ledger, the dead letters or the form", 1)
    submitted = parse_time(str(in_form.get("lastSubmittedTime"))) if in_form else None
    state = _state(entry, submitted, letters)
    return {
        "responseId": response_id,
        "formId": form.form_id if form else (letters[0].form_id if letters else None),
        "entity": form.entity if form else None,
        "state": state,
        "inForm": {"lastSubmittedTime": _iso(submitted)} if submitted else None,
        "formsApiError": forms_error,
        **_ledger_part(entry, state),
        "deadLetters": [lt.summary() for lt in letters],
    }


def _in_form(
    sources: Sources, form: FormMapping | None, response_id: str
) -> tuple[dict[str, Any] | None, str | None]:
    """The response as the Forms API has it, or why it could not be read."""
    if form is None:
        return None, None
    try:
        return sources.forms.get_response(form.form_id, response_id), None
    except FormsToOgustError as exc:
        return None, str(exc)


def _ledger_part(entry: LedgerEntry | None, state: ResponseState) -> dict[str, Any]:
    """What the ledger knows: when it was received, from where, each attempt, the outcome."""
    if entry is None:
        return {
            "received": None,
            "source": None,
            "outcome": None,
            "customerId": None,
            "appliedVersion": None,
            "attempts": 0,
            "history": [],
        }
    return {
        "received": _iso(entry.first_seen),
        "source": entry.source,
        "outcome": outcome_of(entry) if state == ResponseState.APPLIED else entry.status,
        "customerId": entry.customer_id,
        "appliedVersion": _iso(entry.submitted_at),
        "attempts": entry.attempts,
        "history": [
            {
                "at": _iso(a.at),
                "source": a.source,
                "outcome": a.outcome,
                "version": _iso(a.submitted_at),
                "customerId": a.customer_id,
                "error": mask(a.error) if a.error else a.error,  # masked when written; older ones too
            }
            for a in entry.history
        ],
    }


RECORD_WORDS: dict[str, str] = {"customer": "customer", "employee": "worker"}
"""How the English history names the Ogust record of each entity (`customerId` holds either)."""


def _print_history(report: dict[str, Any]) -> None:
    record = RECORD_WORDS.get(report.get("entity") or "customer", "customer")
    click.echo(click.style(f"Response {report['responseId']} of form {report['formId']}", bold=True))
    click.echo(f"  state: {report['state']}")
    if report["inForm"]:
        click.echo(
            f"  in the form: last submitted {paris_time(report['inForm']['lastSubmittedTime'])} (Paris)"
        )
    elif report["formsApiError"]:
        click.echo(f"  in the form: unknown ({report['formsApiError']})")
    if report["received"] is not None:
        click.echo(f"  received: {paris_time(report['received'])} (Paris; first from {report['source']})")
        shown = len(report["history"])
        more = f" (the last {shown} below)" if report["attempts"] > shown else ""
        click.echo(f"  attempts: {report['attempts']}{more}")
        for a in report["history"]:
            at = paris_time(a["at"])
            line = f"    {at}  {a['source']:<9}  {a['outcome']:<10}  version {a['version'] or '?'}"
            line += f"  {record} {a['customerId']}" if a["customerId"] else ""
            click.echo(line + (f"\n        {a['error']}" if a["error"] else ""))
        customer = f", {record} {report['customerId']}" if report["customerId"] else ""
        click.echo(f"  outcome: {report['outcome']}{customer}")
    for letter in report["deadLetters"]:
        failed = paris_time(str(letter["failedAt"]))
        click.echo(f"  dead letter ({failed}, Paris): {letter['errorType']}: {letter['reason']}")


def _state(entry: LedgerEntry | None, submitted: datetime | None, letters: list[DeadLetter]) -> ResponseState:
    """applied, skipped, dead-lettered, unreadable (parked by the reconciler) or pending: the
    version in the form, else the ledger's own."""
    if entry is not None:
        version = submitted or entry.submitted_at
        if version:
            decided = settled(entry, version)
        else:
            decided = Settled.SKIPPED if entry.status == AttemptOutcome.SKIPPED else None
        if decided == Settled.APPLIED:
            return ResponseState.APPLIED
        if decided == Settled.SKIPPED:
            return ResponseState.SKIPPED
    if letters:
        return ResponseState.DEAD_LETTERED
    if _unreadable(entry, submitted) is not None:
        return ResponseState.UNREADABLE
    return ResponseState.PENDING


# ── settings ────────────────────────────────────────────────────────────────────────────────────


@contextmanager
def _sources(wait: float) -> Iterator[Sources]:
    env = os.environ
    project = env.get("GOOGLE_CLOUD_PROJECT", "").strip() or None
    database = env.get("FIRESTORE_DATABASE", "").strip() or "(default)"
    try:
        mapping_file = env.get("MAPPING_FILE", "").strip()
        problems = []  # every missing setting at once, not one per run
        if not mapping_file:
            problems.append("set MAPPING_FILE to the mapping YAML file (status reads its forms)")
        if env.get("LEDGER", "").strip().lower() != "firestore":
            problems.append(
                "set LEDGER=firestore: status reads the ledger the worker writes, which a memory ledger "
                "does not share"
            )
        if project is None:
            problems.append("set GOOGLE_CLOUD_PROJECT: the ledger and the dead letters live in it")
        if problems:
            raise ConfigError(
                "; ".join(problems)
                + " (`make deploy` writes them all to .forms-to-ogust.env, read from here)"
            )
        mapping = load_mapping(Path(mapping_file))
        subscription = env.get("DEAD_LETTER_SUBSCRIPTION", "").strip()
        letters = None
        if subscription:
            box = DeadLetterBox.of(project, subscription, pull_wait=wait)
            letters = box.pull_all()
            box.release(letters)  # listing only: every letter stays parked
        forms = FormsClient(env.get("FORMS_API_ENDPOINT", "").strip() or None)
    except FormsToOgustError as exc:
        _fail(exc)
    try:
        ledger = guard_for((project, database)).ledger  # the worker's, in Firestore
        yield Sources(mapping, ledger, forms, letters, project, database)
    except FormsToOgustError as exc:
        _fail(exc)
    finally:
        forms.close()


def _chosen(mapping: MappingFile, form_id: str | None) -> list[FormMapping]:
    if form_id is None:
        return list(mapping.forms)
    chosen = [f for f in mapping.forms if f.form_id == form_id]
    if not chosen:
        known = ", ".join(f.form_id for f in mapping.forms)
        fail(f"form '{form_id}' is not in the mapping (its forms: {known})", 2)
    return chosen


def _fail(exc: FormsToOgustError) -> NoReturn:
    fail(str(exc), policy(exc).exit_code)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z") if moment else None
