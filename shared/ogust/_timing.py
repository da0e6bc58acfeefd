"""How long a request spends waiting for Ogust (the receiver's `Server-Timing`); no HTTP here."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_waited: ContextVar[list[float] | None] = ContextVar("ogust_waited", default=None)


@contextmanager
def ogust_wait() -> Iterator[list[float]]:
    """Collect, in `[seconds]`, the time this context spends waiting for Ogust (for Server-Timing)."""
    total = [0.0]
    token = _waited.set(total)
    try:
        yield total
    finally:
        _waited.reset(token)


@contextmanager
def timed() -> Iterator[None]:
    """Add the block's duration to the enclosing `ogust_wait`, if any."""
    started = time.perf_counter()
    try:
        yield
    finally:
        total = _waited.get()
        if total is not None:
            total[0] += time.perf_counter() - started
