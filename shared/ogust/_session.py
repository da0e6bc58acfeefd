"""One HTTP exchange with Ogust: POST, bounded retries that never duplicate a write, envelope check."""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import httpx

from shared.errors import OgustAuthError, OgustRejectedError, OgustUnavailableError

logger = logging.getLogger("shared.ogust")

REFUSED_STATUSES = frozenset({429, 503})
"""Ogust explicitly refused the request, so it was not applied: safe to repeat, even a write."""

READ_PREFIXES = ("get", "search")
"""getToken, get*, search* change nothing on Ogust; everything else (set*, rem*) is a write."""


def is_read(method: str) -> bool:
    """Whether `method` only reads, so repeating it can never duplicate anything."""
    return method.lower().startswith(READ_PREFIXES)


class Session:
    """A keep-alive `httpx.Client` plus the retry policy and the per-method request counter."""

    def __init__(
        self,
        api_url: str,
        *,
        timeout: float,
        max_attempts: int,
        backoff: float,
        transport: httpx.BaseTransport | None,
        sleep: Callable[[float], None],
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.api_url = api_url
        self._base_url = httpx.URL(api_url)
        self._urls: dict[str, httpx.URL] = {}
        self.calls: Counter[str] = Counter()
        self._calls_lock = threading.Lock()
        self._max_attempts = max_attempts
        self._backoff = backoff
        self._sleep = sleep
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout),
            transport=transport,
            # Loading the CA bundle costs ~45 ms at start; a plain-http URL (the sandbox) never uses it.
            verify=self._base_url.scheme == "https",
            headers={"Accept": "application/json", "User-Agent": "forms-to-ogust"},
        )

    def close(self) -> None:
        """Close the pooled connections."""
        self._http.close()

    def _url(self, method: str) -> httpx.URL:
        """`api_url?method=<method>`, built once per method (httpx merging `params=` costs ~0.1 ms)."""
        url = self._urls.get(method)
        if url is None:
            url = self._urls[method] = self._base_url.copy_merge_params({"method": method})
        return url

    def exchange(self, method: str, make_params: Callable[[], Mapping[str, Any]]) -> dict[str, Any]:
        """POST `?method=<method>` and return the OK or KO envelope; raise when there is none."""
        read = is_read(method)
        for attempt in range(1, self._max_attempts + 1):
            with self._calls_lock:
                self.calls[method] += 1
            cause: Exception | None = None
            try:
                with _timed():
                    response = self._http.post(self._url(method), json=dict(make_params()))
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                failure, sure_not_applied, cause = f"could not connect ({type(exc).__name__})", True, exc
            except httpx.TimeoutException as exc:
                failure, sure_not_applied, cause = "no answer before the timeout", False, exc
            except httpx.TransportError as exc:
                failure, sure_not_applied, cause = f"connection lost ({type(exc).__name__})", False, exc
            else:
                envelope = _envelope(method, response)
                if envelope is not None:
                    return envelope
                failure = f"HTTP {response.status_code} without an Ogust answer"
                sure_not_applied = response.status_code in REFUSED_STATUSES
            if attempt < self._max_attempts and (read or sure_not_applied):
                delay = self._backoff * 2 ** (attempt - 1)
                logger.warning(
                    "Ogust %s attempt %d/%d: %s; retrying in %.2fs",
                    method,
                    attempt,
                    self._max_attempts,
                    failure,
                    delay,
                )
                self._sleep(delay)
                continue
            # A write that may have reached Ogust is never repeated here: the caller searches first.
            note = "" if read or sure_not_applied else " (write not repeated: it may have been applied)"
            raise OgustUnavailableError(
                f"Ogust {method} failed after {attempt} attempt(s): {failure}{note}", method=method
            ) from cause
        raise AssertionError("unreachable")  # pragma: no cover


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
def _timed() -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        total = _waited.get()
        if total is not None:
            total[0] += time.perf_counter() - started


def _envelope(method: str, response: httpx.Response) -> dict[str, Any] | None:
    """The `{"status": "OK"|"KO", ...}` body, None for a transient failure, or raise for a permanent one."""
    try:
        body: Any = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and str(body.get("status", "")).upper() in ("OK", "KO"):
        # KO comes with HTTP 200 (reference §4), but an envelope is trusted whatever the status.
        return {**body, "status": str(body["status"]).upper()}
    code = response.status_code
    if code in (401, 403):
        # Possibly an IP allow-list (reference §5 quirk 6): nothing the data can change.
        raise OgustAuthError(
            f"Ogust {method}: HTTP {code}, access refused without an Ogust answer", method=method
        )
    if 400 <= code < 500 and code != 429:
        raise OgustRejectedError(
            f"Ogust {method}: HTTP {code} without an Ogust answer (is the API URL right?)", method=method
        )
    # 5xx, 429, or a 2xx/3xx that is not JSON (a maintenance page, a PHP error): the server is unwell.
    return None
