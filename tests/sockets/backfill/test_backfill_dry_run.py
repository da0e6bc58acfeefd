"""The dry run's simulated Ogust, on the sandbox: real reads, simulated writes seen by later rows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ogust_sandbox import Sandbox
from shared.backfill.dry_run import SimulatedOgust
from shared.backfill.run import direct_sink, dry_run_sink
from shared.engine.process import process
from shared.exactly_once._apply import guard_for
from shared.mapping import load_mapping
from shared.ogust import OgustClient
from shared.webhook import Submission

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def sample(folder: str, name: str, **changes: Any) -> Submission:
    data = json.loads((EXAMPLES / "submissions" / folder / f"{name}.json").read_text(encoding="utf-8"))
    return Submission.model_validate({**data, **changes})


def test_an_existing_client_answering_twice_is_two_updates_with_custom_fields_and_appends(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    mapping = load_mapping(EXAMPLES / "satisfaction-clients.yaml")
    client_id = sandbox.seed_customer(
        {"email": "zoe.lefevre@exemple.fr", "last_name": "LEFÈVRE", "comment": "Cliente depuis 2019."}
    )
    first = sample("satisfaction-clients", "01-known-client")
    again = sample(
        "satisfaction-clients",
        "01-known-client",
        responseId="2_SatClient0009",
        submittedAt="2026-12-01T10:00:00.000Z",
    )
    simulate = dry_run_sink(mapping, ogust_client)
    assert [simulate(first), simulate(again), simulate(again)] == [
        ("updated", client_id),
        ("updated", client_id),  # the comment of 28/11 is in the simulated view: 01/12 is appended
        ("unchanged", client_id),  # and a replay appends nothing
    ]
    assert sandbox.writes() == []
    apply = direct_sink(mapping, ogust_client, guard_for(None))
    assert [apply(first), apply(again), apply(again)] == [
        ("updated", client_id),
        ("updated", client_id),
        ("unchanged", client_id),
    ]


def test_a_simulated_address_change_of_a_real_customer_is_seen_by_the_next_search(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    mapping = load_mapping(EXAMPLES / "satisfaction.yaml")
    sandbox.seed_customer(
        {
            "email": "marie-helene.darnoux@exemple.fr",
            "last_name": "D'ARNOUX",
            "main_address": {"line": "12, rue de l'Église", "zip": "94240", "city": "L'HAŸ-LES-ROSES"},
        }
    )
    view = SimulatedOgust(ogust_client)
    moved = sample(".", "02-same-person-again")
    outcome = process(moved, mapping, view)
    assert outcome.status == "updated"
    assert "main_address.line" in outcome.changed
    (seen,) = view.search_customers(email="marie-helene.darnoux@exemple.fr")
    assert seen.address["line"] == "3 avenue Jean-Jaurès"
    assert [method for method, _ in view.writes] == ["setCustomer", "setAddress"]
    assert process(moved, mapping, view).status == "unchanged"
    assert sandbox.writes() == []
    (real,) = ogust_client.search_customers(email="marie-helene.darnoux@exemple.fr")
    assert real.address["line"] == "12, rue de l'Église"


def test_a_simulated_customer_is_found_by_its_current_values_only(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    # The search among simulated customers is indexed: a changed e-mail must leave the old key.
    view = SimulatedOgust(ogust_client)
    assert view.search_customers(email="zoe.lefevre@exemple.fr") == []  # the index exists from here
    created = view.set_customer({"email": "Zoé.Lefèvre@Exemple.fr", "mobile_phone": "06 12 34 56 78"})
    (found,) = view.search_customers(email="ZOÉ.LEFÈVRE@exemple.fr")
    assert found.id == created
    assert [r.id for r in view.search_customers(mobile_phone="0612345678")] == [created]
    view.set_customer({"id_customer": created, "email": "zoe.martin@exemple.fr"})
    assert view.search_customers(email="zoe.lefevre@exemple.fr") == []
    assert [r.id for r in view.search_customers(email="Zoe.Martin@exemple.fr")] == [created]
    assert [
        r.id for r in view.search_customers(email="zoe.martin@exemple.fr", mobile_phone="06 12 34 56 78")
    ] == [created]
    assert view.search_customers(email="zoe.martin@exemple.fr", mobile_phone="06 99 99 99 99") == []
    assert sandbox.writes() == []
