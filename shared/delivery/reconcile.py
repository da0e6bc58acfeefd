"""Reconciliation: every response of a form reaches Ogust through the queue, whether or not the
Apps Script sent it.

    watermark − overlap ─ forms.responses.list (timestamp >= …, page by page)
      → the one Forms API reader (response → schema v1 submission); one it cannot read is parked
        in the ledger with its reason (once per version: `status` shows it), the others go on
      → already settled in the ledger (applied, skipped, or refused and parked)? next one
      → enqueue() on the submissions topic (origin=reconcile): the worker applies it, as queue mode
    every publish confirmed → the watermark moves to the newest lastSubmittedTime read
    scheduled runs also keep the form's RESPONSES watch: created when missing, renewed before expiry

A response read twice (the overlap, two runs at once, a live delivery of the same answer) is
published twice at worst: the worker's leases and ledger make the second one cost no Ogust write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from shared.delivery._enqueue import enqueue
from shared.delivery._pubsub import Publisher
from shared.delivery.feed import OnFailure, person_key_or_fallback, send_in_person_order
from shared.delivery.watermarks import Watermarks
from shared.errors import FormsToOgustError, PayloadError
from shared.exactly_once import Attempt, Ledger, LedgerEntry, ledger_key
from shared.forms import DEFAULT_PAGE_SIZE, Watch, parse_time, submission_from_response
from shared.lifecycle import AttemptOutcome, Origin, Settled, settled
from shared.logs import mask
from shared.mapping import FormDescription, MappingFile
from shared.webhook import Submission

if TYPE_CHECKING:
    from shared.forms import FormsClient

OVERLAP = timedelta(minutes=15)
"""How far before the watermark each run reads again: a response the Forms API lists a little
after its `lastSubmittedTime` (indexing delay, clocks) is still found. Re-reading is harmless."""

RENEW_BEFORE = timedelta(days=2)
"""Renew a watch once less than this is left of its seven days: a scheduler down for a day or
two does not lose the notifications."""

DEFAULT_WORKERS = 8
"""Ledger reads and publishes at once (each ordering key stays in time order)."""

EVENT_TYPE = "RESPONSES"


def unreadable_attempt(entry: LedgerEntry | None, submitted_at: datetime | None) -> Attempt | None:
    """The attempt that parked this version of a response as unreadable, if any."""
    for attempt in reversed(entry.history if entry is not None else ()):
        if attempt.outcome == AttemptOutcome.UNREADABLE and attempt.submitted_at == submitted_at:
            return attempt
    return None


@dataclass
class FormRun:
    """What one reconciliation of one form did."""

    form_id: str
    listed: int = 0
    """Responses read from the Forms API (the overlap included)."""
    settled: int = 0
    """Of those, already applied, skipped or parked: nothing published."""
    queued: int = 0
    since: datetime | None = None
    watermark: datetime | None = None
    watch: str = ""
    """created, renewed, replaced, active; empty when not looked at (a notification's run)."""
    errors: list[FormsToOgustError] = field(default_factory=list)
    pending: list[Submission] = field(default_factory=list)
    """Responses published by this run: queued, not attempted yet (the agency's tab shows them)."""
    tab: dict[str, object] | None = None
    """What keeping the form's tab "Suivi Ogust" did after the run (`Reconciler.after`)."""
    unreadable: list[str] = field(default_factory=list)
    """Responses the Forms API gave that are no schema v1 submission and that could not be parked
    (no response id): reported as errors, and not allowed to hold back every later answer."""
    parked: list[str] = field(default_factory=list)
    """Unreadable responses this run parked in the ledger (`id: why`), each version once."""

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict[str, object]:
        """The JSON of this form in the function's answer."""
        found: dict[str, object] = {
            "formId": self.form_id,
            "listed": self.listed,
            "alreadySettled": self.settled,
            "queued": self.queued,
            "since": _iso(self.since),
            "watermark": _iso(self.watermark),
        }
        if self.watch:
            found["watch"] = self.watch
        if self.parked:
            found["parked"] = self.parked
        if self.errors:
            found["errors"] = [str(e) for e in self.errors]
        if self.tab is not None:
            found["tab"] = self.tab
        return found


@dataclass
class Reconciler:
    """Everything a run needs; one per function instance (the clients are shared)."""

    mapping: MappingFile
    forms: FormsClient
    ledger: Ledger
    watermarks: Watermarks
    publisher: Publisher
    topic: str
    """projects/P/topics/T of the submissions topic."""
    watch_topic: str | None = None
    """projects/P/topics/T the form's watch publishes to (None: no watch is kept)."""
    page_size: int = DEFAULT_PAGE_SIZE
    workers: int = DEFAULT_WORKERS
    overlap: timedelta = OVERLAP
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    """Only when the Forms API sent no `Date`: watch expiry is decided by the API's own clock."""
    after: Callable[[FormRun], None] | None = None
    """Called with each form's run once it is done (the agency's tab: shared.tracking); it must not raise."""

    def form_ids(self) -> list[str]:
        """The forms of the mapping marked `reconcile: true`."""
        return [f.form_id for f in self.mapping.forms if f.reconcile]

    def run(self, form_ids: Iterable[str] | None = None, *, keep_watches: bool = True) -> list[FormRun]:
        """Reconcile each form (all marked ones by default); one form's failure stops only that form."""
        runs = []
        for form_id in self.form_ids() if form_ids is None else form_ids:
            run = FormRun(form_id)
            try:
                self.reconcile(run)
            except FormsToOgustError as exc:
                run.errors.append(exc)
            if keep_watches and self.watch_topic:
                try:
                    run.watch = self.keep_watch(form_id, self.watch_topic)
                except FormsToOgustError as exc:
                    run.errors.append(exc)
            if self.after is not None:
                self.after(run)
            runs.append(run)
        return runs

    def reconcile(self, run: FormRun) -> None:
        """Publish what the ledger does not have, page by page; then, and only then, move the mark."""
        mark = self.watermarks.get(run.form_id)
        run.since = mark.at - self.overlap if mark is not None else None
        run.watermark = mark.at if mark is not None else None
        form = self.forms.get_form(run.form_id)
        newest: datetime | None = None
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="reconcile") as pool:
            for page in self.forms.response_pages(run.form_id, since=run.since, page_size=self.page_size):
                submissions = self._readable(page, form, run)
                run.listed += len(page)
                todo = [
                    s
                    for s, done in zip(submissions, pool.map(self._settled, submissions), strict=True)
                    if not done
                ]
                run.settled += len(submissions) - len(todo)
                published, failure = self._publish(todo, pool)
                run.queued += published
                if failure is None:
                    run.pending.extend(todo)
                if failure is not None:
                    raise failure  # what was published stays queued; the watermark stays put
                for submission in submissions:
                    if newest is None or submission.submitted_at > newest:
                        newest = submission.submitted_at
        if newest is not None:
            now = self.forms.server_time
            if now is not None and newest > now:
                newest = now  # a time ahead of the API's own clock must not hide the answers to come
            run.watermark = self.watermarks.advance(run.form_id, newest).at
        if run.unreadable:
            # Loud (the run fails, the alert fires) but not blocking: the rest of the form went on.
            run.errors.append(PayloadError("unreadable responses: " + "; ".join(run.unreadable)))

    def _readable(self, page: list[dict[str, Any]], form: FormDescription, run: FormRun) -> list[Submission]:
        found = []
        for response in page:
            try:
                found.append(submission_from_response(response, form, run.form_id))
            except PayloadError as exc:
                self._park_unreadable(response, exc, run)
        return found

    def _park_unreadable(self, response: dict[str, Any], exc: PayloadError, run: FormRun) -> None:
        """Record an unreadable response in the ledger (outcome `unreadable`) with its reason, once
        per version: `status` shows it parked, the next runs pass it by, the form goes on."""
        response_id = str(response.get("responseId") or "")
        if not response_id:
            run.unreadable.append(f"?: {exc}")
            return
        try:
            version: datetime | None = parse_time(str(response.get("lastSubmittedTime")))
        except ValueError:
            version = None
        key = ledger_key(run.form_id, response_id)
        entry = self.ledger.get(key)
        if unreadable_attempt(entry, version) is not None:
            return  # parked by an earlier run
        if version is not None and settled(entry, version) is not None:
            return  # this version reached the ledger another way (the script's copy read fine)
        reason = mask(f"{type(exc).__name__}: the Forms API response is not readable: {exc}")
        attempt = Attempt(self.clock(), Origin.RECONCILE, AttemptOutcome.UNREADABLE, version, error=reason)
        self.ledger.record(key, run.form_id, response_id, attempt)
        run.parked.append(mask(f"{response_id}: {exc}"))  # the run's answer may be logged too

    def keep_watch(self, form_id: str, topic: str) -> str:
        """The form's RESPONSES watch on `topic`: created if missing, renewed before it expires."""
        found = [w for w in self.forms.watches(form_id) if w.event_type == EVENT_TYPE]
        now = self.forms.server_time or self.clock()
        if not found:
            self.forms.create_watch(form_id, topic, EVENT_TYPE)
            return "created"
        watch = found[0]
        if watch.topic != topic:  # FORMS_WATCH_TOPIC changed: one RESPONSES watch per form allowed
            self.forms.delete_watch(form_id, watch.id)
            self.forms.create_watch(form_id, topic, EVENT_TYPE)
            return "replaced"
        if _needs_renewal(watch, now):
            self.forms.renew_watch(form_id, watch.id)
            return "renewed"
        return "active"

    def _settled(self, submission: Submission) -> Settled | None:
        entry = self.ledger.get(ledger_key(submission.form_id, submission.response_id))
        return settled(entry, submission.submitted_at)

    def _publish(
        self, submissions: list[Submission], pool: ThreadPoolExecutor
    ) -> tuple[int, FormsToOgustError | None]:
        """Publish all, oldest first for each person: (how many went, the first failure). After a
        failure the person's later answers wait for the next run, in order (`OnFailure.STOP_PERSON`)."""
        done = send_in_person_order(
            sorted(submissions, key=lambda s: s.submitted_at),
            lambda s: person_key_or_fallback(s, self.mapping),
            lambda s: s.submitted_at,
            self._publish_one,
            OnFailure.STOP_PERSON,
            pool,
        )
        sent = [s for group in done for s in group]
        failures = [s.error for s in sent if s.error is not None]
        return len(sent) - len(failures), failures[0] if failures else None

    def _publish_one(self, submission: Submission) -> None:
        # One the mapping refuses is queued anyway, so that the worker parks it in the dead
        # letters with its reason (this function has no dead-letter topic, by design).
        enqueue(
            submission, self.mapping, self.publisher, self.topic, even_refused=True, origin=Origin.RECONCILE
        )


def _needs_renewal(watch: Watch, now: datetime) -> bool:
    if watch.state != "ACTIVE" or watch.expire_time is None:
        return True  # a suspended watch comes back with renew once its error is gone
    return watch.expire_time - now < RENEW_BEFORE


def _iso(moment: datetime | None) -> str | None:
    return (
        moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z") if moment else None
    )
