"""What the Google API clients (shared.forms, shared.sheets) share: the base client (endpoint,
connections, token), the access tokens, one call sent and its JSON answer, Google's error body.
Each client keeps its own calls and messages.

    GoogleApiClient    the base of FormsClient and SheetsClient
    GoogleCredentials  the service account's token (google-auth); Anonymous: none, for a local fake
    GoogleCall         a call named for messages (API, method, what it is about)
    send               one request → its answer; DeliveryUnavailableError when none came
    json_object        a successful answer's JSON object
    google_error       (code, "code STATUS: message") of an error answer
"""

from shared.google._auth import Anonymous, GoogleCredentials, TokenSource
from shared.google._client import GoogleApiClient
from shared.google._rest import GoogleCall, google_error, json_object, send

__all__ = [
    "Anonymous",
    "GoogleApiClient",
    "GoogleCall",
    "GoogleCredentials",
    "TokenSource",
    "google_error",
    "json_object",
    "send",
]
