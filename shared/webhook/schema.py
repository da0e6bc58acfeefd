"""The submission the Apps Script sender posts: schema v1."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, field_validator

from shared.errors import PayloadError

MAX_BODY_BYTES = 256 * 1024
"""Larger bodies are refused with 413 before the signature is even checked."""

AnswerValue = str | list[str] | list[list[str]]


class _Model(BaseModel):
    model_config = ConfigDict(populate_by_name=True, frozen=True, extra="ignore")


class Answer(_Model):
    """One answered question, as `FormResponse.getItemResponses()` gives it."""

    item_id: int = Field(alias="itemId")
    title: str
    type: Annotated[str, Field(min_length=1)]
    """CHECKBOX, SCALE…; any other (a newer item type) is kept as is, its value as text."""
    value: AnswerValue

    @field_validator("value", mode="before")
    @classmethod
    def _scalars_as_text(cls, value: Any) -> Any:
        # A future item type may send a number or a boolean: keep it, as text.
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        return value


class Submission(_Model):
    """A form response, the unit that becomes one Ogust customer write."""

    schema_version: Literal[1] = Field(alias="schemaVersion")
    form_id: Annotated[str, Field(min_length=1)] = Field(alias="formId")
    form_title: str = Field(default="", alias="formTitle")
    response_id: Annotated[str, Field(min_length=1)] = Field(alias="responseId")
    submitted_at: AwareDatetime = Field(alias="submittedAt")
    respondent_email: str | None = Field(default=None, alias="respondentEmail")
    answers: list[Answer]

    def to_json(self) -> bytes:
        """Serialise back to the wire form (camelCase keys)."""
        return self.model_dump_json(by_alias=True).encode()


def parse_submission(body: bytes) -> Submission:
    """Parse and validate a schema v1 body; PayloadError names what is wrong."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PayloadError(f"body is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise PayloadError("body must be a JSON object")
    if data.get("schemaVersion") != 1:
        raise PayloadError(f"unsupported schemaVersion {data.get('schemaVersion')!r}: expected 1")
    try:
        return Submission.model_validate(data)
    except ValidationError as exc:
        raise PayloadError("body is not a schema v1 submission: " + describe_errors(exc)) from None


def describe_errors(exc: ValidationError) -> str:
    """The first problems of a validation error, as `path: message; …`."""
    problems = []
    for error in exc.errors()[:5]:
        where = ".".join(str(p) for p in error["loc"]) or "body"
        problems.append(f"{where}: {error['msg']}")
    return "; ".join(problems)
