"""Webhook verification (Standard Webhooks v1) and the schema v1 submission model."""

from shared.webhook.schema import (
    MAX_BODY_BYTES,
    Answer,
    AnswerValue,
    Submission,
    describe_errors,
    parse_submission,
    read_json,
)
from shared.webhook.signature import (
    SECRET_PREFIX,
    TOLERANCE_SECONDS,
    decode_secret,
    sign,
    signed_headers,
    verify_signature,
)

__all__ = [
    "MAX_BODY_BYTES",
    "SECRET_PREFIX",
    "TOLERANCE_SECONDS",
    "Answer",
    "AnswerValue",
    "Submission",
    "decode_secret",
    "describe_errors",
    "parse_submission",
    "read_json",
    "sign",
    "signed_headers",
    "verify_signature",
]
