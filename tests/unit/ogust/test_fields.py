"""One vocabulary of fields per entity: what each entity's create, lists and write-only fields name
are fields that entity has, and the customer's and the worker's share the person's fields."""

from __future__ import annotations

import pytest

from shared.ogust import ENTITY_FIELDS, Entity, Target
from shared.ogust._fields import PERSON_FIELDS


@pytest.mark.parametrize("entity", ["customer", "employee"])
def test_what_an_entity_needs_on_create_is_among_its_fields(entity: Entity) -> None:
    fields = ENTITY_FIELDS[entity]
    assert all(Target.parse(label).known_to(entity) for label in fields.usual_create)
    assert fields.write_only <= fields.names
    assert {key.split(".", 1)[1] for key in fields.lists} <= fields.names
    assert set(fields.address_defaults) - {"type"} <= fields.address


def test_the_customer_and_the_worker_differ_only_beyond_the_persons_fields() -> None:
    customer, worker = ENTITY_FIELDS["customer"], ENTITY_FIELDS["employee"]
    assert customer.names & worker.names == PERSON_FIELDS
    assert Target.parse("nature").known_to("employee")
    assert not Target.parse("nature").known_to("customer")
    assert not Target.parse("exoneration").known_to("employee")
    assert customer.third_party != worker.third_party
