"""One HTTP exchange with Ogust: POST, bounded retries that never repeat a write, envelope check."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TextIO

import httpx

from shared.errors import OgustAuthError, OgustRejectedError, OgustUnavailableError
from shared.logs import log
from shared.ogust._encoding import BodyEncoding
from shared.ogust._timing import timed as _timed
from shared.ogust._wire import envelope_of, http_client, send

READ_PREFIXES = ("get", "search")
"""getToken, get*, search* change nothing on Ogust; everything else (set*, rem*) is a write."""

"""Attribute every OgustUnavailableError of this client carries: True when the request may have
reached Ogust and been applied (a write answered 5xx/429, timed out or lost its connection)."""


def is_read(method: str) -> bool:
    """Whether `method` only reads, so repeating it can never duplicate anything."""
    return method.lower().startswith(READ_PREFIXES)


def unavailable(
    message: str, *, method: str, ogust_message: str | None = None, maybe_applied: bool = False
) -> OgustUnavailableError:
    """The error of an exchange that got no usable answer."""
    return OgustUnavailableError(
        message, method=method, ogust_message=ogust_message, maybe_applied=maybe_applied
    )


@dataclass(frozen=True)
class _Failure:
    """Why one attempt got no usable answer."""

    text: str
    sent: bool
    """False only when the request certainly never left (no connection): repeating it is safe."""
    ogust_message: str | None = None


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
        encoding: BodyEncoding = "json",
        redact: Callable[[str], str] = lambda text: text,
        log_stream: TextIO | None = None,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if encoding not in ("json", "form"):
            raise ValueError("encoding must be 'json' or 'form'")
        self.api_url = api_url
        self.encoding: BodyEncoding = encoding
        self._base_url = httpx.URL(api_url)
        self._urls: dict[str, httpx.URL] = {}
        self.calls: Counter[str] = Counter()
        self._calls_lock = threading.Lock()
        self._max_attempts = max_attempts
        self._backoff = backoff
        self._sleep = sleep
        self._redact = redact
        self._log_stream = log_stream
        self._http = http_client(
            self._base_url, timeout=timeout, transport=transport, user_agent="forms-to-ogust"
        )

    def close(self) -> None:
        """Close the pooled connections."""
        self._http.close()

    def log(self, severity: str, message: str, **fields: Any) -> None:
        """One JSON line through shared.logs (masked, with the request's log context)."""
        log(severity, self._redact(message), stream=self._log_stream, **fields)

    def _url(self, method: str) -> httpx.URL:
        """`api_url?method=<method>`, built once per method (httpx merging `params=` costs ~0.1 ms)."""
        url = self._urls.get(method)
        if url is None:
            url = self._urls[method] = self._base_url.copy_merge_params({"method": method})
        return url

    def post(self, method: str, params: Mapping[str, Any]) -> httpx.Response:
        """One POST of `params` in the configured encoding (no retry, no interpretation)."""
        return send(self._http, self._url(method), params, self.encoding)

    def exchange(self, method: str, make_params: Callable[[], Mapping[str, Any]]) -> dict[str, Any]:
        """POST `?method=<method>` and return the OK or KO envelope; raise when there is none.

        Reads are retried on any transient failure. A write is repeated only when its request
        never left (no connection): after a 5xx, a 429, a timeout or a lost connection Ogust may
        have applied it, so it is raised at once with `maybe_applied` and the caller searches
        again before deciding (docs/ogust-api.md §9: a live integration never repeats an uncertain create).
        """
        read = is_read(method)
        for attempt in range(1, self._max_attempts + 1):
            with self._calls_lock:
                self.calls[method] += 1
            cause: Exception | None = None
            failure: _Failure | None
            try:
                with _timed():
                    response = self.post(method, make_params())
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                failure, cause = _Failure(f"could not connect ({type(exc).__name__})", sent=False), exc
            except httpx.TimeoutException as exc:
                failure, cause = _Failure("no answer before the timeout", sent=True), exc
            except httpx.TransportError as exc:
                failure, cause = _Failure(f"connection lost ({type(exc).__name__})", sent=True), exc
            else:
                envelope, failure = self._read(method, response)
                if envelope is not None:
                    return envelope
            assert failure is not None
            if attempt < self._max_attempts and (read or not failure.sent):
                delay = self._backoff * 2 ** (attempt - 1)
                self.log(
                    "WARNING",
                    f"Ogust {method} attempt {attempt}/{self._max_attempts}: {failure.text}; "
                    f"retrying in {delay:.2f}s",
                    ogustMethod=method,
                    attempt=attempt,
                    maxAttempts=self._max_attempts,
                    retryInSeconds=delay,
                )
                self._sleep(delay)
                continue
            maybe_applied = not read and failure.sent
            note = " (write not repeated: it may have been applied)" if maybe_applied else ""
            raise unavailable(
                f"Ogust {method} failed after {attempt} attempt(s): {failure.text}{note}",
                method=method,
                ogust_message=failure.ogust_message,
                maybe_applied=maybe_applied,
            ) from cause
        raise AssertionError("unreachable")  # pragma: no cover

    def _read(self, method: str, response: httpx.Response) -> tuple[dict[str, Any] | None, _Failure | None]:
        """The envelope, or why there is none (transient); raise for a permanent refusal."""
        envelope = envelope_of(response)
        code = response.status_code
        if code >= 500 or code == 429:
            # The server is unwell or busy, whatever its body says: a KO here is not a verdict on the
            # data (docs/ogust-api.md §9). Ogust's message is kept for the person reading the error.
            message = None if envelope is None else self._redact(_message(envelope))
            shown = f"HTTP {code}" + (f" with KO: {message}" if message else " without an Ogust answer")
            return None, _Failure(shown, sent=True, ogust_message=message)
        if envelope is not None:
            # KO comes with HTTP 2xx (docs/ogust-api.md §4); a 4xx with an envelope is Ogust answering too.
            return envelope, None
        if code in (401, 403):
            # Possibly an IP allow-list (docs/ogust-api.md §5 quirk 6): nothing the data can change.
            raise OgustAuthError(
                f"Ogust {method}: HTTP {code}, access refused without an Ogust answer", method=method
            )
        if 400 <= code < 500:
            raise OgustRejectedError(
                f"Ogust {method}: HTTP {code} without an Ogust answer (is the API URL right?)", method=method
            )
        # A 2xx/3xx that is not an envelope (a maintenance page, a PHP error): the server is unwell.
        return None, _Failure(f"HTTP {code} without an Ogust answer", sent=True)


def _message(envelope: Mapping[str, Any]) -> str:
    return str(envelope.get("message") or "")
