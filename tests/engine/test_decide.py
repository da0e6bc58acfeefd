"""decide(): create, update only what differs, or nothing at all; never blank a stored value."""

from __future__ import annotations

from typing import Any

from shared.engine import Create, Unchanged, Update, decide
from shared.engine.decide import needs_address_id
from shared.mapping import FormMapping, Plan

FORM = FormMapping.model_validate({"form_id": "f", "lookup": "email", "fields": {"email": {"answer": "E"}}})


def make_plan(customer: dict[str, str], address: dict[str, str] | None = None) -> Plan:
    return Plan(form=FORM, response_id="r", customer=customer, address=address or {}, lookup=[("email", "x")])


def record(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id_customer": "344563872",
        "email": "zoe.lefevre@exemple.fr",
        "last_name": "LEFÈVRE",
        "first_name": "Zoé",
        "mobile_phone": "0612345678",
        "comment": "",
        "main_address": {"id_address": "77", "line": "3 rue Haute", "zip": "75011", "city": "PARIS"},
    }
    base.update(fields)
    return base


def test_no_record_means_create_with_main_address_defaults() -> None:
    action = decide(
        make_plan({"email": "a@b.fr", "last_name": "NOM"}, {"line": "1 rue", "city": "PARIS"}), None
    )
    assert action == Create(
        {
            "email": "a@b.fr",
            "last_name": "NOM",
            "main_address": {"type": "Adrpri", "country": "FR", "line": "1 rue", "city": "PARIS"},
        }
    )


def test_same_values_mean_unchanged() -> None:
    plan = make_plan({"email": "zoe.lefevre@exemple.fr", "first_name": "Zoé"}, {"city": "PARIS"})
    assert decide(plan, record()) == Unchanged("344563872")


def test_only_differing_fields_are_sent() -> None:
    plan = make_plan({"email": "zoe.lefevre@exemple.fr", "first_name": "Zoé", "last_name": "LEFÈVRE-MARTIN"})
    action = decide(plan, record())
    assert action == Update("344563872", {"last_name": "LEFÈVRE-MARTIN"}, "77")


def test_same_phone_written_differently_is_no_change() -> None:
    assert decide(
        make_plan({"mobile_phone": "0612345678"}), record(mobile_phone="06 12 34 56 78")
    ) == Unchanged("344563872")


def test_email_case_is_no_change() -> None:
    assert decide(make_plan({"email": "zoe.lefevre@exemple.fr"}), record(email="Zoe.Lefevre@Exemple.fr")) == (
        Unchanged("344563872")
    )


def test_field_left_out_of_the_plan_is_never_blanked() -> None:
    # The plan omits empty answers; whatever Ogust holds for them is not touched.
    action = decide(make_plan({"comment": "Satisfaction 5/5"}), record())
    assert isinstance(action, Update)
    assert action.changes == {"comment": "Satisfaction 5/5"}
    assert "mobile_phone" not in action.changes


def test_address_change_goes_to_set_address() -> None:
    action = decide(make_plan({}, {"line": "8 place Carnot", "city": "PARIS"}), record())
    assert action == Update("344563872", {}, "77", {"line": "8 place Carnot"})
    assert action.changed_fields == ["main_address.line"]


def test_customer_without_address_gets_a_new_one() -> None:
    action = decide(make_plan({}, {"line": "8 place Carnot"}), record(main_address={}))
    assert isinstance(action, Update)
    assert action.new_address == {"type": "Adrpri", "country": "FR", "line": "8 place Carnot"}


def test_address_id_needed_only_when_missing_and_address_mapped() -> None:
    assert needs_address_id(make_plan({}, {"city": "PARIS"}), record(main_address={"city": "PARIS"}))
    assert not needs_address_id(make_plan({}, {"city": "PARIS"}), record())
    assert not needs_address_id(make_plan({"email": "x"}), record(main_address={}))
    assert not needs_address_id(make_plan({}, {"city": "PARIS"}), None)
