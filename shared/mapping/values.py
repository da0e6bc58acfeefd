"""What steps pass along (text, or a list of texts for checkbox answers) and the error they raise."""

from __future__ import annotations

Value = str | list[str]


class StepError(ValueError):
    """A step cannot handle this value; the caller adds the field and the question.

    The message never contains the value itself (messages are logged); `value` carries it apart.
    """

    def __init__(self, message: str, *, value: str) -> None:
        super().__init__(message)
        self.value = value
