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

Beneath the client, the wire layer (`OgustWire`, `Reply`): one request as it goes and comes back,
signed and encoded as the client does it, with no retry and no interpretation (the doctor's view).
"""

from typing import TYPE_CHECKING, Any

from shared.ogust._encoding import BodyEncoding
from shared.ogust._fields import ENTITY_FIELDS, Entity, Part, Target
from shared.ogust._keys import PARIS, OgustKeys
from shared.ogust._options import ClientOptions
from shared.ogust._records import CustomerRecord, TextEscaping
from shared.ogust._timing import ogust_wait

if TYPE_CHECKING:
    from shared.ogust._client import OgustClient
    from shared.ogust._wire import OgustWire, Reply


def __getattr__(name: str) -> Any:
    """The client, the wire layer and httpx, imported on first use: a function that never calls
    Ogust (the receiver in queue mode, the reconciler) does not pay for them at start."""
    if name == "OgustClient":
        from shared.ogust._client import OgustClient

        return OgustClient
    if name in ("OgustWire", "Reply"):
        from shared.ogust import _wire

        return getattr(_wire, name)
    raise AttributeError(f"module 'shared.ogust' has no attribute {name!r}")


__all__ = [
    "ENTITY_FIELDS",
    "PARIS",
    "BodyEncoding",
    "ClientOptions",
    "CustomerRecord",
    "Entity",
    "OgustClient",
    "OgustKeys",
    "OgustWire",
    "Part",
    "Reply",
    "Target",
    "TextEscaping",
    "ogust_wait",
]
