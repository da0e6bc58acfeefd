"""The ledger's contract, in this process and in the Firestore emulator (`FirestoreLedger` itself):
a record is read back whole by another instance, every attempt is kept, the version never moves
back, two payloads of one time are both known, a refusal is announced once, and the per-person
records move forward only."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from shared.exactly_once import Attempt, ledger_key
from shared.exactly_once._ledger import Newest, Version, newer_answer
from shared.lifecycle import verdict
from tests.support.stores import Stores

AT = datetime(2026, 11, 28, 9, tzinfo=UTC)
KEY = ledger_key("1FormulaireSatisfaction", "2_ABaOnufjF")


def test_a_response_never_seen_has_no_entry(stores: Stores) -> None:
    assert stores.ledger().get(KEY) is None
    assert list(stores.ledger().entries()) == []


def test_an_entry_is_read_back_whole_by_another_instance(stores: Stores) -> None:
    refused = Attempt(
        AT,
        "script",
        "rejected",
        AT,
        error="SubmissionRejected: « Téléphone » n'est pas un numéro",
        error_type="SubmissionRejected",
        details={"question": "Téléphone portable", "answer": "06 12 34 56 7"},
    )
    stores.ledger().record(KEY, "1FormulaireSatisfaction", "2_ABaOnufjF", refused)
    entry = stores.ledger().get(KEY)
    assert entry is not None
    assert (entry.form_id, entry.response_id, entry.status, entry.source) == (
        "1FormulaireSatisfaction",
        "2_ABaOnufjF",
        "rejected",
        "script",
    )
    assert not entry.applied, "a refusal puts no version in Ogust"
    assert entry.history == (refused,)
    assert entry.last_error == refused.error
    assert verdict(entry, Version(AT, "d1")) == "apply"


def test_every_attempt_is_kept_and_the_version_never_moves_back(stores: Stores) -> None:
    ledger = stores.ledger()
    later = AT + timedelta(hours=1)
    ledger.record(KEY, "f", "r", Attempt(AT, "script", "failed", AT, error="OgustUnavailableError: …"))
    ledger.record(KEY, "f", "r", Attempt(AT, "script", "updated", later, "344563872"), Version(later, "d2"))
    ledger.record(KEY, "f", "r", Attempt(AT, "reconcile", "created", AT, "344563872"), Version(AT, "d1"))
    entry = stores.ledger().get(KEY)
    assert entry is not None
    assert (entry.submitted_at, entry.digests, entry.attempts) == (later, ("d2",), 3)
    assert [a.outcome for a in entry.history] == ["failed", "updated", "created"]
    assert (entry.source, entry.last_error, entry.customer_id) == ("script", None, "344563872")
    assert verdict(entry, Version(AT, "d1")) == "stale"
    assert [e.response_id for e in stores.ledger().entries("f")] == ["r"]
    assert not list(stores.ledger().entries("autre"))


def test_two_payloads_of_one_time_are_both_known_once_applied(stores: Stores) -> None:
    stores.ledger().record(KEY, "f", "r", Attempt(AT, "script", "created", AT), Version(AT, "d1"))
    stores.ledger().record(KEY, "f", "r", Attempt(AT, "script", "updated", AT), Version(AT, "d2"))
    entry = stores.ledger().get(KEY)
    assert entry is not None
    assert entry.digests == ("d1", "d2")
    assert verdict(entry, Version(AT, "d1")) == verdict(entry, Version(AT, "d2")) == "duplicate"


def test_concurrent_records_of_one_response_lose_no_attempt(stores: Stores) -> None:
    # Two instances record at once: each record is one atomic read-modify-write.
    def record(n: int) -> None:
        stores.ledger().record(KEY, "f", "r", Attempt(AT, "script", "failed", AT, error=f"essai {n}"))

    threads = [threading.Thread(target=record, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    entry = stores.ledger().get(KEY)
    assert entry is not None
    assert entry.attempts == 4
    assert sorted(a.error or "" for a in entry.history) == [f"essai {n}" for n in range(4)]


def test_a_refusal_is_announced_once_per_version(stores: Stores) -> None:
    assert not stores.ledger().mark_notified(KEY, AT.isoformat()), "no entry: nothing to mark"
    stores.ledger().record(KEY, "f", "r", Attempt(AT, "script", "rejected", AT, error="refusé"))
    assert stores.ledger().mark_notified(KEY, AT.isoformat())
    assert not stores.ledger().mark_notified(KEY, AT.isoformat())
    entry = stores.ledger().get(KEY)
    assert entry is not None
    assert entry.notified == (AT.isoformat(),)


def test_person_records_move_forward_only_and_keep_each_customer_of_a_shared_key(stores: Stores) -> None:
    ledger = stores.ledger()
    later = AT + timedelta(days=1)
    ledger.advance(["phone"], "344563872", Newest(later, "f", "2_ABaNouveau"))
    ledger.advance(["phone"], "344563872", Newest(AT, "f", "2_ABaAncien"))  # older: never moves back
    ledger.advance(
        ["phone", "email"], "344563999", Newest(AT, "f", "2_ABaFille")
    )  # a daughter sharing the phone
    phone, email, unknown = stores.ledger().person(["phone", "email", "jamais"])
    assert phone == {
        "344563872": Newest(later, "f", "2_ABaNouveau"),
        "344563999": Newest(AT, "f", "2_ABaFille"),
    }
    assert email == {"344563999": Newest(AT, "f", "2_ABaFille")}
    assert unknown == {}
    older = Version(AT + timedelta(hours=1), "d")
    assert newer_answer([phone, email], "344563872", older) == Newest(later, "f", "2_ABaNouveau")
    assert newer_answer([phone, email], "344563999", older) is None  # the daughter's answer is older
    assert newer_answer([phone, email], "344560000", older) is None
