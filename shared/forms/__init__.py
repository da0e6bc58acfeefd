"""The Google Forms API: a small REST client (forms, responses, watches) and the one reader that
turns a Forms API response into the schema v1 submission the Apps Script would have sent.

    FormsClient               forms.get, forms.responses.list / get, forms.watches.*
    submission_from_response  FormResponse → Submission (the backfill's export reader uses it too)
"""

from shared.forms._auth import SCOPES
from shared.forms._client import (
    DEFAULT_PAGE_SIZE,
    NOTIFICATIONS_ACCOUNT,
    FormsClient,
    Watch,
    rfc3339,
)
from shared.forms._convert import parse_time, script_time, submission_from_response

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "NOTIFICATIONS_ACCOUNT",
    "SCOPES",
    "FormsClient",
    "Watch",
    "parse_time",
    "rfc3339",
    "script_time",
    "submission_from_response",
]
