"""`Tracker`: keeps each tracked form's tab in line with the ledger, resends what the office staff
ticked, and announces each refused answer once.

    after every attempt (worker, sync receiver)   attempted(): that response's row, best effort
    every reconciliation run                      sync(): ticked boxes → read the response again
                                                  from the Forms API → republished (origin replay)
                                                  → every row rewritten from the ledger, the boxes
                                                  handled cleared → refusals not yet announced

A tab that cannot be written never fails or holds a delivery: the error is logged, this instance
leaves the tab alone for a minute, and the next reconciliation writes every row from the ledger.
A tab this function may not write at all (its spreadsheet, or the form naming it, is not shared with
its service account: the set-up shares them with the reconciler's only) is left to the
reconciliation for an hour after one INFO line, rather than costing a call and a WARNING per answer.
Writers of one tab take a lease on it, so two of them never append the same response twice.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from shared.delivery import FormRun, Publisher, enqueue
from shared.errors import ConfigError, FormsToOgustError, PayloadError, SubmissionRejected
from shared.exactly_once import Attempt, Leases, Ledger, LedgerEntry, held, ledger_key
from shared.forms import submission_from_response
from shared.lifecycle import AgencyState, AttemptOutcome, Origin
from shared.logs import log, mask
from shared.mapping import AnswerIndex, FormDescription, FormMapping, MappingFile, field_value, hashed_key
from shared.ogust import Entity
from shared.sheets import SheetsClient
from shared.tracking import _tab
from shared.tracking._catalog import record_cell, text
from shared.tracking._states import Standing, last_attempt, motif, paris, state_of
from shared.webhook import Submission

if TYPE_CHECKING:
    from shared.forms import FormsClient

COOLDOWN_SECONDS = 60.0
"""After a failed write, this instance leaves the tab to the next reconciliation for this long: a
Sheets outage or an exhausted quota costs each delivery nothing."""
NOT_OURS_SECONDS = 3600.0
"""After the Sheets or Forms API refused this instance a tab for good (403 not shared, 404, no linked
sheet: a ConfigError), it leaves that tab to the reconciliation this long: one refused call and one
INFO line an hour per instance, and a share made later is picked up within the hour."""
LIVE_LEASE_WAIT = 2.0
"""How long a delivery waits for the tab's lease before leaving its row to the reconciliation."""
SYNC_LEASE_WAIT = 30.0
TAB_LEASE_TTL = 120.0
REFUSED_EVENT = "agency.refused"
"""`jsonPayload.event` of the one log line per refused answer the agency's alert is built on."""
BULK_ABOVE = 20
"""Rows to name one `forms.responses.get` at a time; above, the form's responses are listed in pages."""
PERSON_FIELDS = ("title", "first_name", "last_name")
"""The mapped fields that name the person on the tab: civility, first and last name."""


@dataclass
class TabRun:
    """What one reconciliation did to one form's tab."""

    form_id: str
    rows: int = 0
    written: int = 0
    resent: list[str] = field(default_factory=list)
    announced: int = 0
    error: FormsToOgustError | None = None

    def summary(self) -> dict[str, object]:
        found: dict[str, object] = {
            "rows": self.rows,
            "resent": len(self.resent),
            "announced": self.announced,
        }
        if self.error is not None:
            found["error"] = str(self.error)
        return found


