"""The one exception hierarchy of forms-to-ogust, and the one table of what each error means.

    FormsToOgustError
     ├── ConfigError              settings, mapping file or secret unusable (the operator must act)  [retry]
     ├── SecretUnavailableError   Secret Manager unreachable or failing                               [retry]
     ├── DeliveryUnavailableError Pub/Sub, the ledger or a lease (Firestore) unavailable or busy      [retry]
     ├── SignatureError           webhook signature missing, malformed, wrong or stale
     ├── PayloadError             body is not a schema v1 submission
     │    ├── PayloadTooLargeError  over the size limit (refused from Content-Length, unread)
     │    └── PayloadTimeoutError   the announced body did not arrive in time
     ├── SubmissionRejected       the mapping refuses the submission (names field and question)
     │    ├── AmbiguousMatchError several Ogust customers match the lookup key
     │    └── IdentityConflictError a lookup key finds a customer whose other key disagrees
     │         └── WorkerNatureConflictError a job application finds a worker of another nature
     ├── OgustError               carries the Ogust method and Ogust's own message
     │    ├── OgustUnavailableError  timeout, dropped connection, 5xx, 429 (KO or not)            [retry]
     │    ├── OgustAuthError         Ogust refuses the keys or the token                          [retry]
     │    └── OgustRejectedError     Ogust answered KO on the data
     └── DeliveryAttemptsExhausted a retryable failure on the worker's last delivery attempt

`retryable` says whether the same submission may succeed later without anyone changing it: it is
answered 503 and kept by the sender, nacked on Pub/Sub, reported "retry later" by a backfill. Any
other error refuses the submission as it is: 4xx, parked in the dead letters with its reason.
`details()` is what a person needs to fix it. `policy()` is the only place an error class becomes
an HTTP status or a command-line exit code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

EXIT_PROBLEMS = 1
"""Command-line exit code: the checked thing has problems (invalid mapping, refused submissions)."""
EXIT_USAGE = 2
"""Command-line exit code: wrong usage (click's own)."""
EXIT_CANNOT_RUN = 3
"""Command-line exit code: the tool could not run (settings, files, network, a service down)."""


class FormsToOgustError(Exception):
    """Base of every error this project raises on purpose.

    `applied` and `customer_id` are set when the error interrupted the writes of a submission after
    some had been made (a partial write): what is already in Ogust, and on which customer.
    """

    retryable: ClassVar[bool] = True
    """Unless a class says otherwise, keep the submission and try again: that never loses it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.applied: list[str] = []
        self.not_applied: list[str] = []
        self.customer_id: str | None = None

    @property
    def public_message(self) -> str:
        """The message a sender over the internet may read."""
        return str(self)

    def details(self) -> dict[str, Any]:
        """Where the problem is, for the sender, the dead letters and a failed-rows file."""
        if not self.applied:
            return {}
        return {"customerId": self.customer_id, "applied": self.applied, "notApplied": self.not_applied}


class ConfigError(FormsToOgustError):
    """A setting, the mapping file or a secret is missing or invalid."""

    # retryable: the submission is fine, keep it until the operator fixes the configuration

    @property
    def public_message(self) -> str:
        # Which secret or setting is wrong goes to the function's logs, not to the internet.
        return "the service is not configured correctly; its logs say why"


class SecretUnavailableError(FormsToOgustError):
    """Secret Manager could not be reached or answered with a server error."""


class DeliveryUnavailableError(FormsToOgustError):
    """Pub/Sub, the ledger or a lease could not be had in time: retry later."""


class SignatureError(FormsToOgustError):
    """The webhook signature headers are missing, malformed, wrong or outside the tolerance."""

    retryable = False


class PayloadError(FormsToOgustError):
    """The request body is not a valid schema v1 submission."""

    retryable = False


class PayloadTooLargeError(PayloadError):
    """The request body is over the size limit."""


class PayloadTimeoutError(PayloadError):
    """The sender announced a body and did not send it in time (a worker thread is not held for it)."""


class SubmissionRejected(FormsToOgustError):
    """The mapping refuses this submission; `field` and `question` say where.

    `value` is the offending answer: shown to the sender, kept out of the message (which is logged).
    """

    retryable = False

    def __init__(
        self, message: str, *, field: str | None = None, question: str | None = None, value: str | None = None
    ) -> None:
        super().__init__(message)
        self.field = field
        self.question = question
        self.value = value

    def details(self) -> dict[str, Any]:
        found = {"field": self.field, "question": self.question, "value": self.value}
        return {**{k: v for k, v in found.items() if v is not None}, **super().details()}


class AmbiguousMatchError(SubmissionRejected):
    """Several Ogust customers match the lookup key: never pick one at random."""

    def __init__(self, message: str, *, field: str | None = None, customer_ids: Sequence[str] = ()) -> None:
        super().__init__(message, field=field)
        self.customer_ids = list(customer_ids)

    def details(self) -> dict[str, Any]:
        return {**super().details(), "customerIds": self.customer_ids}


class IdentityConflictError(SubmissionRejected):
    """A lookup key finds a customer whose other lookup key holds another value: someone else
    (`on_conflict: refuse`). `field` names both keys; the customer id is given in full."""

    def __init__(self, message: str, *, keys: Sequence[str] = (), customer_id: str = "") -> None:
        super().__init__(message, field=", ".join(keys) or None)
        self.keys = list(keys)
        self.customer_ids = [customer_id] if customer_id else []

    def details(self) -> dict[str, Any]:
        return {**super().details(), "keys": self.keys, "customerIds": self.customer_ids}


class WorkerNatureConflictError(IdentityConflictError):
    """A job application's lookup keys find an Ogust worker of another nature than the one the form
    creates (a salarié, not a candidate): not a new candidate (`on_conflict: refuse`)."""


class OgustError(FormsToOgustError):
    """An Ogust call failed; `method` is the Ogust method, `ogust_message` what Ogust said."""

    def __init__(self, message: str, *, method: str, ogust_message: str | None = None) -> None:
        super().__init__(message)
        self.method = method
        self.ogust_message = ogust_message

    def details(self) -> dict[str, Any]:
        found = {"ogustMethod": self.method, "ogustMessage": self.ogust_message}
        return {**{k: v for k, v in found.items() if v is not None}, **super().details()}


class OgustUnavailableError(OgustError):
    """Ogust timed out, dropped the connection, or answered 5xx or 429.

    `maybe_applied`: a write that may have reached Ogust all the same. It is never repeated as is:
    the retry searches again and decides from what Ogust now holds.
    """

    def __init__(
        self, message: str, *, method: str, ogust_message: str | None = None, maybe_applied: bool = False
    ) -> None:
        super().__init__(message, method=method, ogust_message=ogust_message)
        self.maybe_applied = maybe_applied

    def details(self) -> dict[str, Any]:
        return {**super().details(), **({"maybeApplied": True} if self.maybe_applied else {})}


class OgustAuthError(OgustError):
    """Ogust refused the keys or the token even after a fresh token and fresh keys."""


class OgustRejectedError(OgustError):
    """Ogust answered KO about the data sent."""

    retryable = False


class DeliveryAttemptsExhausted(FormsToOgustError):
    """A passing fault that did not pass: the worker's last delivery attempt (MAX_DELIVERY_ATTEMPTS)
    failed like the ones before it. Refused as it stands, so that it is parked with its reason and
    the agency is told, instead of Pub/Sub moving it to the dead letters unannounced. Built by
    `after()` from the last attempt's error, whose details it carries; nothing in it is wrong, so
    resending it once the service answers again applies it (through the ledger, never twice)."""

    retryable = False

    def __init__(self, message: str, *, cause: FormsToOgustError | None = None, attempts: int = 0) -> None:
        super().__init__(message)
        self.cause = cause
        self.attempts = attempts

    @classmethod
    def after(cls, cause: FormsToOgustError, attempts: int) -> DeliveryAttemptsExhausted:
        """The refusal of a submission whose attempt number `attempts` failed with `cause`."""
        given_up = cls(
            f"still failing after {attempts} delivery attempts ({type(cause).__name__}: {cause})",
            cause=cause,
            attempts=attempts,
        )
        given_up.applied, given_up.not_applied = cause.applied, cause.not_applied
        given_up.customer_id = cause.customer_id
        return given_up

    @property
    def waited_for(self) -> str:
        """The detail that says who did not answer: Ogust (`ogustAttempts`), Ogust refusing the
        keys (`keysAttempts`), or Google's side: Secret Manager, Firestore, a lease, the settings
        (`serviceAttempts`)."""
        if isinstance(self.cause, OgustAuthError):
            return "keysAttempts"
        if isinstance(self.cause, OgustError):
            return "ogustAttempts"
        return "serviceAttempts"

    def details(self) -> dict[str, Any]:
        found = self.cause.details() if self.cause is not None else super().details()
        return {**found, **({self.waited_for: self.attempts} if self.attempts else {})}


@dataclass(frozen=True)
class Policy:
    """What an error means to each caller: HTTP status, command-line exit code, log severity."""

    http_status: int
    exit_code: int
    severity: str = "WARNING"
    """ERROR only where a person must act now (alerts fire on ERROR lines): a passing fault, retried
    by itself, and a refusal, parked with its reason, are warnings."""


POLICIES: tuple[tuple[type[FormsToOgustError], Policy], ...] = (
    (SignatureError, Policy(401, EXIT_PROBLEMS)),
    (PayloadTooLargeError, Policy(413, EXIT_PROBLEMS)),
    (PayloadTimeoutError, Policy(408, EXIT_PROBLEMS)),
    (PayloadError, Policy(400, EXIT_PROBLEMS)),
    (SubmissionRejected, Policy(422, EXIT_PROBLEMS)),
    (OgustRejectedError, Policy(422, EXIT_PROBLEMS)),
    (ConfigError, Policy(503, EXIT_CANNOT_RUN, "ERROR")),
    # Only the worker gives up (it answers Pub/Sub 204 once parked): the status is never sent.
    (DeliveryAttemptsExhausted, Policy(422, EXIT_PROBLEMS)),
    # Everything else is retryable: the submission is kept and tried again later.
    (FormsToOgustError, Policy(503, EXIT_CANNOT_RUN)),
)
"""Most specific first; a test checks that `retryable` and a 5xx status always go together."""


def policy(exc: FormsToOgustError) -> Policy:
    """The policy of `exc`'s class."""
    for kind, found in POLICIES:
        if isinstance(exc, kind):
            return found
    raise AssertionError("unreachable: FormsToOgustError is the last entry")  # pragma: no cover
