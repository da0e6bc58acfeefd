"""The backfill: old responses through the same `apply_once` path as live ones — idempotent,
resumable, rate-limited, several rows at once but never two rows of the same person at once.

    rows (sources.py) → plan (pure: refusals reported at once) → group by ordering key
      → a pool of workers, each group newest first → sink (apply_once / publish / dry run:
        process on a simulated Ogust, dry_run.py)
      → counts, failed rows, the state file of done response ids (a rerun skips them)
"""

from __future__ import annotations

import csv
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from shared.backfill.csv_export import CsvExport
from shared.backfill.dry_run import SimulatedOgust
from shared.backfill.sources import BadRow, Row
from shared.delivery import OnFailure, Publisher, enqueue, person_key, send_in_person_order
from shared.engine import Customers, records_for
from shared.errors import DeliveryUnavailableError, FormsToOgustError
from shared.exactly_once import Guard, apply_once, guard_for
from shared.lifecycle import AttemptOutcome, Origin, Reported
from shared.mapping import MappingFile, plan
from shared.webhook import Submission

DEFAULT_RATE = 5.0
"""Ogust requests per second across all workers: gentle on a production Ogust by default."""

DEFAULT_WORKERS = 4

RETRY_WAITS = (1.0, 3.0, 10.0)
"""Seconds before each new try of a row whose person a live delivery holds (or whose ledger did not
answer): it waits its turn like a nacked message, instead of landing in the failed rows."""

SUMMARY_KEYS: tuple[str, ...] = (
    AttemptOutcome.CREATED,
    AttemptOutcome.UPDATED,
    AttemptOutcome.UNCHANGED,
    Reported.QUEUED,
    Reported.PLANNED,
    AttemptOutcome.SKIPPED,
    AttemptOutcome.FAILED,
)
ONLY_WHEN_SEEN = frozenset({Reported.QUEUED, Reported.PLANNED})
"""Outcomes of one kind of run only (--publish, --offline): listed when they happened."""

Sink = Callable[[Submission], tuple[str, str | None]]
"""Applies one submission; returns (status, customer id)."""


class RateLimiter:
    """At most `rate` acquisitions in any one-second window, across threads.

    Callers get time slots 1/rate apart (smooth, gentle on Ogust); then, because a thread may wake
    late and bunch up with the next ones, the actual acquisition times are checked against a
    sliding window (with a small margin for the network's jitter) before the request may go.
    """

    WINDOW_MARGIN = 0.02
    """Seconds added to the window: two requests sent 1.000 s apart may arrive 0.999 s apart."""

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self._interval = 1.0 / rate
        self._limit = max(1, int(rate))
        self._window = (1.0 if rate >= 1 else 1.0 / rate) + self.WINDOW_MARGIN
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        self._sent: deque[float] = deque()
        self._lock = threading.Lock()

    def acquire(self) -> None:
        """Wait for this caller's slot, then for room in the sliding window."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next)
            self._next = slot + self._interval
        if slot > now:
            self._sleep(slot - now)
        while True:
            with self._lock:
                now = self._clock()
                # (a nanosecond of slack: a clock moved by exactly `wait` must not loop on rounding)
                while self._sent and now - self._sent[0] >= self._window - 1e-9:
                    self._sent.popleft()
                if len(self._sent) < self._limit:
                    self._sent.append(now)
                    return
                wait = self._window - (now - self._sent[0])
            self._sleep(wait)


class RateLimitedTransport(httpx.BaseTransport):
    """An httpx transport that takes a slot before every HTTP request (tokens and retries count)."""

    def __init__(self, limiter: RateLimiter, inner: httpx.BaseTransport | None = None) -> None:
        self._limiter = limiter
        self._inner = inner or httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self._limiter.acquire()
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


class StateFile:
    """The response ids already done, one per line, appended as they complete (resumable)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self.done: set[str] = set()
        if path.exists():
            self.done = {
                line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
            }

    def add(self, response_id: str) -> None:
        with self._lock:
            if response_id in self.done:
                return
            self.done.add(response_id)
            with self.path.open("a", encoding="utf-8") as out:
                out.write(response_id + "\n")


@dataclass(frozen=True)
class RowResult:
    """What happened to one row."""

    where: str
    response_id: str
    status: str
    customer_id: str | None = None
    error: str | None = None
    error_type: str | None = None
    field: str | None = None
    question: str | None = None


