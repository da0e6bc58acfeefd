"""Client of the Ogust API v2 (reference: ../shared/reference/ogust-api.md, kept beside the repository).

Errors (shared.errors) and retries, per HTTP request (`max_attempts` in total, backoff doubling):

    KO naming the token          fresh token, call repeated once; refused again  -> OgustAuthError
    KO on getToken               keys re-read once (invalidate); refused again   -> OgustAuthError
    other KO                                                                     -> OgustRejectedError
    connect error/timeout, 429, 503   retried, reads and writes (never applied)  -> OgustUnavailableError
    read timeout, dropped connection,
    500/502/504/other 5xx, 2xx without
    a JSON envelope                   retried for get*/search* only; a write is
                                      raised at once (it may have been applied)  -> OgustUnavailableError
    401/403 without an envelope                                                  -> OgustAuthError
    other 4xx without an envelope (wrong URL)                                    -> OgustRejectedError

Keys and tokens never appear in log lines, exception messages or reprs.
"""

from shared.ogust._client import DEFAULT_TOKEN_ERROR_PATTERN, OgustClient
from shared.ogust._fields import (
    ADDRESS_DEFAULTS,
    ADDRESS_FIELDS,
    CUSTOMER_FIELDS,
    CUSTOMER_THIRD_PARTY,
    USUAL_CREATE_FIELDS,
    WRITE_ONLY_FIELDS,
    Part,
    Target,
)
from shared.ogust._keys import KeyProvider, OgustKeys, StaticKeys, sign_token_request, token_time
from shared.ogust._records import CustomerRecord
from shared.ogust._session import ogust_wait

__all__ = [
    "ADDRESS_DEFAULTS",
    "ADDRESS_FIELDS",
    "CUSTOMER_FIELDS",
    "CUSTOMER_THIRD_PARTY",
    "DEFAULT_TOKEN_ERROR_PATTERN",
    "USUAL_CREATE_FIELDS",
    "WRITE_ONLY_FIELDS",
    "CustomerRecord",
    "KeyProvider",
    "OgustClient",
    "OgustKeys",
    "Part",
    "StaticKeys",
    "Target",
    "ogust_wait",
    "sign_token_request",
    "token_time",
]
