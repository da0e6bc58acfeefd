"""The REST plumbing the Google API clients (shared.forms, shared.sheets) share: one call sent with
its token, its JSON answer, Google's error body. Each client keeps its own calls and messages.

    GoogleCall     a call named for messages (API, method, what it is about)
    send           one request → its answer; DeliveryUnavailableError when none came
    json_object    a successful answer's JSON object
    google_error   (code, "code STATUS: message") of an error answer
"""

from shared.google._rest import GoogleCall, google_error, json_object, send

__all__ = ["GoogleCall", "google_error", "json_object", "send"]
