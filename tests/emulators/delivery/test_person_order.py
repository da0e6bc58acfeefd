"""Per person, the newest answer wins, whatever path brings the older one — on the Ogust sandbox,
with the ledger in memory and in the Firestore emulator, counting and reading the customers."""

from __future__ import annotations

import csv
import json
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from ogust_sandbox import Sandbox
from shared.backfill.run import direct_sink, run_backfill
from shared.errors import DeliveryUnavailableError
from shared.exactly_once import Guard, Ledger, apply_once, guard_for, ledger_key
from shared.exactly_once._leases import MemoryLeases, lease_keys
from shared.exactly_once._ledger import FirestoreLedger, MemoryLedger, Version, person_keys
from shared.mapping import load_mapping, plan
from shared.ogust import OgustClient
from shared.ogust._keys import StaticKeys
from shared.tracking._states import motif, state_of
from shared.webhook import Submission
from tests.support.backfill import HEADERS, SAME_PERSON
from tests.support.backfill import run as run_cli
from tests.support.emulators import Emulator
from tests.support.function import example

ROOT = Path(__file__).resolve().parents[3]
SATISFACTION = load_mapping(ROOT / "examples" / "satisfaction.yaml")
QUOTE = load_mapping(ROOT / "examples" / "quote-request.yaml")
AT = datetime(2026, 10, 1, 8, tzinfo=UTC)


def answer(response: str, at: datetime, **answers: str) -> Submission:
    """Marie-Hélène's answer to the satisfaction form (the example), with some answers changed."""
    stamp = at.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return Submission.model_validate(
        example("01-new-customer", responseId=response, submittedAt=stamp, answers=answers)
    )


def city(sandbox: Sandbox) -> str:
    (customer,) = sandbox.customers()
    return str(customer["main_address"]["city"])


