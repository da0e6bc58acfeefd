"""The one exception hierarchy of forms-to-ogust.

    FormsToOgustError
     ├── ConfigError              settings, mapping file or secret unusable (the operator must act)
     ├── SecretUnavailableError   Secret Manager unreachable or failing            [transient]
     ├── DeliveryUnavailableError Pub/Sub or the ledger (Firestore) unreachable    [transient]
     ├── SignatureError           webhook signature missing, malformed, wrong or stale
     ├── PayloadError             body is not a schema v1 submission
     │    └── PayloadTooLargeError
     ├── SubmissionRejected       the mapping refuses the submission (names field and question)
     │    └── AmbiguousMatchError several Ogust customers match the lookup key
     └── OgustError               carries the Ogust method and Ogust's own message
          ├── OgustUnavailableError  timeout, connection error, 5xx, 429             [transient]
          ├── OgustAuthError         Ogust refuses the keys or the token             [transient]
          └── OgustRejectedError     Ogust answered KO on the data

`transient` says whether trying the same thing later can succeed. How each class becomes an HTTP
status, or a Pub/Sub ack or nack, is decided in one place: `shared.outcome`.
"""

from __future__ import annotations


class FormsToOgustError(Exception):
    """Base of every error this project raises on purpose."""

    transient: bool = False


class ConfigError(FormsToOgustError):
    """A setting, the mapping file or a secret is missing or invalid."""


class SecretUnavailableError(FormsToOgustError):
    """Secret Manager could not be reached or answered with a server error."""

    transient = True


class DeliveryUnavailableError(FormsToOgustError):
    """Pub/Sub or the ledger (Firestore) could not be reached or refused the call: retry later."""

    transient = True


class SignatureError(FormsToOgustError):
    """The webhook signature headers are missing, malformed, wrong or outside the tolerance."""


class PayloadError(FormsToOgustError):
    """The request body is not a valid schema v1 submission."""


class PayloadTooLargeError(PayloadError):
    """The request body is over the size limit."""


class SubmissionRejected(FormsToOgustError):
    """The mapping refuses this submission; `field` and `question` say where.

    `value` is the offending answer: shown to the sender, kept out of the message (which is logged).
    """

    def __init__(
        self, message: str, *, field: str | None = None, question: str | None = None, value: str | None = None
    ) -> None:
        super().__init__(message)
        self.field = field
        self.question = question
        self.value = value


class AmbiguousMatchError(SubmissionRejected):
    """Several Ogust customers match the lookup key: never pick one at random."""

    def __init__(
        self, message: str, *, field: str | None = None, customer_ids: list[str] | None = None
    ) -> None:
        super().__init__(message, field=field)
        self.customer_ids = customer_ids or []


class OgustError(FormsToOgustError):
    """An Ogust call failed; `method` is the Ogust method, `ogust_message` what Ogust said."""

    def __init__(self, message: str, *, method: str, ogust_message: str | None = None) -> None:
        super().__init__(message)
        self.method = method
        self.ogust_message = ogust_message


class OgustUnavailableError(OgustError):
    """Ogust timed out, dropped the connection, or answered 5xx or 429."""

    transient = True


class OgustAuthError(OgustError):
    """Ogust refused the keys or the token even after a fresh token and fresh keys."""

    transient = True


class OgustRejectedError(OgustError):
    """Ogust answered KO about the data sent."""
