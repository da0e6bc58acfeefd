"""Job applications become Ogust candidates (`entity: employee`) through the customers' own path:
`apply_once` on the sandbox over HTTP, counting the workers and the customers."""

from __future__ import annotations

import json
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from ogust_sandbox import Sandbox
from shared.errors import OgustUnavailableError, WorkerNatureConflictError
from shared.exactly_once import apply_once, guard_for
from shared.mapping.load import parse_mapping
from shared.ogust import OgustClient
from tests.support.job_applications import MAPPING, MAPPING_PATH, application

ROOT = Path(__file__).resolve().parents[3]
FORM = ROOT / "examples" / "job-application-form.json"
EXPORT = ROOT / "examples" / "exports" / "job-application-responses-fr.csv"
EMAIL = "marie-ange.ndiaye@exemple.fr"


def test_a_candidate_is_created_then_updated_by_a_second_application(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    guard = guard_for(None)
    first = apply_once(application("01-new-candidate"), MAPPING, ogust_client, guard)
    assert first.status == "created"
    (candidate,) = sandbox.employees()
    assert candidate["id_employee"] == first.customer_id
    assert candidate["nature"] == "C"
    assert candidate["number"].startswith("CA")
    assert (candidate["title"], candidate["first_name"], candidate["last_name"]) == (
        "Mme",
        "Marie-Ange",
        "N'DIAYE",
    )
    assert candidate["email"] == EMAIL
    assert candidate["mobile_phone"] == "0645127890"
    assert candidate["main_address"]["city"] == "LYON"
    assert candidate["driving_license"] == "1"
    assert "https://drive.google.com/open?id=1CvMarieAnge-xYz09" in candidate["comment"]
    assert sandbox.customers() == []

    second = apply_once(application("02-same-candidate-again"), MAPPING, ogust_client, guard)
    assert second.status == "updated"
    assert second.customer_id == first.customer_id
    assert second.changed == ["comment"]
    (candidate,) = sandbox.employees()
    assert "Véhiculé(e) : Oui" in candidate["comment"]
    assert "Véhiculé(e) : Non" in candidate["comment"]  # the first application's line is kept
    assert sandbox.customers() == []
    methods = [w["method"] for w in sandbox.writes()]
    assert methods == ["setEmployee", "setEmployee"]


def test_the_same_email_as_an_existing_customer_makes_a_separate_candidate(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    customer = sandbox.seed_customer({"title": "Mme", "last_name": "N'DIAYE", "email": EMAIL})
    before = sandbox.customers()
    outcome = apply_once(application("01-new-candidate"), MAPPING, ogust_client, guard_for(None))
    assert outcome.status == "created"
    assert outcome.customer_id != customer
    assert len(sandbox.employees()) == 1
    assert sandbox.customers() == before  # the customer is neither changed nor taken for her
    assert sandbox.calls()["searchCustomer"] == 0


def test_an_existing_salarie_with_the_email_is_refused_naming_the_worker(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    salarie = sandbox.seed_employee({"title": "Mme", "last_name": "N'DIAYE", "email": EMAIL, "nature": "S"})
    before = sandbox.employees()
    with pytest.raises(WorkerNatureConflictError) as caught:
        apply_once(application("01-new-candidate"), MAPPING, ogust_client, guard_for(None))
    assert caught.value.customer_ids == [salarie]
    assert caught.value.keys == ["email", "nature"]
    assert "is S, not C" in str(caught.value)
    assert "not a new candidate" in str(caught.value)
    assert sandbox.writes() == []
    assert sandbox.employees() == before


def test_on_conflict_create_makes_a_candidate_beside_the_salarie(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    sandbox.seed_employee({"title": "Mme", "last_name": "N'DIAYE", "email": EMAIL, "nature": "S"})
    text = MAPPING_PATH.read_text(encoding="utf-8").replace("on_conflict: refuse", "on_conflict: create")
    mapping = parse_mapping(text, name="job-application.yaml")
    outcome = apply_once(application("01-new-candidate"), mapping, ogust_client, guard_for(None))
    assert outcome.status == "created"
    assert Counter(e["nature"] for e in sandbox.employees()) == Counter({"S": 1, "C": 1})


def test_ten_same_person_pairs_at_once_make_ten_candidates(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    sandbox.inject_latency(5)  # searches and creates overlap
    guard = guard_for(None)
    people = [
        application(
            "01-new-candidate",
            responseId=f"2_Cand{n:02d}{copy}",
            submittedAt=f"2026-11-29T09:{n:02d}:{copy:02d}.000Z",
            answers={"E-mail": f"Candidate.{n}@Exemple.fr", "Téléphone portable": f"06 45 12 78 {n:02d}"},
        )
        for n in range(10)
        for copy in (1, 2)
    ]
    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(lambda s: apply_once(s, MAPPING, ogust_client, guard), people))
    sandbox.inject_latency(0)
    workers = sandbox.employees()
    assert len(workers) == 10
    assert len({w["email"] for w in workers}) == 10
    assert Counter(o.status for o in outcomes)["created"] == 10
    assert sandbox.customers() == []


def backfill(export: Path, env: dict[str, str], *more: str) -> dict[str, Any]:
    command = ["backfill", str(MAPPING_PATH), str(export), "--form", str(FORM), "--local-ledger", "--json"]
    result = CliRunner().invoke(main, [*command, "--rate", "1000", *more], env=env)
    summary: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    assert result.exit_code == 0, result.output
    return summary


def test_backfill_of_the_example_export_twice_creates_once_then_nothing(
    sandbox: Sandbox, ogust_env: dict[str, str], tmp_path: Path
) -> None:
    export = tmp_path / "Réponses.csv"
    export.write_bytes(EXPORT.read_bytes())
    first = backfill(export, ogust_env)
    # Two applications of one person: her newest creates the candidate, the older is not written over it.
    assert (first["created"], first["updated"] + first["unchanged"] + first["skipped"]) == (1, 1)
    (candidate,) = sandbox.employees()
    assert (candidate["last_name"], candidate["nature"]) == ("N'DIAYE", "C")
    assert "Véhiculé(e) : Oui" in candidate["comment"]
    writes = len(sandbox.writes())
    second = backfill(export, ogust_env)  # resumed: the rows done are in the state file
    assert (second["created"], second["skipped"]) == (0, 2)
    third = backfill(export, ogust_env, "--state", str(tmp_path / "fresh-state"))  # idempotent anyway
    assert third["created"] == 0
    assert len(sandbox.writes()) == writes
    assert len(sandbox.employees()) == 1
    assert sandbox.customers() == []


def test_a_create_dropped_after_ogust_applied_it_is_never_repeated(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    guard = guard_for(None)
    sandbox.inject_drop(method="setEmployee", apply=True)  # Ogust creates her, the answer is lost
    with pytest.raises(OgustUnavailableError) as caught:
        apply_once(application("01-new-candidate"), MAPPING, ogust_client, guard)
    assert caught.value.maybe_applied
    assert caught.value.retryable
    assert len(sandbox.employees()) == 1
    # The sender retries: the search finds the candidate, the doubt is settled, nothing is re-sent.
    again = apply_once(application("01-new-candidate"), MAPPING, ogust_client, guard)
    assert again.status == "unchanged"
    assert len(sandbox.employees()) == 1
    assert sandbox.calls()["setEmployee"] == 1
