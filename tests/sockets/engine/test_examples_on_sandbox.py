"""The worked examples, run for real: engine + Ogust client against the sandbox over HTTP."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ogust_sandbox import Sandbox
from shared.engine.process import process
from shared.errors import IdentityConflictError
from shared.mapping import load_mapping
from shared.ogust import OgustClient
from shared.ogust._keys import StaticKeys
from shared.webhook import Submission, parse_submission

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def submission(folder: str, name: str) -> Submission:
    return parse_submission((EXAMPLES / "submissions" / folder / f"{name}.json").read_bytes())


def test_replayed_append_leaves_the_comment_as_after_the_first_delivery(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    mapping = load_mapping(EXAMPLES / "satisfaction-clients.yaml")
    client_id = sandbox.seed_customer(
        {"email": "zoe.lefevre@exemple.fr", "last_name": "LEFÈVRE", "comment": "Cliente depuis 2019."}
    )
    sub = submission("satisfaction-clients", "01-known-client")
    first = process(sub, mapping, ogust_client)
    assert (first.status, first.customer_id) == ("updated", client_id)
    (customer,) = sandbox.customers()
    after_first = customer["comment"]
    assert re.fullmatch(
        r"Cliente depuis 2019\.\n\[r:[0-9a-f]{8}\] "
        r"28/11/2026 – Satisfaction 4/5 : Très bien, merci à Aïcha\.",
        after_first,
    )
    writes = len(sandbox.writes())
    for _ in range(2):
        replay = process(sub, mapping, ogust_client)
        assert replay.status == "unchanged"
    (customer,) = sandbox.customers()
    assert customer["comment"] == after_first
    assert len(sandbox.writes()) == writes


def test_score_goes_to_its_custom_field_and_phone_only_if_empty(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    mapping = load_mapping(EXAMPLES / "satisfaction-clients.yaml")
    client_id = sandbox.seed_customer(
        {"email": "zoe.lefevre@exemple.fr", "last_name": "LEFÈVRE", "mobile_phone": "07 81 22 33 44"}
    )
    outcome = process(submission("satisfaction-clients", "01-known-client"), mapping, ogust_client)
    assert "custom.NOTESAT" in outcome.changed
    assert sandbox.third_party_values(client_id) == {"NOTESAT": "4"}
    assert sandbox.customers()[0]["mobile_phone"] == "07 81 22 33 44"  # the same number, left as it is


def test_a_known_client_answering_with_another_phone_is_refused_not_written(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    # Both lookup keys must agree: the e-mail finds Zoé, whose mobile is another one.
    mapping = load_mapping(EXAMPLES / "satisfaction-clients.yaml")
    client_id = sandbox.seed_customer(
        {"email": "zoe.lefevre@exemple.fr", "last_name": "LEFÈVRE", "mobile_phone": "0611111111"}
    )
    with pytest.raises(IdentityConflictError) as refused:
        process(submission("satisfaction-clients", "01-known-client"), mapping, ogust_client)
    assert refused.value.details()["keys"] == ["email", "mobile_phone"]
    assert refused.value.details()["customerIds"] == [client_id]
    assert client_id in str(refused.value)
    assert sandbox.writes() == []
    assert sandbox.third_party_values(client_id) == {}


def test_update_only_form_skips_unknown_people_and_writes_nothing(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    mapping = load_mapping(EXAMPLES / "satisfaction-clients.yaml")
    outcome = process(submission("satisfaction-clients", "02-unknown-person"), mapping, ogust_client)
    assert outcome.status == "skipped"
    assert outcome.reason is not None
    assert "only updates existing customers" in outcome.reason
    assert sandbox.writes() == []


def test_quote_request_creates_a_prospect_with_list_code_and_address(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    mapping = load_mapping(EXAMPLES / "quote-request.yaml")
    outcome = process(submission("quote-request", "01-new-prospect"), mapping, ogust_client)
    assert outcome.status == "created"
    (customer,) = sandbox.customers()
    assert customer["origin"] == "253195737"  # "Formulaire Google" in the sandbox's customer.origin list
    assert (customer["first_name"], customer["last_name"], customer["mobile_phone"]) == (
        "Jean-Pierre",
        "DE LA FONTAINE",
        "0698765432",
    )
    assert customer["main_address"]["zip"] == "01000"
    # on_create: a new prospect; exoneration is written, though Ogust does not return it (docs/ogust-api.md
    # §9 N3).
    created = sandbox.writes()[0]["params"]
    assert (customer["type"], created["type"], created["exoneration"]) == ("P", "P", "D")
    assert sandbox.calls()["getList"] == 1
    again = parse_submission(
        (EXAMPLES / "submissions" / "quote-request" / "01-new-prospect.json")
        .read_bytes()
        .replace(b"JP.Delafontaine@Exemple.fr", b"autre.prospect@exemple.fr")
        .replace(b"+33 6 98 76 54 32", b"+33 6 11 22 33 44")
    )
    assert process(again, mapping, ogust_client).status == "created"
    assert sandbox.calls()["getList"] == 1  # the list is read once per client, then cached


def test_registration_skips_information_requests_and_keeps_dates(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    mapping = load_mapping(EXAMPLES / "registration.yaml")
    assert (
        process(submission("registration", "02-information-only"), mapping, ogust_client).status == "skipped"
    )
    outcome = process(submission("registration", "01-registration"), mapping, ogust_client)
    assert outcome.status == "created"
    (customer,) = sandbox.customers()
    assert customer["date_of_birth"] == "19480302"  # Ogust writes dates YYYYMMDD (docs/ogust-api.md §9 N3)
    assert customer["email"] == "lea.martin@exemple.fr"  # from the collected address: the question was empty
    assert customer["comment"] == "Jours souhaités : Lundi, Jeudi. Créneaux : Matin / Matin, Après-midi."
    assert sandbox.third_party_values(str(outcome.customer_id)) == {"DEBUT": "07/12/2026 09:30"}


def test_a_quote_request_from_a_client_keeps_its_type_and_origin(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    id_customer = sandbox.seed_customer(
        {
            "email": "jp.delafontaine@exemple.fr",
            "type": "C",
            "origin": "253195735",
            "last_name": "DE LA FONTAINE",
        }
    )
    mapping = load_mapping(EXAMPLES / "quote-request.yaml")
    outcome = process(submission("quote-request", "01-new-prospect"), mapping, ogust_client)
    assert outcome.status == "updated"
    assert not {"type", "exoneration", "origin"} & set(outcome.changed)
    (customer,) = sandbox.customers()
    assert (customer["id_customer"], customer["type"], customer["origin"]) == (id_customer, "C", "253195735")


def test_a_phone_stored_with_spaces_is_found_from_the_number_typed_otherwise(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    # The quote request looks people up by e-mail, then by phone: this one has a new address but
    # the phone Ogust holds, written the way people type it in Ogust's screens.
    id_customer = sandbox.seed_customer({"mobile_phone": "06 98 76 54 32", "last_name": "DE LA FONTAINE"})
    mapping = load_mapping(EXAMPLES / "quote-request.yaml")
    outcome = process(submission("quote-request", "01-new-prospect"), mapping, ogust_client)
    assert (outcome.status, outcome.customer_id) == ("updated", id_customer)
    assert len(sandbox.customers()) == 1


def test_an_account_that_escapes_apostrophes_gets_a_redelivered_answer_appended_once(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    """Ogust stores ' as &#039;: the text sent is never found again, the mark of the response is."""
    sandbox.set_modes(escape_html=True)
    mapping = load_mapping(EXAMPLES / "satisfaction-clients.yaml")
    sandbox.seed_customer({"email": "zoe.lefevre@exemple.fr", "last_name": "LEFÈVRE"})
    sub = submission("satisfaction-clients", "01-known-client")
    sub = sub.model_copy(
        update={
            "answers": [
                a.model_copy(update={"value": "J'ai apprécié l'écoute d'Aïcha & de « Jean-Pierre »"})
                if a.title == "Commentaires"
                else a
                for a in sub.answers
            ]
        }
    )
    assert process(sub, mapping, ogust_client).status == "updated"
    (customer,) = sandbox.customers()
    after_first = customer["comment"]
    assert "J&#039;ai apprécié l&#039;écoute d&#039;Aïcha &amp; de" in after_first  # escaped by Ogust
    for _ in range(2):
        assert process(sub, mapping, ogust_client).status == "unchanged"
    (customer,) = sandbox.customers()
    assert customer["comment"] == after_first
    assert after_first.count("[r:") == 1


