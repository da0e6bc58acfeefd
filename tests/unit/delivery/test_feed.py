"""One feed for the reconciler, the backfill and the replay: one ordering key with one fallback,
a person's answers together and in time order, each caller's failure policy."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from shared.delivery import DeadLetter, OnFailure, person_key, replay
from shared.delivery._messages import fallback_key, ordering_key
from shared.delivery.dead_letters import replay_key
from shared.delivery.feed import by_person, person_key_or_fallback, send_by_person, send_group
from shared.errors import DeliveryUnavailableError, SubmissionRejected
from shared.mapping import load_mapping, plan
from shared.webhook import Submission
from tests.support.function import example
from tests.support.queue_world import SATISFACTION

MAPPING = load_mapping(SATISFACTION)
AT = datetime(2026, 12, 3, 8, tzinfo=UTC)

ITEMS = st.lists(
    st.tuples(st.sampled_from(["Élodie", "Jean-Loïc", "Anaïs"]), st.integers(0, 50)), max_size=30
)


@given(ITEMS, st.booleans())
def test_a_persons_answers_come_together_in_time_order_each_once(
    items: list[tuple[str, int]], newest_first: bool
) -> None:
    groups = by_person(
        items, lambda i: i[0], lambda i: AT + timedelta(minutes=i[1]), newest_first=newest_first
    )
    assert sorted(i for g in groups for i in g) == sorted(items)
    for group in groups:
        assert len({person for person, _ in group}) == 1
        times = [t for _, t in group]
        assert times == sorted(times, reverse=newest_first)
    assert [g[0][0] for g in groups] == list(dict.fromkeys(p for p, _ in items))  # first seen first


def flaky(failing: set[str]) -> tuple[Callable[[str], str], list[str]]:
    sent: list[str] = []

    def send(item: str) -> str:
        if item in failing:
            raise DeliveryUnavailableError(f"Pub/Sub did not confirm {item}")
        sent.append(item)
        return f"id-{item}"

    return send, sent


def test_stop_person_leaves_the_persons_later_answers_for_the_next_run() -> None:
    send, sent = flaky({"Élodie-2"})
    done = send_group(["Élodie-1", "Élodie-2", "Élodie-3"], send, OnFailure.STOP_PERSON)
    assert sent == ["Élodie-1"]
    assert [(s.item, s.result, s.error is not None) for s in done] == [
        ("Élodie-1", "id-Élodie-1", False),
        ("Élodie-2", None, True),
    ]


def test_go_on_sends_every_answer_and_reports_each_failure() -> None:
    send, sent = flaky({"Élodie-2"})
    done = send_group(["Élodie-1", "Élodie-2", "Élodie-3"], send, OnFailure.GO_ON)
    assert sent == ["Élodie-1", "Élodie-3"]
    assert [s.error is not None for s in done] == [False, True, False]


def test_another_persons_failure_holds_nobody_else_back() -> None:
    send, sent = flaky({"Anaïs-1"})
    groups = [["Anaïs-1", "Anaïs-2"], ["Jean-Loïc-1", "Jean-Loïc-2"]]
    list(send_by_person(groups, send, OnFailure.STOP_PERSON))
    assert sent == ["Jean-Loïc-1", "Jean-Loïc-2"]


def submission(**changes: object) -> Submission:
    return Submission.model_validate(example("01-new-customer", **changes))


def test_one_fallback_key_for_an_answer_whose_person_is_not_known() -> None:
    refused = submission(responseId="2_ABaSansPersonne", formId="1FormulaireInconnu")
    expected = fallback_key("1FormulaireInconnu", "2_ABaSansPersonne")
    try:
        person_key(refused, MAPPING)
        raise AssertionError("an unknown form is refused")
    except SubmissionRejected:
        pass
    assert person_key_or_fallback(refused, MAPPING) == expected
    nameless = DeadLetter(
        "m1", "ack-m1", b"not json", {"formId": "1FormulaireInconnu", "responseId": "2_ABaSansPersonne"}
    )
    assert replay_key(nameless, MAPPING) == expected
    known = submission(responseId="2_ABaConnue")
    assert person_key(known, MAPPING) == ordering_key(plan(MAPPING.for_form(known.form_id), known))


class Box:
    """The dead-letter subscription's part `replay` uses: what it acked and released."""

    def __init__(self) -> None:
        self.acked: list[str] = []
        self.released: list[str] = []

    def ack(self, letters: Iterable[DeadLetter]) -> None:
        self.acked += [lt.message_id for lt in letters]

    def release(self, letters: Iterable[DeadLetter]) -> None:
        self.released += [lt.message_id for lt in letters]


class Topic:
    """A publisher that keeps what it was given, in order, and refuses the response ids it is told."""

    def __init__(self, refuse: frozenset[str] = frozenset()) -> None:
        self.published: list[tuple[str, str]] = []
        self.refuse = refuse

    def publish(self, topic: str, data: bytes, attributes: dict[str, str], *, ordering_key: str = "") -> str:
        if attributes["responseId"] in self.refuse:
            raise DeliveryUnavailableError("Pub/Sub did not confirm the publish")
        self.published.append((attributes["responseId"], ordering_key))
        return f"msg-{len(self.published)}"


def letter(message_id: str, response_id: str, minutes: int, failed_at: str) -> DeadLetter:
    answer = submission(
        responseId=response_id,
        submittedAt=(AT + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z"),
    )
    attributes = {
        "responseId": response_id,
        "formId": answer.form_id,
        "submittedAt": answer.submitted_at.isoformat(),
        "failedAt": failed_at,
    }
    return DeadLetter(message_id, "ack-" + message_id, answer.to_json(), attributes, publish_time=failed_at)


def test_a_persons_letters_are_replayed_oldest_answer_first_whatever_order_they_were_parked_in() -> None:
    # Marie's edit (later answer) was parked first, her first answer after it: the replay sends
    # the first answer first, on her ordering key, like the answers were sent.
    letters = [
        letter("m1", "2_ABaMarieEdition", 30, "2026-12-03T09:00:00Z"),
        letter("m2", "2_ABaMariePremiere", 0, "2026-12-03T09:05:00Z"),
    ]
    topic, box = Topic(), Box()
    results = replay(letters, box, topic, "projects/p/topics/submissions", MAPPING)
    assert [r for r, _ in topic.published] == ["2_ABaMariePremiere", "2_ABaMarieEdition"]
    assert len({key for _, key in topic.published}) == 1, "one person, one ordering key"
    assert sorted(box.acked) == ["m1", "m2"]
    assert [r.message_id is not None for r in results] == [True, True]


def test_a_letter_that_cannot_be_sent_stays_parked_and_holds_back_no_other() -> None:
    letters = [
        letter("m1", "2_ABaMariePremiere", 0, "2026-12-03T09:00:00Z"),
        letter("m2", "2_ABaMarieEdition", 30, "2026-12-03T09:05:00Z"),
    ]
    topic, box = Topic(refuse=frozenset({"2_ABaMariePremiere"})), Box()
    results = replay(letters, box, topic, "projects/p/topics/submissions", MAPPING)
    assert [r for r, _ in topic.published] == ["2_ABaMarieEdition"]  # OnFailure.GO_ON
    assert (box.acked, box.released) == (["m2"], ["m1"])
    assert [(r.letter.message_id, r.error is not None) for r in results] == [("m1", True), ("m2", False)]
