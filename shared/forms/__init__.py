"""The Google Forms API: a small REST client (forms, responses, watches) and the one reader that
turns a Forms API response into the schema v1 submission the Apps Script would have sent.

    FormsClient               forms.get, forms.responses.list / get, forms.watches.*
    submission_from_response  FormResponse → Submission (the backfill's export reader uses it too)
"""

from typing import TYPE_CHECKING, Any

from shared.forms._convert import parse_time, submission_from_response
from shared.forms._model import DEFAULT_PAGE_SIZE, Watch

if TYPE_CHECKING:
    from shared.forms._client import FormsClient


def __getattr__(name: str) -> Any:
    """The client (httpx, google-auth) is imported on first use: only the reconciler needs it."""
    if name == "FormsClient":
        from shared.forms._client import FormsClient

        return FormsClient
    raise AttributeError(f"module 'shared.forms' has no attribute {name!r}")


__all__ = [
    "DEFAULT_PAGE_SIZE",
    "FormsClient",
    "Watch",
    "parse_time",
    "submission_from_response",
]
