"""decide(): create, update only what differs, or nothing at all; never blank a stored value."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from shared.engine import execute
from shared.engine.decide import (
    Action,
    Create,
    Skip,
    Unchanged,
    Update,
    append_marker,
    decide,
    needs_address_id,
)
from shared.engine.process import Preview
from shared.mapping import FormMapping, Plan
from shared.mapping.plan import version_of
from shared.ogust import CustomerRecord, Target
from shared.webhook import Submission

RULES: dict[str, Any] = {
    name: {"answer": name}
    for name in ("email", "last_name", "first_name", "mobile_phone", "main_address.line", "main_address.city")
}
FORM = FormMapping.model_validate(
    {
        "form_id": "f",
        "lookup": "email",
        "fields": {
            **RULES,
            "comment": {"answer": "Commentaires", "on_update": "append"},
            "origin": {"answer": "Origine", "on_update": "if_empty"},
            "main_address.zip": {"answer": "CP"},
        },
        "custom_fields": {"NOTE": {"answer": "Note"}, "AVIS": {"answer": "Avis", "on_update": "append"}},
    }
)


def make_plan(
    customer: dict[str, str], address: dict[str, str] | None = None, custom: dict[str, str] | None = None
) -> Plan:
    values = {Target("customer", k): v for k, v in customer.items()}
    values.update({Target("address", k): v for k, v in (address or {}).items()})
    values.update({Target("custom", k): v for k, v in (custom or {}).items()})
    return Plan(form=FORM, response_id="r", values=values, lookup=[(Target("customer", "email"), "x")])


def labels(values: dict[Target, str]) -> dict[str, str]:
    return {target.label: value for target, value in values.items()}


def record(custom: dict[str, str] | None = None, **fields: Any) -> CustomerRecord:
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
    found = CustomerRecord.from_ogust(base)
    assert found is not None
    return found if custom is None else found.with_custom(custom)


class Recorder:
    """Just enough of the Ogust client to see what execute() sends."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, Any]] = []

    def set_customer(self, fields: dict[str, Any]) -> str:
        self.sent.append(("setCustomer", fields))
        return str(fields.get("id_customer", "1"))

    def set_address(self, fields: dict[str, Any]) -> None:
        self.sent.append(("setAddress", fields))

    def set_third_party_informations(self, third_party: str, third_party_id: str, values: Any) -> None:
        self.sent.append(("setThirdPartyInformations", (third_party, third_party_id, values)))


def sent_for(action: Action) -> list[tuple[str, Any]]:
    """What execute() sends to Ogust to carry `action` out."""
    ogust = Recorder()
    execute(ogust, action)  # type: ignore[arg-type]
    return ogust.sent


def test_no_record_means_create_with_main_address_defaults() -> None:
    action = decide(
        make_plan({"email": "a@b.fr", "last_name": "NOM"}, {"line": "1 rue", "city": "PARIS"}), None
    )
    assert isinstance(action, Create)
    assert sent_for(action) == [
        (
            "setCustomer",
            {
                "email": "a@b.fr",
                "last_name": "NOM",
                "main_address": {"type": "Adrpri", "country": "FR", "line": "1 rue", "city": "PARIS"},
            },
        )
    ]


def test_same_values_mean_unchanged() -> None:
    plan = make_plan({"email": "zoe.lefevre@exemple.fr", "first_name": "Zoé"}, {"city": "PARIS"})
    assert decide(plan, record()) == Unchanged("344563872")


def test_only_differing_fields_are_sent() -> None:
    plan = make_plan({"email": "zoe.lefevre@exemple.fr", "first_name": "Zoé", "last_name": "LEFÈVRE-MARTIN"})
    action = decide(plan, record())
    assert action == Update("344563872", {Target("customer", "last_name"): "LEFÈVRE-MARTIN"}, "77")


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
    the_plan = make_plan({"comment": "Satisfaction 5/5"})
    action = decide(the_plan, record())
    assert isinstance(action, Update)
    assert labels(action.changes) == {"comment": f"{append_marker(the_plan)} Satisfaction 5/5"}
    assert "mobile_phone" not in labels(action.changes)


