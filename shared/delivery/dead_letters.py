"""The dead letters: what is parked on the dead-letter subscription and why, and sending chosen
ones back through the normal path (the submissions topic, with their ordering key).

A parked message is only acknowledged (removed) after its republish was confirmed; anything that is
listed but not replayed is released at once, so it stays parked for the next look.

One refused answer is one dead letter per response and version: the worker notes in the ledger
that it parked a version (`record_parked`) and does not park it again (`parked_before`), e.g. when
a notification run and a scheduled run of the reconciler both queued it. Copies parked anyway (a
crash between the publish and the note, letters older than the note) are folded by `list` and
`replay` (`deduplicated`): one line, one republish, every copy removed with it.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from shared.delivery._messages import PushMessage, dead_letter_attributes, fallback_key
from shared.delivery._pubsub import Publisher, subscription_path, topic_path
from shared.delivery.feed import OnFailure, person_key, send_in_person_order
from shared.errors import ConfigError, DeliveryUnavailableError, FormsToOgustError
from shared.exactly_once import Attempt, Ledger, ledger_key
from shared.lifecycle import AttemptOutcome, Origin
from shared.logs import mask
from shared.mapping import MappingFile
from shared.webhook import Submission, parse_submission

DEFAULT_ACK_DEADLINE = 120
"""Seconds a listed message stays leased to us (Pub/Sub's maximum is 600)."""


@dataclass(frozen=True)
class DeadLetter:
    """One parked submission and why it was parked."""

    message_id: str
    ack_id: str
    data: bytes
    attributes: dict[str, str] = field(default_factory=dict)
    publish_time: str = ""

    @property
    def response_id(self) -> str:
        return self.attributes.get("responseId", "")

    @property
    def form_id(self) -> str:
        return self.attributes.get("formId", "")

    @property
    def reason(self) -> str:
        """The worker's reason, or Pub/Sub's own when it gave up after the last delivery attempt."""
        if "reason" in self.attributes:
            return self.attributes["reason"]
        attempts = self.attributes.get("CloudPubSubDeadLetterSourceDeliveryCount")
        if attempts:
            return f"not acknowledged after {attempts} delivery attempts (see the worker's logs)"
        return "unknown (no reason attribute)"

    @property
    def version_key(self) -> tuple[str, str, str]:
        """Which refused answer this is: its response and version (a letter without a response id
        is only itself)."""
        if not self.response_id:
            return ("", self.message_id, "")
        return (self.form_id, self.response_id, self.attributes.get("submittedAt", ""))

    @property
    def failed_at(self) -> str:
        return self.attributes.get("failedAt", "") or self.publish_time

    def summary(self, copies: int = 1) -> dict[str, Any]:
        """What `dead-letters list` shows (`copies`: letters of the same response and version)."""
        return {
            "messageId": self.message_id,
            "responseId": self.response_id,
            "formId": self.form_id,
            "submittedAt": self.attributes.get("submittedAt", ""),
            "failedAt": self.failed_at,
            "errorType": self.attributes.get("errorType", "DeliveryAttemptsExhausted"),
            "field": self.attributes.get("field", ""),
            "question": self.attributes.get("question", ""),
            "customerIds": self.attributes.get("customerIds", ""),  # ids, not personal data: whole
            "reason": mask(self.reason),  # masked when parked too; older letters may predate that
            "copies": copies,
        }


def deduplicated(letters: Iterable[DeadLetter]) -> list[list[DeadLetter]]:
    """The letters grouped by response and version, first parked first; in each group the last
    parked comes first (its reason is the current one), then its copies."""
    groups: dict[tuple[str, str, str], list[DeadLetter]] = {}
    for letter in sorted(letters, key=lambda lt: lt.failed_at):
        groups.setdefault(letter.version_key, []).append(letter)
    return [[group[-1], *group[:-1]] for group in groups.values()]


def parked_before(ledger: Ledger, submission: Submission) -> bool:
    """True when this version of the response went to the dead letters already. A ledger that
    does not answer says no: a second letter is better than none."""
    try:
        entry = ledger.get(ledger_key(submission.form_id, submission.response_id))
    except FormsToOgustError:
        return False
    return entry is not None and any(
        a.outcome == AttemptOutcome.PARKED and a.submitted_at == submission.submitted_at
        for a in entry.history
    )


def record_parked(ledger: Ledger, submission: Submission, source: Origin) -> None:
    """Note in the ledger that this version's dead letter is out (best effort: at worst a later
    copy is parked too, and `list` and `replay` fold it)."""
    attempt = Attempt(datetime.now(UTC), source, AttemptOutcome.PARKED, submission.submitted_at)
    with contextlib.suppress(FormsToOgustError):
        ledger.record(
            ledger_key(submission.form_id, submission.response_id),
            submission.form_id,
            submission.response_id,
            attempt,
        )


def park(
    message: PushMessage,
    submission: Submission | None,
    exc: FormsToOgustError,
    *,
    ledger: Ledger | None,
    publisher: Publisher,
    project: str | None,
    topic: str | None,
) -> bool:
    """What the worker does with a message it refuses for good: publish it to the dead-letter
    `topic` (an id, or a full path) with the reason (`dead_letter_attributes`), then note it in the
    `ledger` (`record_parked`). False when this version was parked already (nothing published);
    True once parked now. Raises FormsToOgustError when it could not be parked (no topic set, or
    the publish failed): the caller must not acknowledge the message then, or it would be lost.

    Without a ledger (it did not answer) nothing is checked nor noted: parking matters more than
    the note that avoids parking twice. A replayed message is parked again: its letter is gone."""
    if (
        submission is not None
        and ledger is not None
        and message.origin != Origin.REPLAY
        and parked_before(ledger, submission)
    ):
        return False
    if not topic:
        raise ConfigError("DEAD_LETTER_TOPIC is not set: a refused submission cannot be parked")
    attributes = dead_letter_attributes(submission or message.attributes, exc)
    publisher.publish(topic_path(project, topic), message.data, attributes)
    if submission is not None and ledger is not None:
        record_parked(ledger, submission, message.origin)
    return True


class DeadLetterBox:
    """The dead-letter subscription, through the official SubscriberClient (emulator aware)."""

    def __init__(
        self,
        subscription: str,
        *,
        subscriber: Any = None,
        pull_wait: float,
        ack_deadline: int = DEFAULT_ACK_DEADLINE,
    ) -> None:
        self.subscription = subscription
        self._subscriber = subscriber
        self._pull_wait = pull_wait
        self._ack_deadline = ack_deadline

    @classmethod
    def of(cls, project: str | None, subscription: str, *, pull_wait: float) -> DeadLetterBox:
        """The box of `subscription` (an id in `project`, or a full path); `pull_wait`: seconds one
        pull may wait for messages (an empty pull ends the listing)."""
        return cls(subscription_path(project, subscription), pull_wait=pull_wait)

    def pull_all(self, limit: int = 10_000) -> list[DeadLetter]:
        """Lease every parked message (up to `limit`); release or ack them afterwards."""
        from google.api_core import exceptions as gexc

        found: dict[str, DeadLetter] = {}
        deadline = time.monotonic() + max(60.0, self._pull_wait * 4)
        while len(found) < limit and time.monotonic() < deadline:
            try:
                response = self._client().pull(
                    request={"subscription": self.subscription, "max_messages": min(100, limit)},
                    timeout=self._pull_wait,
                )
            except gexc.DeadlineExceeded:
                break
            except gexc.GoogleAPIError as exc:
                raise DeliveryUnavailableError(
                    f"cannot pull from '{self.subscription}': {type(exc).__name__}: {exc}"
                ) from None
            received = list(response.received_messages)
            if not received:
                break
            self._modify([m.ack_id for m in received], self._ack_deadline)
            new = 0
            for item in received:
                message = item.message
                if message.message_id in found:
                    self._modify([item.ack_id], 0)  # a redelivery of one we hold: give it back
                    continue
                new += 1
                found[message.message_id] = DeadLetter(
                    message_id=message.message_id,
                    ack_id=item.ack_id,
                    data=bytes(message.data),
                    attributes=dict(message.attributes),
                    publish_time=_timestamp(message.publish_time),
                )
            if not new:
                break
        return list(found.values())

    def release(self, letters: Iterable[DeadLetter]) -> None:
        """Give leased messages back: they stay parked."""
        self._modify([letter.ack_id for letter in letters], 0)

    def ack(self, letters: Iterable[DeadLetter]) -> None:
        """Remove messages for good (only after their republish was confirmed)."""
        ack_ids = [letter.ack_id for letter in letters]
        if ack_ids:
            self._client().acknowledge(request={"subscription": self.subscription, "ack_ids": ack_ids})

    def _modify(self, ack_ids: list[str], seconds: int) -> None:
        for start in range(0, len(ack_ids), 1000):
            self._client().modify_ack_deadline(
                request={
                    "subscription": self.subscription,
                    "ack_ids": ack_ids[start : start + 1000],
                    "ack_deadline_seconds": seconds,
                }
            )

    def _client(self) -> Any:
        if self._subscriber is None:
            from google.cloud import pubsub_v1  # type: ignore[attr-defined]

            self._subscriber = pubsub_v1.SubscriberClient()
        return self._subscriber


@dataclass(frozen=True)
class Replayed:
    """What happened to one refused answer chosen for replay (one per response and version)."""

    letter: DeadLetter
    message_id: str | None = None
    error: str | None = None
    copies: tuple[DeadLetter, ...] = ()
    """Other letters of the same response and version: removed with it, not sent again."""


def replay_key(letter: DeadLetter, mapping: MappingFile | None) -> str:
    """The ordering key to republish with: from the (fixed) mapping when it accepts the submission,
    else the key it was queued with, else one derived from the response id."""
    if mapping is not None:
        try:
            return person_key(parse_submission(letter.data), mapping)
        except FormsToOgustError:
            pass  # the worker will refuse it again, with the current reason
    return letter.attributes.get("orderingKey") or fallback_key(letter.form_id, letter.response_id)


def replay(
    letters: Iterable[DeadLetter],
    box: DeadLetterBox,
    publisher: Publisher,
    topic: str,
    mapping: MappingFile | None = None,
) -> list[Replayed]:
    """Republish each response and version once (the letter parked last, as source `replay`), then
    ack it and its copies; one that fails stays parked, copies included. A person's letters go
    oldest version first, like the answers they were; one that fails does not hold back the
    person's others (`OnFailure.GO_ON`): each was refused on its own, and the ledger keeps the
    newest answer of a person in Ogust whatever order they arrive in."""
    keyed = [(replay_key(group[0], mapping), group) for group in deduplicated(letters)]

    def send(item: tuple[str, list[DeadLetter]]) -> str:
        key, group = item
        letter = group[0]
        attributes = {
            k: v
            for k, v in letter.attributes.items()
            if k in ("responseId", "formId", "submittedAt", "receivedAt", "webhookId")
        }
        attributes.update(orderingKey=key, replayOf=letter.message_id, origin=Origin.REPLAY)
        try:
            message_id = publisher.publish(topic, letter.data, attributes, ordering_key=key)
        except FormsToOgustError:
            box.release(group)
            raise
        box.ack(group)
        return message_id

    results = []
    for done in send_in_person_order(keyed, lambda k: k[0], _version_of, send, OnFailure.GO_ON):
        for sent in done:
            letter, *copies = sent.item[1]
            error = str(sent.error) if sent.error is not None else None
            results.append(Replayed(letter, message_id=sent.result, error=error, copies=tuple(copies)))
    return results


def _version_of(item: tuple[str, list[DeadLetter]]) -> datetime:
    """When the answer of a letter was submitted (its `submittedAt`; the epoch when unreadable)."""
    try:
        found = datetime.fromisoformat(item[1][0].attributes.get("submittedAt", ""))
    except ValueError:
        return datetime.fromtimestamp(0, UTC)
    return found if found.tzinfo else found.replace(tzinfo=UTC)


def _timestamp(value: Any) -> str:
    if value is None:
        return ""
    iso = getattr(value, "isoformat", None)
    return str(iso()) if callable(iso) else str(value)