@dataclass
class BackfillReport:
    """Counts per status and the failed rows."""

    counts: Counter[str] = field(default_factory=Counter)
    failed: list[RowResult] = field(default_factory=list)

    def add(self, result: RowResult) -> None:
        self.counts[result.status] += 1
        if result.status == AttemptOutcome.FAILED:
            self.failed.append(result)

    def failed_in_order(self) -> list[RowResult]:
        """The failed rows in the export's order: `line 9` before `line 10`."""
        return sorted(self.failed, key=line_order)

    def summary(self) -> dict[str, int]:
        return {
            key: self.counts.get(key, 0)
            for key in SUMMARY_KEYS
            if key not in ONLY_WHEN_SEEN or self.counts.get(key)
        }


def direct_sink(mapping: MappingFile, ogust: Customers, guard: Guard) -> Sink:
    """Create or update in Ogust exactly as the worker does: under the person's leases and the
    ledger (`guard`), so rows of one person never race, even through different lookup keys, and a
    response already in the ledger costs no Ogust call."""

    def apply(submission: Submission) -> tuple[str, str | None]:
        outcome = apply_once(submission, mapping, ogust, guard, source=Origin.BACKFILL)
        return outcome.status, outcome.customer_id

    return apply


def dry_run_sink(mapping: MappingFile, ogust: Customers) -> Sink:
    """The real run's path on a simulated Ogust: reads are real, writes change only the simulation.

    Rows are applied in the same order as a real run, so a person's second row is an update of the
    customer the first row would have created, not a second create.
    """
    # One simulation per kind of record (customers, workers): each form's rows see its own.
    views = {(f.entity, f.third_party_code): f for f in mapping.forms}
    simulated = {view: SimulatedOgust(records_for(form, ogust)) for view, form in views.items()}
    guard = guard_for(None)  # the real run's per-person order, kept in memory

    def simulate(submission: Submission) -> tuple[str, str | None]:
        form = mapping.for_form(submission.form_id)
        view = simulated[form.entity, form.third_party_code]
        outcome = apply_once(submission, mapping, view, guard, source=Origin.BACKFILL)
        customer_id = outcome.customer_id or None
        return outcome.status, None if SimulatedOgust.is_simulated(customer_id) else customer_id

    return simulate


def offline_sink(mapping: MappingFile) -> Sink:
    """Read and plan only: every refusal of the mapping is found, and Ogust is never called (so no
    keys are needed). `run_backfill` plans each row already; a row that plans is `planned`."""

    def planned(submission: Submission) -> tuple[str, str | None]:
        plan(mapping.for_form(submission.form_id), submission)
        return Reported.PLANNED, None

    return planned


def publish_sink(mapping: MappingFile, publisher: Publisher, topic: str, *, dry_run: bool = False) -> Sink:
    """Queue on the submissions topic (the worker applies it); a dry run only plans."""

    def queue(submission: Submission) -> tuple[str, str | None]:
        if dry_run:
            plan(mapping.for_form(submission.form_id), submission)
        else:
            enqueue(submission, mapping, publisher, topic, origin=Origin.BACKFILL)
        return Reported.QUEUED, None

    return queue


