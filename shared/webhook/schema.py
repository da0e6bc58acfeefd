"""The submission the Apps Script sender posts: schema v1."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, field_validator

from shared.errors import PayloadError

MAX_BODY_BYTES = 256 * 1024
"""Larger bodies are refused with 413 before the signature is even checked."""

AnswerValue = str | list[str] | list[list[str]]

EARLIEST_SUBMISSION = datetime(2000, 1, 1, tzinfo=UTC)
"""No Google Form answer is older; an earlier `submittedAt` is a broken clock or a forged body."""
CLOCK_SKEW = timedelta(minutes=5)
"""How far in the future `submittedAt` may be (the signature's own tolerance): a date in 2999 would
otherwise hold back every later edit of the response."""

_SURROGATE = re.compile(r"[\ud800-\udfff]")


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

    @field_validator("submitted_at")
    @classmethod
    def _plausible(cls, value: datetime) -> datetime:
        if value < EARLIEST_SUBMISSION:
            raise ValueError("is before 2000: no form answer is that old")
        if value > datetime.now(UTC) + CLOCK_SKEW:
            raise ValueError("is more than 5 minutes in the future: check the sender's clock")
        return value

    respondent_email: str | None = Field(default=None, alias="respondentEmail")
    answers: list[Answer]

    @classmethod
    def validated(cls, data: Mapping[str, Any]) -> Submission:
        """The submission of schema v1 fields (camelCase), however they came (a body, a Forms API
        response, an exported row); PayloadError names the first problems (`path: message; …`)."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise PayloadError(describe_errors(exc)) from None

    def to_json(self) -> bytes:
        """Serialise back to the wire form (camelCase keys)."""
        return self.model_dump_json(by_alias=True).encode()


def parse_submission(body: bytes) -> Submission:
    """Parse and validate a schema v1 body; PayloadError names what is wrong."""
    data = read_json(body)
    if not isinstance(data, dict):
        raise PayloadError("body must be a JSON object")
    if data.get("schemaVersion") != 1:
        raise PayloadError(f"unsupported schemaVersion {data.get('schemaVersion')!r}: expected 1")
    try:
        return Submission.validated(data)
    except PayloadError as exc:
        raise PayloadError(f"body is not a schema v1 submission: {exc}") from None


def read_json(body: bytes) -> Any:
    """JSON from a client, every way it can be broken answered by a PayloadError that says which."""
    try:
        data = json.loads(body)
    except UnicodeDecodeError:
        raise PayloadError("body is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise PayloadError(f"body is not JSON: {exc}") from None
    except RecursionError:
        raise PayloadError("body nests arrays or objects too deeply to be a submission") from None
    except ValueError as exc:  # Python refuses integers of more than 4,300 digits (CVE-2020-10735)
        raise PayloadError(f"body holds a number too long to read: {exc}") from None
    where = _surrogate_at(data, "body")
    if where is not None:
        raise PayloadError(f"{where} holds a lone UTF-16 surrogate (\\ud800-\\udfff): not valid Unicode text")
    return data


def _surrogate_at(data: Any, root: str) -> str | None:
    """The path of the first text holding half of a UTF-16 pair, which no UTF-8 encoder accepts."""
    stack: list[tuple[str, Any]] = [(root, data)]
    while stack:  # iterative: a body nested hundreds deep must not exhaust the recursion limit
        where, value = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                return where
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", v) for i, v in reversed(list(enumerate(value))))
        elif isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                if _SURROGATE.search(key):
                    return where
                stack.append((f"{where}.{key}", item))
    return None


def describe_errors(exc: ValidationError) -> str:
    """The first problems of a validation error, as `path: message; …`."""
    problems = []
    for error in exc.errors()[:5]:
        where = ".".join(str(p) for p in error["loc"]) or "body"
        problems.append(f"{where}: {error['msg']}")
    return "; ".join(problems)
