"""A formula-looking answer on the sandbox: stored as text, and a replay writes nothing."""

from __future__ import annotations

from pathlib import Path

from ogust_sandbox import Sandbox
from shared.engine.process import process
from shared.mapping import load_mapping
from shared.ogust import OgustClient
from shared.webhook import Submission
from tests.support.function import example

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def test_a_formula_in_an_answer_is_stored_as_text_and_a_replay_writes_nothing(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    mapping = load_mapping(EXAMPLES / "satisfaction.yaml")
    sub = Submission.model_validate(
        example(
            "01-new-customer",
            answers={
                "Nom": '=HYPERLINK("http://exemple.fr/piège";"Lefèvre")',
                "Adresse": "@SOMME(1;2)",
                "Téléphone portable": "+33 6 12 34 56 78",
            },
        )
    )
    assert process(sub, mapping, ogust_client).status == "created"
    (customer,) = sandbox.customers()
    assert customer["last_name"] == '\'=HYPERLINK("HTTP://EXEMPLE.FR/PIÈGE";"LEFÈVRE")'
    assert customer["main_address"]["line"] == "'@SOMME(1;2)"
    assert customer["mobile_phone"] == "0612345678"  # a phone is no formula
    writes = len(sandbox.writes())
    assert process(sub, mapping, ogust_client).status == "unchanged"
    assert len(sandbox.writes()) == writes
