"""One feed for the paths that bring many answers at once — the reconciler, the backfill and the
dead letters' replay:

    answers → each one's person (`person_key`: the ordering key of its plan, else `fallback_key`)
            → the person's answers together, in time order (`by_person`)
            → each person's group sent in turn, the groups side by side (`send_by_person`)
              (both in one call: `send_in_person_order`)
            → a failure: the caller's `OnFailure` says whether the person's later answers wait

A person's answers are never sent two at a time nor out of order by any of these paths; whatever
order they arrive in, the ledger keeps the newest answer of a person in Ogust (`shared.exactly_once`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Generic, TypeVar

from shared.delivery._messages import fallback_key, ordering_key
from shared.errors import FormsToOgustError, SubmissionRejected
from shared.mapping import MappingFile, plan
from shared.webhook import Submission

T = TypeVar("T")
R = TypeVar("R")


class OnFailure(StrEnum):
    """What a failed answer does to the later answers of the same person."""

    STOP_PERSON = "stop-person"
    """They wait: not sent now, sent in order by the next run (the reconciler)."""
    GO_ON = "go-on"
    """They are sent all the same: each answer stands alone and its failure is reported (the
    backfill, the replay)."""


def person_key(submission: Submission, mapping: MappingFile) -> str:
    """The ordering key of the answer's person; SubmissionRejected when the mapping refuses it
    (the caller decides: the reconciler queues it under `fallback_key`, the backfill reports it)."""
    return ordering_key(plan(mapping.for_form(submission.form_id), submission))


def person_key_or_fallback(submission: Submission, mapping: MappingFile) -> str:
    """`person_key`, or the answer's own `fallback_key` when the mapping refuses it."""
    try:
        return person_key(submission, mapping)
    except SubmissionRejected:
        return fallback_key(submission.form_id, submission.response_id)


def by_person(
    items: Iterable[T], key: Callable[[T], str], when: Callable[[T], datetime], *, newest_first: bool = False
) -> list[list[T]]:
    """The items grouped by person (`key`), each group in time order (`when`; oldest first unless
    `newest_first`), the groups in the order their first item came."""
    groups: dict[str, list[T]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return [sorted(group, key=when, reverse=newest_first) for group in groups.values()]


@dataclass(frozen=True)
class Sent(Generic[T, R]):
    """One item of a group and what sending it gave: its result, or the error it raised."""

    item: T
    result: R | None = None
    error: FormsToOgustError | None = None


def send_group(group: list[T], send: Callable[[T], R], on_failure: OnFailure) -> list[Sent[T, R]]:
    """Send one person's items in order; after a failure, the rest only if `on_failure` says so
    (the items not sent are left out of the answer)."""
    done: list[Sent[T, R]] = []
    for item in group:
        try:
            done.append(Sent(item, send(item)))
        except FormsToOgustError as exc:
            done.append(Sent(item, error=exc))
            if on_failure is OnFailure.STOP_PERSON:
                break
    return done


def send_by_person(
    groups: Iterable[list[T]], send: Callable[[T], R], on_failure: OnFailure, pool: Executor | None = None
) -> Iterator[list[Sent[T, R]]]:
    """Each group sent by `send_group`, the groups side by side on `pool` (one after the other
    without one); each group's outcome as soon as it is done. An error that is not a
    FormsToOgustError (a bug) comes out of the iteration."""
    if pool is None:
        for group in groups:
            yield send_group(group, send, on_failure)
        return
    futures = [pool.submit(send_group, group, send, on_failure) for group in groups]
    for future in as_completed(futures):
        yield future.result()


def send_in_person_order(
    items: Iterable[T],
    key: Callable[[T], str],
    when: Callable[[T], datetime],
    send: Callable[[T], R],
    on_failure: OnFailure,
    pool: Executor | None = None,
    *,
    newest_first: bool = False,
) -> Iterator[list[Sent[T, R]]]:
    """The feed in one call: the items grouped by person (`by_person`), then each person's group
    sent in turn, the groups side by side on `pool` (`send_by_person`); each group's outcome as soon
    as it is done."""
    return send_by_person(by_person(items, key, when, newest_first=newest_first), send, on_failure, pool)