def run_backfill(
    rows: Iterable[Row],
    mapping: MappingFile,
    sink: Sink,
    *,
    workers: int = DEFAULT_WORKERS,
    state: StateFile | None = None,
    on_progress: Callable[[int], None] | None = None,
    retry_waits: Sequence[float] = RETRY_WAITS,
    sleep: Callable[[float], None] = time.sleep,
) -> BackfillReport:
    """Send every row through `sink`; a bad row is reported, never fatal."""
    report = BackfillReport()
    progress = on_progress or (lambda _: None)
    sink = _patient(sink, retry_waits, sleep)
    latest: dict[str, tuple[str, Submission]] = {}
    for where, item in rows:
        if isinstance(item, BadRow):
            report.add(
                RowResult(
                    where, item.response_id, AttemptOutcome.FAILED, error=item.error, error_type="BadRow"
                )
            )
            progress(1)
            continue
        previous = latest.get(item.response_id)
        if previous is not None:
            # The same response twice in one file: only its latest version matters.
            older, newer = sorted((previous, (where, item)), key=lambda p: p[1].submitted_at)
            latest[item.response_id] = newer
            report.add(
                RowResult(
                    older[0],
                    item.response_id,
                    AttemptOutcome.SKIPPED,
                    error="the same response appears again",
                )
            )
            progress(1)
            continue
        latest[item.response_id] = (where, item)

    keyed: list[tuple[str, str, Submission]] = []
    for where, submission in latest.values():
        if state is not None and submission.response_id in state.done:
            report.add(
                RowResult(
                    where, submission.response_id, AttemptOutcome.SKIPPED, error="done in an earlier run"
                )
            )
            progress(1)
            continue
        try:
            key = person_key(submission, mapping)
        except FormsToOgustError as exc:  # refused by the mapping: reported, never sent
            report.add(_failure(where, submission.response_id, exc))
            progress(1)
            continue
        keyed.append((key, where, submission))

    def send(item: tuple[str, str, Submission]) -> tuple[str, str | None]:
        _, _, submission = item
        done = sink(submission)
        if state is not None:
            state.add(submission.response_id)
        return done

    # Newest first: per person the newest answer wins, so once it is applied the ledger skips the
    # person's older rows (a rerun without its state file writes nothing). A row that fails does
    # not stop the person's others: each is reported on its own line (`OnFailure.GO_ON`).
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="backfill") as pool:
        outcomes = send_in_person_order(
            keyed, lambda k: k[0], lambda k: k[2].submitted_at, send, OnFailure.GO_ON, pool, newest_first=True
        )
        for done in outcomes:
            for sent in done:
                _, where, submission = sent.item
                report.add(_row(where, submission.response_id, sent.result, sent.error))
            progress(len(done))
    return report


def _row(
    where: str, response_id: str, result: tuple[str, str | None] | None, error: FormsToOgustError | None
) -> RowResult:
    """A row's line: what the sink answered, or why it failed."""
    if error is not None:
        return _failure(where, response_id, error)
    assert result is not None  # a row that raised nothing was sent
    status, customer_id = result
    return RowResult(where, response_id, status, customer_id)


def _patient(sink: Sink, waits: Sequence[float], sleep: Callable[[float], None]) -> Sink:
    """`sink`, tried again after each of `waits` while the delivery side is busy (the person's
    lease held by a live answer); any other error at once. Safe: `apply_once` is idempotent. Once
    a row has used up every wait (Firestore down, not a busy person), the others stop waiting: a
    run against an unreachable ledger fails its rows in minutes, not hours."""
    gave_up = threading.Event()

    def patiently(submission: Submission) -> tuple[str, str | None]:
        for wait in waits:
            if gave_up.is_set():
                break
            try:
                return sink(submission)
            except DeliveryUnavailableError:
                sleep(wait)
        else:
            gave_up.set()
        return sink(submission)

    return patiently


def write_failed(path: Path, failed: list[RowResult], export: CsvExport | None = None) -> None:
    """The failed rows and why, as CSV: for a CSV export, each row as exported plus the reasons, in
    the export's own format, so the file can be fixed and backfilled again as it is."""
    failed = sorted(failed, key=line_order)
    if export is not None:
        export.write_failed(
            path, [(r.where, [r.error or "", r.field or "", r.question or "", r.where]) for r in failed]
        )
        return
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out)
        writer.writerow(["row", "responseId", "errorType", "field", "question", "error"])
        for r in failed:
            writer.writerow(
                [r.where, r.response_id, r.error_type or "", r.field or "", r.question or "", r.error or ""]
            )
    tmp.replace(path)


def line_order(result: RowResult) -> tuple[int, str]:
    """`line 9` before `line 10`; anything else after, by name."""
    number = result.where.removeprefix("line ").removeprefix("responses[").rstrip("]")
    return (int(number), "") if number.isdigit() else (1 << 62, result.where)


def _failure(where: str, response_id: str, exc: FormsToOgustError) -> RowResult:
    details = exc.details()
    ogust = details.get("ogustMessage")
    message = f"{exc} (Ogust {details['ogustMethod']}: {ogust})" if ogust else str(exc)
    return RowResult(
        where,
        response_id,
        AttemptOutcome.FAILED,
        error=message,
        error_type=type(exc).__name__,
        field=details.get("field"),
        question=details.get("question"),
    )
