"""`receive_submission`: size → signature → schema → mapping → Ogust (sync mode) or Pub/Sub (queue
mode), one status per outcome."""

from __future__ import annotations

import contextlib

import flask
from werkzeug.exceptions import ClientDisconnected

from shared.delivery import apply_once, enqueue, topic_path
from shared.errors import FormsToOgustError, PayloadTimeoutError, PayloadTooLargeError
from shared.http.answers import failure_response, json_response, log_outcome, outcome_body, request_socket
from shared.http.runtime import Runtime
from shared.logs import log, log_context, trace_fields
from shared.ogust import ogust_wait
from shared.webhook import MAX_BODY_BYTES, Submission, parse_submission, verify_signature


def receive(request: flask.Request, runtime: Runtime) -> flask.Response:
    """Handle one signed submission: apply it now (sync) or queue it (queue), and say which.

    The answer's `Server-Timing` header says how long was spent waiting for Ogust.
    """
    with ogust_wait() as waited:
        response = _receive(request, runtime)
    if waited[0]:
        response.headers["Server-Timing"] = f"ogust;dur={waited[0] * 1000:.2f}"
    return response


def _receive(request: flask.Request, runtime: Runtime) -> flask.Response:
    trace = trace_fields(request.headers.get("X-Cloud-Trace-Context"), runtime.settings.project)
    webhook_id = request.headers.get("webhook-id", "")[:64] or None
    with log_context(**trace, webhookId=webhook_id):
        if request.method != "POST":
            return json_response(
                {"status": "rejected", "error": "only POST is accepted"}, 405, {"Allow": "POST"}
            )
        try:
            body = _read_body(request, runtime.settings.body_timeout)
            verify_signature(dict(request.headers.items()), body, runtime.secrets.webhook_secrets())
            submission = parse_submission(body)
            with log_context(responseId=submission.response_id, formId=submission.form_id):
                if runtime.settings.delivery_mode == "queue":
                    return _queue(submission, body, runtime, webhook_id)
                outcome = apply_once(submission, runtime.mapping, runtime.ogust(), runtime.guard())
                log_outcome(outcome)
        except (PayloadTooLargeError, PayloadTimeoutError) as exc:
            # The rest of the body is still on the wire (or never coming): close, do not read it.
            return failure_response(exc, unread_body=True)
        except FormsToOgustError as exc:
            return failure_response(exc)
        except Exception as exc:  # a bug: log it in one line, answer 500, never leak details
            log("ERROR", f"unexpected {type(exc).__name__} while handling a submission", error=str(exc))
            return json_response(
                {"status": "error", "error": "internal error; the function's logs say more"}, 500
            )
        return json_response(
            outcome_body(outcome, submission.response_id), 201 if outcome.status == "created" else 200
        )


def _queue(submission: Submission, body: bytes, runtime: Runtime, webhook_id: str | None) -> flask.Response:
    """Queue mode: 202 only once Pub/Sub confirmed the publish; any failure raises (→ 4xx / 503)."""
    topic = topic_path(runtime.settings.project, runtime.settings.submissions_topic or "")
    message_id = enqueue(
        submission, runtime.mapping, runtime.publisher(), topic, data=body, webhookId=webhook_id
    )
    log("INFO", "submission queued", status="queued", messageId=message_id)
    return json_response({"status": "queued", "submissionId": submission.response_id}, 202)


def _read_body(request: flask.Request, timeout: float) -> bytes:
    """The body, at most MAX_BODY_BYTES of it, within `timeout` seconds of socket silence.

    A body announced over the limit is refused before a byte of it is read. The socket is the
    server's own (gunicorn in the cloud, werkzeug locally); without one (a test client) there is
    nothing to wait for.
    """
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise PayloadTooLargeError(f"body is {request.content_length} bytes; the limit is {MAX_BODY_BYTES}")
    sock = request_socket()
    previous = sock.gettimeout() if sock is not None else None
    try:
        if sock is not None:
            sock.settimeout(timeout)
        body = request.stream.read(MAX_BODY_BYTES + 1)
    except (OSError, ClientDisconnected):
        raise PayloadTimeoutError(f"the body announced did not arrive within {timeout:g} s") from None
    finally:
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.settimeout(previous)
    if len(body) > MAX_BODY_BYTES:
        raise PayloadTooLargeError(f"body is over the limit of {MAX_BODY_BYTES} bytes")
    return body