def test_address_change_goes_to_set_address() -> None:
    action = decide(make_plan({}, {"line": "8 place Carnot", "city": "PARIS"}), record())
    assert action == Update("344563872", {Target("address", "line"): "8 place Carnot"}, "77")
    assert action.changed_fields == ["main_address.line"]
    assert sent_for(action) == [("setAddress", {"id_address": "77", "line": "8 place Carnot"})]


def test_customer_without_address_gets_a_new_one() -> None:
    action = decide(make_plan({}, {"line": "8 place Carnot"}), record(main_address={}))
    assert isinstance(action, Update)
    assert sent_for(action) == [
        (
            "setCustomer",
            {
                "id_customer": "344563872",
                "main_address": {"type": "Adrpri", "country": "FR", "line": "8 place Carnot"},
            },
        )
    ]


def test_address_id_needed_only_when_missing_and_address_mapped() -> None:
    assert needs_address_id(make_plan({}, {"city": "PARIS"}), record(main_address={"city": "PARIS"}))
    assert not needs_address_id(make_plan({}, {"city": "PARIS"}), record())
    assert not needs_address_id(make_plan({"email": "x"}), record(main_address={}))
    assert not needs_address_id(make_plan({}, {"city": "PARIS"}), None)


def test_append_adds_the_text_once_with_the_mark_of_the_response() -> None:
    the_plan = make_plan({"comment": "28/11/2026 Satisfaction 4/5"})
    mark = append_marker(the_plan)
    assert re.fullmatch(r"\[r:[0-9a-f]{8}\]", mark)
    first = decide(the_plan, record(comment="Client depuis 2019"))
    assert isinstance(first, Update)
    assert labels(first.changes) == {"comment": f"Client depuis 2019\n{mark} 28/11/2026 Satisfaction 4/5"}
    again = decide(the_plan, record(comment=labels(first.changes)["comment"]))
    assert again == Unchanged("344563872")


def test_append_looks_for_the_mark_not_the_text() -> None:
    """Ogust may store ' as &#039; or cut the line: the mark, at the start of the line, survives."""
    the_plan = make_plan({"comment": "J'ai été « très » satisfaite & je recommande <3"})
    mark = append_marker(the_plan)
    escaped = f"{mark} J&#039;ai été « très » satisfaite &amp; je"
    assert decide(the_plan, record(comment=escaped)) == Unchanged("344563872")
    # The same words from another response (or another version) are a line of their own.
    other = Plan(form=FORM, response_id="r2", values=the_plan.values, lookup=the_plan.lookup, version="v2")
    action = decide(other, record(comment=escaped))
    assert isinstance(action, Update)
    assert labels(action.changes)["comment"].startswith(escaped + "\n" + append_marker(other))


def test_a_new_version_of_a_response_appends_its_own_line() -> None:
    values = {Target("customer", "comment"): "Satisfaction 4/5"}
    lookup = [(Target("customer", "email"), "x")]
    first = Plan(
        form=FORM, response_id="r", values=values, lookup=lookup, version="2026-11-28T10:00:00+00:00"
    )
    edited = Plan(
        form=FORM, response_id="r", values=values, lookup=lookup, version="2026-11-29T09:00:00+00:00"
    )
    assert append_marker(first) != append_marker(edited)


def test_append_to_an_empty_comment_is_the_text_alone() -> None:
    the_plan = make_plan({"comment": "Satisfaction 4/5"})
    action = decide(the_plan, record(comment="  "))
    assert isinstance(action, Update)
    assert labels(action.changes) == {"comment": f"{append_marker(the_plan)} Satisfaction 4/5"}


def test_a_created_customer_carries_the_mark_so_a_redelivery_appends_nothing() -> None:
    the_plan = make_plan({"email": "a@b.fr", "comment": "Satisfaction 4/5"})
    created = decide(the_plan, None)
    assert isinstance(created, Create)
    comment = labels(created.values)["comment"]
    assert comment == f"{append_marker(the_plan)} Satisfaction 4/5"
    assert decide(the_plan, record(email="a@b.fr", comment=comment)) == Unchanged("344563872")


def test_if_empty_never_overwrites() -> None:
    assert decide(make_plan({"origin": "12"}), record(origin="7")) == Unchanged("344563872")
    action = decide(make_plan({"origin": "12"}), record(origin=""))
    assert isinstance(action, Update)
    assert labels(action.changes) == {"origin": "12"}


