"""Webhook verification (Standard Webhooks v1) and the schema v1 submission model."""

from shared.webhook.schema import MAX_BODY_BYTES, Answer, Submission, parse_submission, read_json
from shared.webhook.signature import signed_headers, verify_signature

__all__ = [
    "MAX_BODY_BYTES",
    "Answer",
    "Submission",
    "parse_submission",
    "read_json",
    "signed_headers",
    "verify_signature",
]
