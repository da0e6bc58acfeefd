"""Queue a submission: plan it (so every mapping refusal is still answered at once), then publish."""

from __future__ import annotations

from shared.delivery._messages import ordering_key, submission_attributes
from shared.delivery._pubsub import Publisher
from shared.mapping import MappingFile, plan
from shared.webhook import Submission


def enqueue(
    submission: Submission,
    mapping: MappingFile,
    publisher: Publisher,
    topic: str,
    *,
    data: bytes | None = None,
    **attributes: str | None,
) -> str:
    """Publish `submission` (or the exact `data` it was parsed from) with its ordering key.

    `plan` is pure: SubmissionRejected comes out before anything is published. Returns the message
    id once Pub/Sub confirmed the publish; DeliveryUnavailableError otherwise.
    """
    key = ordering_key(plan(mapping.for_form(submission.form_id), submission))
    return publisher.publish(
        topic,
        data if data is not None else submission.to_json(),
        # The key travels as an attribute too: a dead-lettered copy loses the message's own key.
        submission_attributes(submission, orderingKey=key, **attributes),
        ordering_key=key,
    )
