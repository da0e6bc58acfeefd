"""What every request to every function goes through before its handler, in one place.

    method    anything but the entry's methods → 405 with `Allow`, at once, the body unread
    trace     the request's Cloud Trace id on every log line written while it is handled
    body      read whole by `read_body` (limit, total time) → 413 / 408 / 400, the rest unread
    handler   called with the body already read; it never reads the request itself
    crash     an exception the handler did not expect → ONE log line (ERROR, masked, its stack in
              the same line) and the entry's crash answer with `X-Google-Status: crash`, as
              functions-framework's own crash handler answers; never a server traceback

An answer given before the body was read is streamed and closes the connection: functions-framework
reads the whole request before any other answer, and the server would read the rest of the body
while waiting for the next request on the connection.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass

import flask

from shared.errors import PayloadError
from shared.http.answers import failure_response, json_response
from shared.http.body import read_body
from shared.http.runtime import Runtime
from shared.lifecycle import AttemptOutcome
from shared.logs import context_of, log, log_context, trace_fields

Handler = Callable[[flask.Request, bytes, Runtime], flask.Response]
"""A function's own work, on a request whose method is accepted and whose body is read."""

CRASH_HEADER = ("X-Google-Status", "crash")
"""functions-framework's mark of a crashed request (its `crash_handler`): the platform logs it."""


@dataclass(frozen=True)
class Entry:
    """How one function's requests are received."""

    max_body_bytes: int
    crash_message: str
    """The start of the crash line, say what was not done ("submission not handled")."""
    crash_status: int = 500
    """What a crash answers: 500, or 503 where the caller must try again (a Pub/Sub nack)."""
    methods: tuple[str, ...] = ("POST",)

    def serve(self, handler: Handler, request: flask.Request, runtime: Runtime) -> flask.Response:
        """Check the method, read the body within its limits, run `handler`, never crash."""
        with log_context(**_trace(request, runtime)):
            if request.method not in self.methods:
                allowed = ", ".join(self.methods)
                error = f"method {request.method} is not accepted; use {allowed}"
                return json_response(
                    {"status": AttemptOutcome.REJECTED, "error": error},
                    405,
                    {"Allow": allowed},
                    unread_body=True,
                )
            try:
                body = read_body(request, limit=self.max_body_bytes, budget=runtime.settings.body_timeout)
            except PayloadError as exc:
                # The rest of the body is still on the wire, or never coming: answer, do not read it.
                return failure_response(exc, unread_body=True)
            try:
                return handler(request, body, runtime)
            except Exception as exc:
                fields = {
                    **context_of(exc),  # which response it was about, from where it was raised
                    "status": AttemptOutcome.FAILED,
                    "error": str(exc),
                    "stack_trace": "".join(traceback.format_exception(exc)),
                }
                log("ERROR", f"{self.crash_message}: unexpected {type(exc).__name__}", **fields)
                return json_response(
                    {
                        "status": AttemptOutcome.FAILED,
                        "error": "internal error; the function's logs say more",
                    },
                    self.crash_status,
                    dict([CRASH_HEADER]),
                )


def not_found(error: Exception) -> flask.Response:
    """functions-framework's own 404 (`/favicon.ico`, `/robots.txt`), answered without reading the
    body either: the framework would otherwise read it whole, with no time limit, before answering."""
    return json_response(
        {"status": AttemptOutcome.REJECTED, "error": "not found: the function answers on its own URL"},
        404,
        unread_body=True,
    )


def _trace(request: flask.Request, runtime: Runtime) -> dict[str, str]:
    """Cloud Trace's header, or the W3C one (`traceparent: 00-TRACE-SPAN-01`) Cloud Run also sends."""
    header = request.headers.get("X-Cloud-Trace-Context")
    if not header:
        parts = request.headers.get("traceparent", "").split("-")
        header = parts[1] if len(parts) == 4 else None
    return trace_fields(header, runtime.settings.project)
