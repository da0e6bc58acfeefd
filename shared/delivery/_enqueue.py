"""Queue a submission: plan it (so every mapping refusal is still answered at once), then publish."""

from __future__ import annotations

from shared.delivery._messages import fallback_key, ordering_key, submission_attributes
from shared.delivery._pubsub import Publisher
from shared.errors import SubmissionRejected
from shared.mapping import MappingFile, plan
from shared.webhook import Submission


def enqueue(
    submission: Submission,
    mapping: MappingFile,
    publisher: Publisher,
    topic: str,
    *,
    data: bytes | None = None,
    even_refused: bool = False,
    **attributes: str | None,
) -> str:
    """Publish `submission` (or the exact `data` it was parsed from) with its ordering key.

    `plan` is pure: SubmissionRejected comes out before anything is published — unless
    `even_refused`: then a submission the mapping refuses is queued all the same, under its own
    response's key (`fallback_key`), so that the worker records why it is refused and parks it
    (the reconciler, and a resend from the agency's tab: neither has a dead-letter topic).
    Returns the message id once Pub/Sub confirmed the publish; DeliveryUnavailableError otherwise.
    """
    try:
        key = ordering_key(plan(mapping.for_form(submission.form_id), submission))
    except SubmissionRejected:
        if not even_refused:
            raise
        key = fallback_key(submission.form_id, submission.response_id)
    return publisher.publish(
        topic,
        data if data is not None else submission.to_json(),
        # The key travels as an attribute too: a dead-lettered copy loses the message's own key.
        submission_attributes(submission, orderingKey=key, **attributes),
        ordering_key=key,
    )
