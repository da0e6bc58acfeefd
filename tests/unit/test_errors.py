"""The error table: every class has one meaning, and `retryable` agrees with its status."""

from __future__ import annotations

import inspect

import pytest

import shared.errors as errors
from shared.errors import (
    EXIT_CANNOT_RUN,
    EXIT_PROBLEMS,
    AmbiguousMatchError,
    ConfigError,
    FormsToOgustError,
    OgustRejectedError,
    OgustUnavailableError,
    SubmissionRejected,
    policy,
)

CLASSES = [c for _, c in inspect.getmembers(errors, inspect.isclass) if issubclass(c, FormsToOgustError)]


def _instance(cls: type[FormsToOgustError]) -> FormsToOgustError:
    if issubclass(cls, errors.OgustError):
        return cls("x", method="setCustomer")
    return cls("x")


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_retryable_errors_are_exactly_the_5xx_ones(cls: type[FormsToOgustError]) -> None:
    found = policy(_instance(cls))
    assert cls.retryable == (found.http_status >= 500)
    assert found.exit_code == (EXIT_CANNOT_RUN if cls.retryable else EXIT_PROBLEMS)


def test_details_name_where_the_problem_is_without_internals() -> None:
    rejected = SubmissionRejected("bad", field="mobile_phone", question="'Téléphone'", value="06 12")
    assert rejected.details() == {"field": "mobile_phone", "question": "'Téléphone'", "value": "06 12"}
    ko = OgustRejectedError("KO", method="setAddress", ogust_message="Code postal invalide")
    assert ko.details() == {"ogustMethod": "setAddress", "ogustMessage": "Code postal invalide"}
    assert AmbiguousMatchError("two", field="email", customer_ids=["1", "2"]).details() == {
        "field": "email",
        "customerIds": ["1", "2"],
    }


def test_a_partial_write_says_what_is_in_ogust_already() -> None:
    exc = OgustUnavailableError("down", method="setAddress")
    exc.applied, exc.not_applied, exc.customer_id = ["email"], ["main_address.city"], "344563872"
    assert exc.details() == {
        "ogustMethod": "setAddress",
        "customerId": "344563872",
        "applied": ["email"],
        "notApplied": ["main_address.city"],
    }


def test_configuration_details_stay_in_the_logs() -> None:
    exc = ConfigError("secret projects/p/secrets/ogust-keys: permission denied")
    assert "ogust-keys" not in exc.public_message
    assert policy(exc).severity == "ERROR"