def test_custom_fields_compared_with_current_values() -> None:
    plan = make_plan({}, custom={"NOTE": "4", "AVIS": "Très bien"})
    mark = append_marker(plan)
    assert decide(plan, record({"NOTE": "4", "AVIS": f"Bien\n{mark} Très bien"})) == Unchanged("344563872")
    action = decide(plan, record({"NOTE": "3", "AVIS": "Bien"}))
    assert isinstance(action, Update)
    assert labels(action.changes) == {"custom.NOTE": "4", "custom.AVIS": f"Bien\n{mark} Très bien"}
    assert action.changed_fields == ["custom.AVIS", "custom.NOTE"]


def test_custom_fields_are_written_as_the_full_set_ogust_holds_plus_the_changes() -> None:
    """Ogust may replace the whole set with what it is sent: a partial set would wipe the others."""
    plan = make_plan({}, custom={"NOTE": "4"})
    action = decide(plan, record({"NOTE": "3", "GIR": "GIR 4", "ALLERGIES": "Pénicilline"}))
    assert isinstance(action, Update)
    assert action.changed_fields == ["custom.NOTE"]
    assert sent_for(action) == [
        (
            "setThirdPartyInformations",
            ("C", "344563872", {"NOTE": "4", "GIR": "GIR 4", "ALLERGIES": "Pénicilline"}),
        ),
    ]


def test_create_carries_custom_fields() -> None:
    action = decide(make_plan({"email": "a@b.fr"}, custom={"NOTE": "5"}), None)
    assert isinstance(action, Create)
    assert labels(action.values) == {"email": "a@b.fr", "custom.NOTE": "5"}
    assert sent_for(action) == [
        ("setCustomer", {"email": "a@b.fr"}),
        ("setThirdPartyInformations", ("C", "1", {"NOTE": "5"})),
    ]


def test_skipped_plan_and_update_only_form() -> None:
    skipped = Plan(form=FORM, response_id="r", skipped="skip_when: question 'Note' equals '1'")
    assert decide(skipped, None) == Skip("skip_when: question 'Note' equals '1'")
    update_only = make_plan({"email": "a@b.fr"})
    update_only = Plan(
        form=FORM.model_copy(update={"if_not_found": "skip"}),
        response_id="r",
        values=update_only.values,
        lookup=update_only.lookup,
    )
    action = decide(update_only, None)
    assert isinstance(action, Skip)
    assert "only updates existing customers" in action.reason
    assert isinstance(decide(update_only, record(email="a@b.fr", last_name="X")), Unchanged)


CREATING = FormMapping.model_validate(
    {
        "form_id": "devis",
        "lookup": "email",
        "fields": {"email": {"answer": "E"}, "exoneration": {"answer": "Exonération"}},
        "on_create": {"type": "P", "origin": {"value": "253195735"}},
    }
)


def creating_plan(**values: str) -> Plan:
    return Plan(
        form=CREATING,
        response_id="r",
        values={Target.parse(k): v for k, v in values.items()},
        lookup=[(Target("customer", "email"), values["email"])],
    )


def test_on_create_constants_are_sent_on_create_only() -> None:
    the_plan = creating_plan(email="a@b.fr", type="P", origin="253195735", exoneration="D")
    created = decide(the_plan, None)
    assert isinstance(created, Create)
    assert labels(created.values) == {
        "email": "a@b.fr",
        "type": "P",
        "origin": "253195735",
        "exoneration": "D",
    }
    # A client since 2019 (type C, another origin) stays what Ogust says: nothing to update.
    existing = record(email="a@b.fr", type="C", origin="1")
    assert decide(the_plan, existing) == Unchanged("344563872")


def test_a_field_ogust_never_returns_is_not_taken_for_a_change() -> None:
    # exoneration is written on create but absent from search results (docs/ogust-api.md §9 N3).
    the_plan = creating_plan(email="a@b.fr", type="P", origin="253195735", exoneration="D")
    assert CREATING.create_only == {Target.parse(n) for n in ("type", "origin", "exoneration")}
    assert decide(the_plan, record(email="a@b.fr")) == Unchanged("344563872")


# --- appends whatever Ogust does to the text (property) -----------------------------------------------