class Tracker:
    """One per instance: the Sheets client, where each form's spreadsheet is, the pause after a failure."""

    def __init__(
        self,
        mapping: MappingFile,
        sheets: SheetsClient,
        ledger: Ledger,
        leases: Leases,
        forms: Callable[[], FormsClient],
        *,
        cooldown: float = COOLDOWN_SECONDS,
        not_ours: float = NOT_OURS_SECONDS,
        live_wait: float = LIVE_LEASE_WAIT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.mapping = mapping
        self.sheets = sheets
        self.ledger = ledger
        self.leases = leases
        self._forms = forms
        self._cooldown = cooldown
        self._not_ours = not_ours
        self._refused: dict[str, float] = {}
        """The tabs this instance may not write (spreadsheet id, or `form:<id>` when even the form
        could not be read), and until when it leaves them to the reconciliation."""
        self._live_wait = live_wait
        self._clock = clock
        self._paused_until = 0.0
        self._spreadsheets: dict[str, str] = {}
        self._gids: dict[str, int] = {}
        self._titles: dict[str, str] = {}
        """Each form's title as its answers carry it (the notification names the form by it)."""
        self._lock = threading.Lock()

    def tracked(self, form_id: str) -> bool:
        return any(f.form_id == form_id and f.tracking_tab for f in self.mapping.forms)

    def form_ids(self) -> list[str]:
        return [f.form_id for f in self.mapping.forms if f.tracking_tab]

    def spreadsheet(self, form_id: str) -> str:
        """The form's spreadsheet: the mapping's `spreadsheet_id`, else the form's linked sheet."""
        with self._lock:
            if form_id in self._spreadsheets:
                return self._spreadsheets[form_id]
        named = self.mapping.for_form(form_id).spreadsheet_id
        found = named or self._forms().linked_sheet_id(form_id)
        if not found:
            raise ConfigError(
                f"form '{form_id}' has no response spreadsheet: link one in the form (Responses > Link to "
                "Sheets) or name it with spreadsheet_id in the mapping"
            )
        with self._lock:
            self._spreadsheets[form_id] = found
        return found

    # ── after each attempt ──────────────────────────────────────────────────────────────────────

    def attempted(self, submission: Submission, entry: LedgerEntry | None) -> None:
        """Write this response's row now, if the tab can be had quickly; never raises."""
        if entry is None or not self.tracked(submission.form_id) or self._clock() < self._paused_until:
            return
        if submission.form_title:
            self._titles[submission.form_id] = submission.form_title
        where = f"form:{submission.form_id}"
        try:
            if self._left_alone(where):
                return
            spreadsheet_id = where = self.spreadsheet(submission.form_id)
            if self._left_alone(where):
                return
            with held(self.leases, [_tab_key(spreadsheet_id)], ttl=TAB_LEASE_TTL, wait=self._live_wait):
                gid = self._gids.get(spreadsheet_id) or _tab.ensure(self.sheets, spreadsheet_id)
                self._gids[spreadsheet_id] = gid
                seen = _tab.read(self.sheets, spreadsheet_id, gid, ids_only=True)
                form = self.mapping.for_form(submission.form_id)
                numbers = _tab.write(
                    self.sheets,
                    spreadsheet_id,
                    seen,
                    [row(entry, person(form, submission), entity=form.entity)],
                )
            self._announce(entry, spreadsheet_id, gid, numbers[entry.response_id])
        except ConfigError as exc:  # not ours to write: the reconciler's, which warns if it cannot either
            self._refused[where] = self._clock() + self._not_ours
            self._gids.clear()
            log(
                "INFO",
                f"tracking tab left to the reconciliation for {self._not_ours / 60:.0f} minutes: this "
                f"function may not write it ({exc})",
                status="tab-not-ours",
                formId=submission.form_id,
                responseId=submission.response_id,
            )
        except FormsToOgustError as exc:
            self._paused_until = self._clock() + self._cooldown
            self._gids.clear()  # the tab may have been deleted or renamed: look again next time
            log(
                "WARNING",
                f"tracking tab not updated ({type(exc).__name__}: {exc}); the next reconciliation writes it",
                status="tab-failed",
                formId=submission.form_id,
                responseId=submission.response_id,
            )

    def _left_alone(self, where: str) -> bool:
        return self._clock() < self._refused.get(where, 0.0)

    # ── every reconciliation ────────────────────────────────────────────────────────────────────

    def sync(
        self, form_id: str, publisher: Publisher, topic: str, pending: Iterable[Submission] = ()
    ) -> TabRun:
        """Resend the ticked, rewrite every row from the ledger, announce new refusals; never raises."""
        run = TabRun(form_id)
        try:
            spreadsheet_id = self.spreadsheet(form_id)
            with held(self.leases, [_tab_key(spreadsheet_id)], ttl=TAB_LEASE_TTL, wait=SYNC_LEASE_WAIT):
                self._sync(run, spreadsheet_id, publisher, topic, list(pending))
            for where in (spreadsheet_id, f"form:{form_id}"):  # this instance may write it after all
                self._refused.pop(where, None)
        except FormsToOgustError as exc:
            run.error = exc
            log(
                "WARNING", f"tracking tab of form '{form_id}' not brought in line: {exc}", status="tab-failed"
            )
        return run

    def after_run(self, publisher: Publisher, topic: str) -> Callable[[FormRun], None]:
        """What the reconciler calls after each form's run: that form's tab, if it has one."""

        def keep(run: FormRun) -> None:
            if not self.tracked(run.form_id):
                return
            try:
                run.tab = self.sync(run.form_id, publisher, topic, run.pending).summary()
            except Exception as exc:  # a bug of the view: the reconciliation itself went through
                log("ERROR", f"unexpected {type(exc).__name__} keeping the tracking tab", status="tab-failed")

        return keep

    def _sync(
        self, run: TabRun, spreadsheet_id: str, publisher: Publisher, topic: str, pending: list[Submission]
    ) -> None:
        form = self.mapping.for_form(run.form_id)
        gid = self._gids[spreadsheet_id] = _tab.ensure(self.sheets, spreadsheet_id)
        seen = _tab.read(self.sheets, spreadsheet_id, gid)
        if seen.duplicates:  # only if a writer outlived its lease on the tab: visible, not hidden
            log(
                "WARNING",
                f"tracking tab of form '{run.form_id}' has {len(seen.duplicates)} extra row(s) of a "
                f"response already listed (rows {', '.join(map(str, seen.duplicates))}); the first row "
                "is kept up to date",
                status="tab-duplicates",
            )
        entries = {e.response_id: e for e in self.ledger.entries(run.form_id)}
        known = {s.response_id: s for s in pending}
        self._titles.update({s.form_id: s.form_title for s in pending if s.form_title})
        motifs: dict[str, str] = {}
        description: FormDescription | None = None
        for response_id in seen.ticked:
            description = description or self._forms().get_form(run.form_id)
            said = self._resend(run, description, response_id, entries, known, publisher, topic)
            if said:
                motifs[response_id] = said
        unnamed = [
            response_id
            for response_id in entries
            if response_id not in known
            and (response_id not in seen.rows or not _cell(seen.cells.get(seen.rows[response_id]), 1))
        ]
        if unnamed:  # rows without a person yet (new, or written while the Forms API failed)
            description = description or self._forms().get_form(run.form_id)
            known.update(self._answers(description, run.form_id, unnamed))
        rows = []
        for response_id, entry in entries.items():
            submission = known.get(response_id)
            who = person(form, submission) if submission else None
            rows.append(row(entry, who, motifs.get(response_id), entity=form.entity))
        for submission in pending:
            if submission.response_id not in entries:
                rows.append(row(None, person(form, submission), None, submission, entity=form.entity))
        numbers = _tab.write(self.sheets, spreadsheet_id, seen, rows, cleared=seen.ticked)
        run.rows = len(numbers)
        for response_id, number in numbers.items():
            found = entries.get(response_id)
            if found is not None and self._announce(found, spreadsheet_id, gid, number):
                run.announced += 1

    def _resend(
        self,
        run: TabRun,
        description: FormDescription,
        response_id: str,
        entries: dict[str, LedgerEntry],
        known: dict[str, Submission],
        publisher: Publisher,
        topic: str,
    ) -> str | None:
        """Republish a ticked response as the form holds it now; a motif when there is nothing to send."""
        submission = self._read(description, run.form_id, response_id)
        if submission is None:
            return motif_text("gone")
        entry = entries.get(response_id)
        if entry is not None and entry.covers(submission.submitted_at):
            return motif_text("already")  # in Ogust already: ticking it costs no write at all
        key = ledger_key(run.form_id, response_id)
        # Recorded before the publish: the worker may apply it before this run is over, and its
        # outcome must come after "renvoyé" in the ledger, never before.
        attempt = Attempt(datetime.now(UTC), Origin.REPLAY, AttemptOutcome.RESENT, submission.submitted_at)
        entries[response_id] = self.ledger.record(key, run.form_id, response_id, attempt)
        try:
            _publish(submission, self.mapping, publisher, topic)
        except FormsToOgustError as exc:  # not sent: the box stays ticked for the next run
            failed = Attempt(
                datetime.now(UTC),
                Origin.REPLAY,
                AttemptOutcome.FAILED,
                submission.submitted_at,
                error=mask(f"{type(exc).__name__}: {exc}"),
                error_type=type(exc).__name__,
                details=exc.details(),
            )
            self.ledger.record(key, run.form_id, response_id, failed)
            raise
        known[response_id] = submission
        run.resent.append(response_id)
        log(
            "INFO",
            "response resent from the tracking tab",
            status=AttemptOutcome.RESENT,
            formId=run.form_id,
            responseId=response_id,
        )
        return None

    def _answers(
        self, description: FormDescription, form_id: str, wanted: list[str]
    ) -> dict[str, Submission]:
        """The answers of those responses, to name their person: one at a time when they are few,
        else the whole form in pages (a backfill of thousands costs a few list calls, not thousands
        of gets). A response the Forms API cannot give now keeps an empty `Personne` until later."""
        found: dict[str, Submission] = {}
        try:
            if len(wanted) <= BULK_ABOVE:
                for response_id in wanted:
                    submission = self._read(description, form_id, response_id)
                    if submission is not None:
                        found[response_id] = submission
                return found
            chosen = set(wanted)
            for page in self._forms().response_pages(form_id):
                for response in page:
                    if response.get("responseId") in chosen:
                        with contextlib.suppress(PayloadError):
                            submission = submission_from_response(response, description, form_id)
                            found[submission.response_id] = submission
        except FormsToOgustError as exc:
            log("WARNING", f"tracking tab: answers not read from the Forms API ({exc})", status="tab-failed")
        return found

    def _read(self, description: FormDescription, form_id: str, response_id: str) -> Submission | None:
        response = self._forms().get_response(form_id, response_id)
        if response is None:
            return None
        try:
            return submission_from_response(response, description, form_id)
        except PayloadError:
            return None

    def _announce(self, entry: LedgerEntry, spreadsheet_id: str, gid: int, number: int) -> bool:
        """The one log line of a refused version (the agency's notification); False if not now."""
        attempt = last_attempt(entry)
        if state_of(entry) != AgencyState.REJECTED or attempt is None or attempt.submitted_at is None:
            return False
        version = attempt.submitted_at.isoformat()
        if version in entry.notified or not self.ledger.mark_notified(
            ledger_key(entry.form_id, entry.response_id), version
        ):
            return False
        form = self.mapping.for_form(entry.form_id)
        title = self._titles.get(entry.form_id) or form.name or form.form_id
        log(
            "NOTICE",
            "answer refused: the agency is told, with the link to its row",
            event=REFUSED_EVENT,
            form=title,
            submittedAt=paris(attempt.submitted_at),
            reason=mask(motif(entry, personal=False, entity=form.entity)),
            link=_tab.link(spreadsheet_id, gid, number),
            formId=entry.form_id,
            responseId=entry.response_id,
        )
        return True


def row(
    entry: LedgerEntry | None,
    who: str | None,
    said: str | None = None,
    submission: Submission | None = None,
    *,
    entity: Entity = "customer",
) -> _tab.Row:
    """A response's row from its ledger entry (None: queued, not attempted yet), in the words of
    the form's entity (« intervenant 123456 » in `Client Ogust` for a job application)."""
    submitted = submission.submitted_at if submission is not None else _submitted(entry)
    standing = Standing.of(entry, entity=entity)
    return _tab.Row(
        response_id=entry.response_id if entry is not None else submission.response_id if submission else "",
        date=paris(submitted),
        person=who,
        state=standing.label,
        customer=record_cell(entry.customer_id, entity) if entry is not None else "",
        motif=said if said is not None else standing.motif,
        last=paris(entry.updated_at) if entry is not None else "",
    )


def person(form: FormMapping, submission: Submission) -> str:
    """`Mme Marie-Hélène D'ARNOUX`: civility, first and last name as the mapping shapes them."""
    answers = AnswerIndex(submission)
    parts = []
    for name in PERSON_FIELDS:
        rule = form.fields.get(name)
        if rule is None:
            continue
        try:
            value = field_value(name, rule, answers)
        except SubmissionRejected:
            value = None  # a refused answer still names the person with what it has
        if value:
            parts.append(value)
    return " ".join(parts)


def motif_text(key: str) -> str:
    return text("motif", key)


def _cell(cells: list[Any] | None, index: int) -> Any:
    return cells[index] if cells is not None and index < len(cells) else None


def _submitted(entry: LedgerEntry | None) -> datetime | None:
    if entry is None:
        return None
    times = [a.submitted_at for a in entry.history if a.submitted_at is not None]
    return max(times) if times else entry.submitted_at


def _tab_key(spreadsheet_id: str) -> str:
    return hashed_key("tracking-tab", spreadsheet_id)


def _publish(submission: Submission, mapping: MappingFile, publisher: Publisher, topic: str) -> None:
    # Still refused by the mapping: queued all the same, so the worker records why once more.
    enqueue(submission, mapping, publisher, topic, even_refused=True, origin=Origin.REPLAY)
