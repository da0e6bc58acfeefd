"""The whole path through functions-framework: signed submission → mapping → Ogust sandbox."""

from __future__ import annotations

import pytest

from ogust_sandbox import Sandbox
from tests.support.function import Post, example


def the_customer(sandbox: Sandbox) -> dict[str, object]:
    customers = sandbox.customers()
    assert len(customers) == 1
    return customers[0]


def test_new_submission_creates_the_customer_with_exactly_the_mapped_values(
    post: Post, sandbox: Sandbox
) -> None:
    response = post(example("01-new-customer"))
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "created"
    customer = the_customer(sandbox)
    assert body["customerId"] == customer["id_customer"]
    assert {
        k: customer[k] for k in ("title", "last_name", "first_name", "email", "mobile_phone", "comment")
    } == {
        "title": "Mme",
        "last_name": "D'ARNOUX-LEFÈVRE",
        "first_name": "Marie-Hélène",
        "email": "marie-helene.darnoux@exemple.fr",
        "mobile_phone": "0612345678",
        "comment": "Satisfaction 4/5 : Très bien, l'aide à domicile est ponctuelle.",
    }
    address = customer["main_address"]
    assert isinstance(address, dict)
    assert (address["line"], address["zip"], address["city"], address["type"], address["country"]) == (
        "12, rue de l'Église",
        "94240",
        "L'HAŸ-LES-ROSES",
        "Adrpri",
        "FR",
    )


def test_second_submission_for_the_same_email_updates_instead_of_creating(
    post: Post, sandbox: Sandbox
) -> None:
    created = post(example("01-new-customer")).get_json()
    response = post(example("02-same-person-again"))
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "updated"
    assert body["customerId"] == created["customerId"]
    customer = the_customer(sandbox)
    assert customer["comment"] == "Satisfaction 5/5 : Parfait depuis le changement d'intervenante."
    assert customer["main_address"]["line"] == "3 avenue Jean-Jaurès"  # type: ignore[index]
    assert sorted(body["changed"]) == ["comment", "main_address.line"]


def test_empty_answer_does_not_blank_the_stored_value(post: Post, sandbox: Sandbox) -> None:
    post(example("01-new-customer"))
    post(example("02-same-person-again"))  # "Téléphone portable" left empty
    assert the_customer(sandbox)["mobile_phone"] == "0612345678"


def test_same_submission_twice_is_unchanged_and_costs_no_ogust_call(post: Post, sandbox: Sandbox) -> None:
    post(example("01-new-customer"))
    calls = sum(sandbox.calls().values())
    response = post(example("01-new-customer"))
    assert response.status_code == 200
    assert response.get_json()["status"] == "unchanged"
    assert response.get_json()["reason"] == "this version was already applied"
    assert sum(sandbox.calls().values()) == calls
    assert len(sandbox.customers()) == 1


def test_same_values_from_another_response_are_unchanged_and_write_nothing(
    post: Post, sandbox: Sandbox
) -> None:
    post(example("01-new-customer"))
    writes = len(sandbox.writes())
    response = post(example("01-new-customer", responseId="2_ABaOnudAutre"))
    assert response.get_json()["status"] == "unchanged"
    assert len(sandbox.writes()) == writes


def test_an_older_edit_arriving_late_does_not_overwrite_the_newer_one(post: Post, sandbox: Sandbox) -> None:
    newer = example("01-new-customer", submittedAt="2026-11-28T10:00:00.000Z", answers={"Ville": "Cachan"})
    older = example("01-new-customer", submittedAt="2026-11-28T09:15:00.000Z", answers={"Ville": "Arcueil"})
    assert post(newer).status_code == 201
    response = post(older)
    assert response.get_json()["status"] == "skipped"
    assert the_customer(sandbox)["main_address"]["city"] == "CACHAN"  # type: ignore[index]


def test_two_people_make_two_customers(post: Post, sandbox: Sandbox) -> None:
    post(example("01-new-customer"))
    assert post(example("03-another-person")).status_code == 201
    assert sorted(c["email"] for c in sandbox.customers()) == [
        "jp.ndiaye@exemple.org",
        "marie-helene.darnoux@exemple.fr",
    ]


def test_lookup_is_exact_even_when_ogust_search_is_loose(post: Post, sandbox: Sandbox) -> None:
    # The sandbox's search is "contains": this customer comes back for the e-mail searched below.
    sandbox.seed_customer({"email": "ancienne.marie-helene.darnoux@exemple.fr", "last_name": "AUTRE"})
    assert post(example("01-new-customer")).status_code == 201
    assert len(sandbox.customers()) == 2


def test_address_change_costs_search_set_address_only(post: Post, sandbox: Sandbox) -> None:
    post(example("01-new-customer"))
    before = sandbox.calls()
    edit = {"submittedAt": "2026-11-28T11:00:00.000Z", "answers": {"Adresse": "8 place Carnot"}}
    post(example("01-new-customer", **edit))
    after = sandbox.calls()
    made = {m: after[m] - before.get(m, 0) for m in after if after[m] != before.get(m, 0)}
    assert made == {"searchCustomer": 1, "setAddress": 1}
    assert the_customer(sandbox)["main_address"]["line"] == "8 place Carnot"  # type: ignore[index]


def test_server_timing_reports_the_wait_for_ogust_only_when_ogust_was_called(post: Post) -> None:
    first = post(example("01-new-customer"))
    name, _, duration = first.headers["Server-Timing"].partition(";dur=")
    assert name == "ogust"
    assert float(duration) > 0
    duplicate = post(example("01-new-customer"))  # answered from the ledger: no Ogust call
    assert "Server-Timing" not in duplicate.headers


@pytest.mark.parametrize(
    "typed",
    [
        "Marie-Helene.Darnoux@Exemple.FR",
        "marie-helene.darnoux＠exemple.fr",
        "marie-helene.darnoux@\u200bexemple.fr",
        "\ufeffmarie-helene.darnoux@exemple.fr",
        "marie-helene.darnoux@exemple.fr.",
        "\u00a0marie-helene.darnoux@exemple.fr\u202f",
    ],
    ids=["case", "fullwidth-at", "zero-width-space", "bom", "final-dot", "odd-spaces"],
)
def test_every_spelling_of_the_email_finds_the_existing_customer(
    post: Post, sandbox: Sandbox, typed: str
) -> None:
    id_customer = sandbox.seed_customer(
        {
            "email": "marie-helene.darnoux@exemple.fr",
            "last_name": "D'ARNOUX-LEFÈVRE",
            "first_name": "Marie-Hélène",
        }
    )
    response = post(example("01-new-customer", answers={"Adresse e-mail": typed}))
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["customerId"] == id_customer
    assert len(sandbox.customers()) == 1


def test_the_same_version_with_other_answers_is_applied_not_taken_for_a_duplicate(
    post: Post, sandbox: Sandbox
) -> None:
    first = post(example("01-new-customer"))
    assert first.status_code == 201
    # Same responseId, same submittedAt, another answer: another version, so it is applied.
    changed = post(example("01-new-customer", answers={"Commentaires": "Finalement, plutôt le matin."}))
    assert changed.status_code == 200
    assert changed.get_json()["status"] == "updated"
    assert "plutôt le matin" in sandbox.customers()[0]["comment"]
    # Either payload sent again is now a duplicate: no Ogust call.
    calls = sandbox.calls()["searchCustomer"]
    for again in (
        example("01-new-customer"),
        example("01-new-customer", answers={"Commentaires": "Finalement, plutôt le matin."}),
    ):
        assert post(again).get_json()["reason"] == "this version was already applied"
    assert sandbox.calls()["searchCustomer"] == calls
