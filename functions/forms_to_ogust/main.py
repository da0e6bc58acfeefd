"""Cloud Function entry points. Only wiring: the behaviour lives in the `shared` package."""

import flask
import functions_framework

from shared.receiver import receive
from shared.runtime import Runtime

# Read settings and the mapping now: a bad mapping stops the instance (and the deploy) at start.
_runtime = Runtime.from_env()


@functions_framework.http
def receive_submission(request: flask.Request) -> flask.Response:
    """HTTP: a signed form submission, applied to Ogust before answering."""
    return receive(request, _runtime)
