"""The baseline: a bare functions-framework HTTP function that reads the body and answers 200."""

import flask
import functions_framework


@functions_framework.http
def bare(request: flask.Request) -> tuple[str, int]:
    """Read the whole body, answer an empty 200."""
    request.get_data()
    return "", 200
