"""Cloud Function entry points. Only wiring: the behaviour lives in the `shared` package."""

import flask
import functions_framework

from shared.http import Runtime, handle_push, not_found, probe, receive, reconcile

# Read settings and the mapping now: a bad mapping stops the instance (and the deploy) at start.
# What must be set depends on the entry point (FUNCTION_TARGET) and DELIVERY_MODE.
_runtime = Runtime.from_env()

# The framework's own 404s (/favicon.ico, /robots.txt) would read a body whole before answering.
functions_framework.errorhandler(404)(not_found)


@functions_framework.http
def receive_submission(request: flask.Request) -> flask.Response:
    """HTTP: a signed form submission, applied to Ogust (sync) or queued on Pub/Sub (queue)."""
    return receive(request, _runtime)


@functions_framework.http
def process_submission(request: flask.Request) -> flask.Response:
    """Pub/Sub push (queue mode): apply one submission; 2xx acknowledges, 503 asks for a redelivery."""
    return handle_push(request, _runtime)


@functions_framework.http
def reconcile_forms(request: flask.Request) -> flask.Response:
    """Cloud Scheduler or a Forms API watch (Pub/Sub push): send what the forms hold and Ogust lacks."""
    return reconcile(request, _runtime)


@functions_framework.http
def probe_ogust(request: flask.Request) -> flask.Response:
    """HTTP, authenticated by Cloud Run: the doctor's read-only probes of Ogust from this environment."""
    return probe(request, _runtime)
