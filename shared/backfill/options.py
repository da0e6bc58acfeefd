"""One backfill as the command asks for it: the options pick the sink (plan only, queue, simulate,
or write to Ogust under the person's leases and the ledger), the pace of the Ogust requests and the
state file, so the command line only reads its flags and prints.

    offline            every row planned, nothing called: no keys, no state file
    publish            queued on the submissions topic (with dry_run: planned, nothing published)
    dry_run            Ogust read, every write simulated in order: no state file
    (none of them)     straight to Ogust under `guard`, like the worker
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Protocol, TypeVar

import httpx

from shared.backfill.run import (
    DEFAULT_RATE,
    DEFAULT_WORKERS,
    BackfillReport,
    RateLimitedTransport,
    RateLimiter,
    Sink,
    StateFile,
    direct_sink,
    dry_run_sink,
    offline_sink,
    publish_sink,
    run_backfill,
)
from shared.backfill.sources import Row
from shared.delivery import Publisher
from shared.exactly_once import Guard
from shared.mapping import MappingFile
from shared.ogust import OgustClient

_T = TypeVar("_T")


class OgustConnector(Protocol):
    """Opens the Ogust client, its HTTP requests through `transport` (the rate limiter's)."""

    def __call__(self, *, transport: httpx.BaseTransport | None = None) -> OgustClient: ...


Queue = Callable[[], tuple[Publisher, str]]
"""The publisher and the submissions topic's path, asked for only by a run that publishes."""


@dataclass(frozen=True)
class BackfillOptions:
    """What the command line asks of one run."""

    publish: bool = False
    dry_run: bool = False
    offline: bool = False
    rate: float = DEFAULT_RATE
    """At most this many Ogust requests per second, across all workers (tokens and retries too)."""
    workers: int = DEFAULT_WORKERS
    """Rows sent at once, never two of the same person."""
    state: Path | None = None
    """The file of the response ids already done; a dry run and an offline run keep none."""

    def __post_init__(self) -> None:
        if self.offline and (self.publish or self.dry_run):
            raise ValueError("an offline backfill plans only: it neither publishes nor simulates")

    @property
    def keeps_state(self) -> bool:
        return self.state is not None and not (self.dry_run or self.offline)


class Backfill:
    """A run's sink, rate limiter and state file, picked from its options; the Ogust client it
    opened is closed when it is done (a context manager)."""

    def __init__(
        self,
        mapping: MappingFile,
        options: BackfillOptions,
        *,
        guard: Guard | None = None,
        ogust: OgustConnector | None = None,
        queue: Queue | None = None,
    ) -> None:
        """`guard` is needed by a run that writes to Ogust, `ogust` by one that reads it (a real
        run or a dry run), `queue` by one that publishes: each is called only when needed."""
        self.mapping = mapping
        self.options = options
        self._state = StateFile(options.state) if options.keeps_state and options.state else None
        self._ogust: OgustClient | None = None
        self._sink = self._pick(guard, ogust, queue)

    def _pick(self, guard: Guard | None, ogust: OgustConnector | None, queue: Queue | None) -> Sink:
        options, mapping = self.options, self.mapping
        if options.offline:
            return offline_sink(mapping)
        if options.publish:
            publisher, topic = _needed(queue, "a publishing backfill needs the queue")()
            return publish_sink(mapping, publisher, topic, dry_run=options.dry_run)
        if not options.dry_run and guard is None:
            raise ValueError("a backfill that writes to Ogust needs the guard (ledger and leases)")
        connect = _needed(ogust, "a backfill that reads Ogust needs its client")
        # Every Ogust HTTP request takes a slot: tokens and retries count against the rate too.
        self._ogust = connect(transport=RateLimitedTransport(RateLimiter(options.rate)))
        if options.dry_run or guard is None:
            return dry_run_sink(mapping, self._ogust)
        return direct_sink(mapping, self._ogust, guard)

    def run(self, rows: Iterable[Row], *, on_progress: Callable[[int], None] | None = None) -> BackfillReport:
        """Every row through the sink; a bad row is reported, never fatal."""
        return run_backfill(
            rows,
            self.mapping,
            self._sink,
            workers=self.options.workers,
            state=self._state,
            on_progress=on_progress,
        )

    def close(self) -> None:
        if self._ogust is not None:
            self._ogust.close()
            self._ogust = None

    def __enter__(self) -> Backfill:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _needed(value: _T | None, problem: str) -> _T:
    if value is None:
        raise ValueError(problem)
    return value
