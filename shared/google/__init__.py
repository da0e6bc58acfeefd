"""What the Google API clients (shared.forms, shared.sheets) share: the base client (endpoint,
connections, token), the access tokens, one call sent and its JSON answer, Google's error body.
Each client keeps its own calls and messages.

    GoogleApiClient    the base of FormsClient and SheetsClient (it picks the token: the service
                       account's through google-auth, or none for a local fake; `_auth`)
    GoogleCall         a call named for messages (API, method, what it is about)
    json_object        a successful answer's JSON object
    google_error       (code, "code STATUS: message") of an error answer
"""

from shared.google._client import GoogleApiClient
from shared.google._rest import GoogleCall, google_error, json_object

__all__ = [
    "GoogleApiClient",
    "GoogleCall",
    "google_error",
    "json_object",
]