def test_an_account_that_cuts_comments_gets_a_redelivered_answer_appended_once(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    sandbox.set_modes(comment_max_length=40)
    mapping = load_mapping(EXAMPLES / "satisfaction-clients.yaml")
    sandbox.seed_customer({"email": "zoe.lefevre@exemple.fr", "last_name": "LEFÈVRE", "comment": "Fidèle."})
    sub = submission("satisfaction-clients", "01-known-client")
    assert process(sub, mapping, ogust_client).status == "updated"
    (customer,) = sandbox.customers()
    assert len(customer["comment"]) == 40  # the line was cut, its mark at the start kept
    writes = len(sandbox.writes())
    assert process(sub, mapping, ogust_client).status == "unchanged"
    assert len(sandbox.writes()) == writes


def test_a_replace_all_custom_field_store_keeps_the_customers_other_fields(
    sandbox: Sandbox, ogust_client: OgustClient
) -> None:
    """setThirdPartyInformations replaces the whole set: the product sends the merged full set."""
    sandbox.set_modes(custom_fields_replace=True, custom_fields_paging=True)
    mapping = load_mapping(EXAMPLES / "satisfaction-clients.yaml")
    client_id = sandbox.seed_customer({"email": "zoe.lefevre@exemple.fr", "last_name": "LEFÈVRE"})
    others = {"GIR": "GIR 4", "ALLERGIES": "Pénicilline, arachide", "NOTESAT": "2"}
    sandbox.service.store.third_party[("C", client_id)] = dict(others)
    outcome = process(submission("satisfaction-clients", "01-known-client"), mapping, ogust_client)
    assert outcome.status == "updated"
    assert sandbox.third_party_values(client_id) == {**others, "NOTESAT": "4"}


def test_an_escaping_account_read_unescaped_keeps_earlier_lines_and_apostrophes_as_typed(
    sandbox: Sandbox,
) -> None:
    """OGUST_TEXT_ESCAPING=html: an append sends the earlier lines back as typed, so Ogust escapes
    them once (never &amp;#039;), and an address with an apostrophe is no change on a redelivery."""
    sandbox.set_modes(escape_html=True)
    mapping = load_mapping(EXAMPLES / "quote-request.yaml")  # comment appended, address mapped
    with OgustClient(sandbox.url, StaticKeys(*sandbox.keys), timeout=2.0, text_escaping="html") as client:
        first = submission("quote-request", "01-new-prospect")
        assert process(first, mapping, client).status == "created"
        (customer,) = sandbox.customers()
        assert "&#039;" in customer["main_address"]["line"] + customer["comment"]  # stored escaped
        assert process(first, mapping, client).status == "unchanged"  # the address is no change
        again = first.model_copy(update={"response_id": first.response_id + "-2"})
        assert process(again, mapping, client).status == "updated"  # a line of its own
        (customer,) = sandbox.customers()
        assert "&amp;#039;" not in customer["comment"]
        assert customer["comment"].count("[r:") == 2
