"""Client of the Ogust API v2 (docs/ogust-api.md).

Errors (shared.errors) and retries, per HTTP request (`max_attempts` in total, backoff doubling):

    KO refusing the token (narrow,    fresh token, call repeated once (nothing was applied);
    configurable pattern)             refused again                                  -> OgustAuthError
    KO on getToken                    keys re-read once (invalidate); refused again  -> OgustAuthError
    other KO with HTTP 2xx/4xx        a verdict on the data                          -> OgustRejectedError
    5xx or 429 (KO envelope or not),  reads: retried. Writes (set*, rem*): raised at
    timeout, dropped connection,      once, maybe_applied=True: Ogust may have
    2xx without a JSON envelope       applied it, the caller searches before retrying -> OgustUnavailableError
    could not connect (never sent)    retried, reads and writes; maybe_applied=False -> OgustUnavailableError
    401/403 without an envelope                                                      -> OgustAuthError
    other 4xx without an envelope (wrong URL)                                        -> OgustRejectedError

Every OgustUnavailableError raised here says whether a write may have been applied (`maybe_applied`).
Warnings go through shared.logs (one JSON line, masked, with the request's log context).
Keys and tokens never appear in log lines, exception messages or reprs.
"""

from typing import TYPE_CHECKING, Any

from shared.ogust._defaults import (
    DEFAULT_BACKOFF,
    DEFAULT_MAX_ATTEMPTS,
    DEFAULT_PAGE_SIZE,
    DEFAULT_TOKEN_ERROR_PATTERN,
    THIRD_PARTY_PAGE_SIZE,
)
from shared.ogust._encoding import BODY_ENCODINGS, BodyEncoding, form_body, form_pairs
from shared.ogust._fields import (
    ADDRESS_DEFAULTS,
    ADDRESS_FIELDS,
    CUSTOMER_FIELDS,
    CUSTOMER_THIRD_PARTY,
    EMPLOYEE_FIELDS,
    EMPLOYEE_THIRD_PARTY,
    ENTITY_FIELDS,
    OGUST_LISTS,
    USUAL_CREATE_FIELDS,
    USUAL_EMPLOYEE_CREATE_FIELDS,
    WRITE_ONLY_FIELDS,
    Entity,
    Part,
    Target,
)
from shared.ogust._keys import (
    PARIS,
    TOKEN_ZONES,
    KeyProvider,
    OgustKeys,
    StaticKeys,
    sign_token_request,
    token_time,
)
from shared.ogust._records import CustomerRecord, TextEscaping
from shared.ogust._shapes import search_page, third_party_values
from shared.ogust._timing import ogust_wait

if TYPE_CHECKING:
    from shared.ogust._client import OgustClient
    from shared.ogust._session import is_read


def __getattr__(name: str) -> Any:
    """The client and what needs httpx, imported on first use: a function that never calls Ogust
    (the receiver in queue mode, the reconciler) does not pay for them at start."""
    if name == "OgustClient":
        from shared.ogust._client import OgustClient

        return OgustClient
    if name == "is_read":
        from shared.ogust._session import is_read

        return is_read
    raise AttributeError(f"module 'shared.ogust' has no attribute {name!r}")


__all__ = [
    "ADDRESS_DEFAULTS",
    "ADDRESS_FIELDS",
    "BODY_ENCODINGS",
    "CUSTOMER_FIELDS",
    "CUSTOMER_THIRD_PARTY",
    "DEFAULT_BACKOFF",
    "DEFAULT_MAX_ATTEMPTS",
    "DEFAULT_PAGE_SIZE",
    "DEFAULT_TOKEN_ERROR_PATTERN",
    "EMPLOYEE_FIELDS",
    "EMPLOYEE_THIRD_PARTY",
    "ENTITY_FIELDS",
    "OGUST_LISTS",
    "PARIS",
    "THIRD_PARTY_PAGE_SIZE",
    "TOKEN_ZONES",
    "USUAL_CREATE_FIELDS",
    "USUAL_EMPLOYEE_CREATE_FIELDS",
    "WRITE_ONLY_FIELDS",
    "BodyEncoding",
    "CustomerRecord",
    "Entity",
    "KeyProvider",
    "OgustClient",
    "OgustKeys",
    "Part",
    "StaticKeys",
    "Target",
    "TextEscaping",
    "form_body",
    "form_pairs",
    "is_read",
    "ogust_wait",
    "search_page",
    "sign_token_request",
    "third_party_values",
    "token_time",
]