FRENCH = st.text(
    alphabet=st.sampled_from(list("abcdeéèêàçôùïœ ABCÉ'’\"&<>«»–-\n😊0123456789.,:;!?")),
    min_size=1,
    max_size=80,
)


def _escaped(text: str) -> str:
    """What a PHP application's htmlspecialchars stores."""
    return html.escape(text, quote=True).replace("&#x27;", "&#039;")


@given(old=st.one_of(st.just(""), FRENCH), new=FRENCH, escape=st.booleans(), cap=st.integers(0, 60))
def test_a_redelivered_append_is_found_whatever_ogust_did_to_the_text(
    old: str, new: str, escape: bool, cap: int
) -> None:
    the_plan = make_plan({"comment": new})
    first = decide(the_plan, record(comment=old))
    if not new.strip():
        assert first == Unchanged("344563872")
        return
    assert isinstance(first, Update)
    written = labels(first.changes)["comment"]
    stored = _escaped(written) if escape else written
    # A cut that keeps the line's start (its mark) at least; the earlier lines are Ogust's own.
    mark_end = stored.rindex(append_marker(the_plan)) + len(append_marker(the_plan))
    stored = stored[: mark_end + cap]
    assert decide(the_plan, record(comment=stored)) == Unchanged("344563872")


def test_the_mark_is_the_same_whichever_path_wrote_the_submission_time() -> None:
    """The script sends `…Z`, a replay may carry `+00:00` or Paris time: one edit, one mark."""

    def at(when: datetime) -> Submission:
        return Submission.model_validate(
            {
                "schemaVersion": 1,
                "formId": "f",
                "responseId": "r",
                "submittedAt": when.isoformat(),
                "answers": [],
            }
        )

    utc = datetime(2026, 11, 28, 9, 15, 0, 123000, tzinfo=UTC)
    paris = utc.astimezone(timezone(timedelta(hours=1)))
    assert version_of(at(utc)) == version_of(at(paris)) == "1795857300123"
    assert version_of(at(utc + timedelta(milliseconds=1))) != version_of(at(utc))


def test_a_decision_says_what_it_is_whether_it_writes_and_what() -> None:
    # Callers (the preview, the fence's "write in doubt" rule) read these, never the class.
    created = decide(make_plan({"email": "zoe.lefevre@exemple.fr", "last_name": "LEFÈVRE"}), None)
    updated = decide(make_plan({"email": "zoe.lefevre@exemple.fr", "last_name": "D'ARNOUX"}), record())
    same = decide(make_plan({"email": "zoe.lefevre@exemple.fr", "first_name": "Zoé"}), record())
    skipped = decide(Plan(form=FORM, response_id="r", skipped="skip_when: question 'Note' equals '1'"), None)
    assert [a.kind for a in (created, updated, same, skipped)] == ["create", "update", "unchanged", "skip"]
    assert [a.writes for a in (created, updated, same, skipped)] == [True, True, False, False]
    assert labels(created.written) == {"email": "zoe.lefevre@exemple.fr", "last_name": "LEFÈVRE"}
    assert labels(updated.written) == {"last_name": "D'ARNOUX"}
    assert same.written == skipped.written == {}


def test_a_preview_shows_each_field_set_same_or_kept_by_its_policy() -> None:
    the_plan = make_plan(
        {"email": "zoe.lefevre@exemple.fr", "first_name": "Zoé", "last_name": "D'ARNOUX", "origin": "12"}
    )
    found = record(origin="7")
    preview = Preview(the_plan, found, decide(the_plan, found))
    rows = {row.field: (row.current, row.new, row.change) for row in preview.differences()}
    assert rows == {
        "email": ("zoe.lefevre@exemple.fr", "zoe.lefevre@exemple.fr", "same"),
        "first_name": ("Zoé", "Zoé", "same"),
        "last_name": ("LEFÈVRE", "D'ARNOUX", "set"),
        "origin": ("7", "12", "kept"),  # if_empty: Ogust's value stays
    }
    assert preview.reason is None
    skipped = Plan(form=FORM, response_id="r", skipped="skip_when: question 'Note' equals '1'")
    assert Preview(skipped, None, decide(skipped, None)).reason == "skip_when: question 'Note' equals '1'"