@pytest.fixture
def firestore_project(firestore_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> str:
    """A project of its own in the Firestore emulator: no document of another test is seen."""
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", firestore_emulator.host)
    return f"demo-{uuid.uuid4().hex[:12]}"


@pytest.fixture(params=["memory", "firestore"])
def make_ledger(request: pytest.FixtureRequest) -> Iterator[Callable[[], Ledger]]:
    """A factory of ledgers sharing one store: a second instance, or a rerun, sees the first's."""
    if request.param == "memory":
        ledger = MemoryLedger()
        yield lambda: ledger
    else:
        project = request.getfixturevalue("firestore_project")
        yield lambda: FirestoreLedger(project)


# --- the records -----------------------------------------------------------------------------


def test_the_person_records_are_the_leased_persons_keys() -> None:
    the_plan = plan(QUOTE.for_form("1ContactDevisExemple2026"), Submission.model_validate(example_quote()))
    keys = person_keys(the_plan)
    assert len(keys) == 2  # e-mail and phone
    assert set(keys) < set(lease_keys(the_plan, "1ContactDevisExemple2026"))


def test_a_version_dated_ahead_of_its_receipt_is_ordered_at_its_receipt() -> None:
    received = datetime.now(UTC)
    ahead = answer("2_ABaAvance", received + timedelta(minutes=4))
    assert Version.of(ahead, received).submitted_at == received
    on_time = answer("2_ABaALheure", received - timedelta(seconds=3))
    assert Version.of(on_time, received).submitted_at == on_time.submitted_at


# --- over the sandbox ------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["reconcile", "backfill", "replay", "script"])
def test_an_older_answer_of_the_person_after_a_newer_one_leaves_the_newer_values(
    sandbox: Sandbox, ogust_client: OgustClient, make_ledger: Callable[[], Ledger], source: str
) -> None:
    newer = answer("2_ABaNantes", AT + timedelta(days=1), Ville="Nantes", Commentaires="Déménagée à Nantes.")
    older = answer("2_ABaLyon", AT, Ville="Lyon", **{"Téléphone portable": "07 81 22 33 44"})
    first = apply_once(newer, SATISFACTION, ogust_client, Guard(make_ledger(), MemoryLeases()))
    assert first.status == "created"
    writes = len(sandbox.writes())

    # Another instance (a second ledger on the same store) gets the older response late.
    late = apply_once(older, SATISFACTION, ogust_client, Guard(make_ledger(), MemoryLeases()), source=source)
    assert (late.status, late.customer_id) == ("skipped", first.customer_id)
    assert late.reason is not None
    assert "2_ABaNantes" in late.reason
    assert len(sandbox.writes()) == writes
    (customer,) = sandbox.customers()
    assert (customer["main_address"]["city"], customer["mobile_phone"]) == ("NANTES", "0612345678")
    entry = make_ledger().get(_key(older))
    assert entry is not None
    assert (entry.status, entry.source, entry.applied) == ("skipped", source, False)
    assert entry.history[-1].error is not None
    assert "2_ABaNantes" in entry.history[-1].error  # `status` shows why
    # The agency's tab says why in French: a newer answer, not the mapping's choice.
    assert (state_of(entry), motif(entry)) == (
        "skipped",
        "Une réponse plus récente de la même personne est déjà enregistrée dans Ogust : cette réponse "
        "plus ancienne n'a rien remplacé.",
    )


def test_an_older_answer_of_the_person_arriving_first_is_applied_then_the_newer_one(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    guard = guard_for(None)
    apply_once(answer("2_ABaLyon", AT, Ville="Lyon"), SATISFACTION, ogust_client, guard)
    outcome = apply_once(
        answer("2_ABaNantes", AT + timedelta(days=1), Ville="Nantes"), SATISFACTION, ogust_client, guard
    )
    assert outcome.status == "updated"
    assert city(sandbox) == "NANTES"


def test_an_older_answer_with_the_persons_former_phone_is_skipped_not_refused_as_someone_else(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    # The newer answer changed the phone; the older one still has the former number: it finds the
    # customer by the e-mail, whose phone is now another one — an older answer, not a conflict.
    guard = guard_for(None)
    newer = Submission.model_validate(
        example_quote("2_DevisNouveau", AT + timedelta(days=2), phone="07 81 22 33 44")
    )
    older = Submission.model_validate(example_quote("2_DevisAncien", AT, phone="06 98 76 54 32"))
    assert apply_once(newer, QUOTE, ogust_client, guard).status == "created"
    assert apply_once(older, QUOTE, ogust_client, guard, source="reconcile").status == "skipped"
    (customer,) = sandbox.customers()
    assert customer["mobile_phone"] == "0781223344"


def test_a_version_dated_ahead_then_a_real_edit_a_second_later_applies_the_edit(
    sandbox: Sandbox, ogust_client: OgustClient, make_ledger: Callable[[], Ledger]
) -> None:
    guard = Guard(make_ledger(), MemoryLeases())
    now = datetime.now(UTC)
    ahead = answer("2_ABaHorloge", now + timedelta(minutes=4, seconds=50), Ville="Lyon")
    assert apply_once(ahead, SATISFACTION, ogust_client, guard, received_at=now).status == "created"
    edit = answer("2_ABaHorloge", now + timedelta(seconds=1), Ville="Nantes")
    outcome = apply_once(edit, SATISFACTION, ogust_client, guard, received_at=now + timedelta(seconds=1))
    assert outcome.status == "updated"
    assert city(sandbox) == "NANTES"
    # Pub/Sub redelivering the version dated ahead (same receivedAt) is stale, not a revert.
    late = apply_once(ahead, SATISFACTION, ogust_client, guard, received_at=now)
    assert late.status == "skipped"
    assert city(sandbox) == "NANTES"


def test_a_persons_older_and_newer_answers_at_once_on_two_instances_leave_the_newer_values(
    sandbox: Sandbox, firestore_project: str
) -> None:
    # Six people each send an old and a new answer, delivered at the same moment on two instances
    # sharing Firestore (ledger and leases). Whichever goes first, the newer values stay.
    sandbox.inject_latency(50)
    instances = [guard_for((firestore_project, "(default)")) for _ in range(2)]
    people = [(f"client.{n}@exemple.fr", f"06 12 00 {n:02d} 00") for n in range(6)]

    def deliver(n: int, newer: bool) -> str:
        email, phone = people[n]
        at = AT + timedelta(days=1 if newer else 0)
        town = "Nantes" if newer else "Lyon"
        sub = answer(
            f"2_ABa{'Neuf' if newer else 'Vieux'}{n}",
            at,
            Ville=town,
            **{"Adresse e-mail": email, "Téléphone portable": phone},
        )
        with OgustClient(sandbox.url, StaticKeys(*sandbox.keys), timeout=5.0, sleep=lambda _: None) as ogust:
            for _ in range(5):  # a lease held too long is a retryable refusal: the sender retries
                try:
                    return apply_once(sub, SATISFACTION, ogust, instances[int(newer)]).status
                except DeliveryUnavailableError:
                    continue
        raise AssertionError("never delivered")

    start = threading.Barrier(12)

    def run(call: tuple[int, bool]) -> str:
        start.wait(timeout=30)
        return deliver(*call)

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(run, [(n, newer) for n in range(6) for newer in (False, True)]))
    assert statuses.count("created") == 6
    customers = sandbox.customers()
    assert len(customers) == 6
    assert {c["main_address"]["city"] for c in customers} == {"NANTES"}


# --- the backfill ----------------------------------------------------------------------------


def test_a_backfill_rerun_without_its_state_file_writes_nothing(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    rows = [
        (f"line {i + 2}", answer(f"2_ABaExport{i}", AT + timedelta(days=i), Ville=town))
        for i, town in enumerate(["Lyon", "Nantes", "Cachan"])
    ]
    first = run_backfill(rows, SATISFACTION, direct_sink(SATISFACTION, ogust_client, guard_for(None)))
    assert (first.counts["created"], first.counts["skipped"]) == (1, 2)
    assert city(sandbox) == "CACHAN"
    writes = len(sandbox.writes())

    # No state file, a fresh ledger: every row is sent again, and none writes.
    again = run_backfill(rows, SATISFACTION, direct_sink(SATISFACTION, ogust_client, guard_for(None)))
    assert (again.counts["unchanged"], again.counts["skipped"], again.counts["failed"]) == (1, 2, 0)
    assert len(sandbox.writes()) == writes
    assert city(sandbox) == "CACHAN"


def test_the_backfill_command_rerun_without_its_state_file_writes_nothing(
    sandbox: Sandbox, ogust_env: dict[str, str], tmp_path: Path
) -> None:
    # Zoé answered three times; the export holds all three (and two other people).
    sheet = tmp_path / "Réponses.csv"
    with sheet.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([HEADERS, *SAME_PERSON])
    args = [str(sheet), "--rate", "1000", "--workers", "2"]
    _, first = run_cli(args, ogust_env)
    assert (first["created"], first["skipped"]) == (2, 2)
    writes = len(sandbox.writes())
    state = tmp_path / "Réponses.csv.backfill-state"
    assert state.exists()
    state.unlink()

    _, again = run_cli(args, ogust_env)
    assert (again["created"], again["updated"], again["unchanged"], again["skipped"]) == (0, 0, 2, 2)
    assert len(sandbox.writes()) == writes
    (zoe,) = [c for c in sandbox.customers() if c["email"] == "zoe.lefevre@exemple.fr"]
    assert zoe["main_address"]["line"] == "3 avenue Jean-Jaurès"  # her newest answer


def test_an_export_backfilled_after_live_answers_leaves_the_live_values(
    sandbox: Sandbox, ogust_client: OgustClient, firestore_project: str
) -> None:
    # The functions' ledger (LEDGER=firestore) is shared with the backfill: the export downloaded
    # before the people answered again is older than what they sent since.
    live = guard_for((firestore_project, "(default)"))
    people = [(f"client.{n}@exemple.fr", f"06 12 00 {n:02d} 00") for n in range(5)]

    def person(n: int, response: str, at: datetime, town: str) -> Submission:
        email, phone = people[n]
        return answer(response, at, Ville=town, **{"Adresse e-mail": email, "Téléphone portable": phone})

    for n in range(5):
        apply_once(
            person(n, f"2_ABaLive{n}", AT + timedelta(days=3), "Nantes"), SATISFACTION, ogust_client, live
        )
    export = [(f"line {n + 2}", person(n, f"2_ABaExport{n}", AT, "Lyon")) for n in range(5)]
    backfill_guard = guard_for((firestore_project, "(default)"))
    report = run_backfill(export, SATISFACTION, direct_sink(SATISFACTION, ogust_client, backfill_guard))
    assert report.counts["skipped"] == 5
    customers = sandbox.customers()
    assert len(customers) == 5
    assert {c["main_address"]["city"] for c in customers} == {"NANTES"}


# --- helpers ---------------------------------------------------------------------------------


def _key(submission: Submission) -> str:
    return ledger_key(submission.form_id, submission.response_id)


def example_quote(
    response: str = "2_Devis0001", at: datetime = AT, *, phone: str | None = None
) -> dict[str, Any]:
    """The quote-request example, as another response at another time (and phone)."""
    data: dict[str, Any] = json.loads(
        (ROOT / "examples" / "submissions" / "quote-request" / "01-new-prospect.json").read_text(
            encoding="utf-8"
        )
    )
    data.update(responseId=response, submittedAt=at.isoformat().replace("+00:00", "Z"))
    if phone is not None:
        for item in data["answers"]:
            if item["title"] == "Téléphone":
                item["value"] = phone
    return data
