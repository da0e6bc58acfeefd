"""The one message catalog: every error class of shared/errors.py has a French and an English
message for every detail it can carry, and the reasons read as the office staff needs them."""

from __future__ import annotations

import inspect
import string
from typing import Any

import pytest

from shared import errors
from shared.tracking._catalog import ERROR_CLASSES, LANGS, catalog, lookup, reason, record_cell

SAMPLES: dict[str, Any] = {
    "message": "refusé",
    "field": "mobile_phone",
    "question": "Téléphone portable",
    "value": "06 12",
    "customer_ids": ["344563872", "344563873"],
    "method": "setCustomer",
    "ogust_message": "Le champ email est invalide",
    "maybe_applied": True,
}


def loaded(cls: type[errors.FormsToOgustError]) -> errors.FormsToOgustError:
    """An instance of `cls` carrying every detail its constructor takes, and a partial write."""
    accepted = inspect.signature(cls.__init__).parameters
    error = cls(**{name: value for name, value in SAMPLES.items() if name in accepted})
    error.applied, error.not_applied, error.customer_id = ["email"], ["main_address.line"], "344563872"
    return error


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", sorted(ERROR_CLASSES))
def test_every_error_class_has_a_message_for_every_detail_it_can_carry(name: str, lang: str) -> None:
    cls = ERROR_CLASSES[name]
    details = loaded(cls).details()
    assert {"customerId", "applied", "notApplied"} <= set(details)  # the partial write's, at least
    assert lookup(name, "lead", lang), f"{name}: no lead in {lang}"
    assert lookup(name, "todo", lang), f"{name}: no todo in {lang}"
    for key in details:
        assert lookup(name, f"detail:{key}", lang), f"{name}: no '{key}' sentence in {lang}"


def test_each_class_says_its_own_lead_and_what_to_do_in_both_languages() -> None:
    for lang in LANGS:
        own = {ctx for ctx, key in catalog(lang) if key == "lead"} & {
            ctx for ctx, key in catalog(lang) if key == "todo"
        }
        assert own >= set(ERROR_CLASSES), sorted(set(ERROR_CLASSES) - own)


def test_french_and_english_hold_the_same_messages_with_the_same_placeholders() -> None:
    french, english = catalog("fr"), catalog("en")
    assert french.keys() == english.keys()
    for key, text in french.items():
        slots = {name for _, name, _, _ in string.Formatter().parse(text) if name}
        assert slots == {n for _, n, _, _ in string.Formatter().parse(english[key]) if n}, key
        if key[1].startswith("detail:"):
            assert slots <= set(key[1].removeprefix("detail:").split("+")), key


def test_a_refused_answer_names_the_question_the_answer_and_what_to_do_in_plain_french() -> None:
    error = errors.SubmissionRejected("bad", field="mobile_phone", question="Téléphone", value="06 12")
    text = reason(type(error).__name__, error.details(), "fr")
    assert text == (
        "Cette réponse n'a pas été envoyée à Ogust. La réponse à la question « Téléphone » (« 06 12 ») "
        "n'est pas acceptée. Corrigez la réponse dans la fiche du client dans Ogust, ou faites adapter la "
        "table de correspondance, puis cochez « Renvoyer »."
    )
    assert "mobile_phone" not in text  # the Ogust field's name is jargon once the question is named


@pytest.mark.parametrize("name", sorted(ERROR_CLASSES))
def test_no_reason_leaks_english_or_a_placeholder_into_french(name: str) -> None:
    text = reason(name, loaded(ERROR_CLASSES[name]).details(), "fr")
    assert "{" not in text
    assert "True" not in text
    for english in (" the ", " is ", "Ogust said", "answer"):
        assert english not in text


def test_several_customers_are_listed_by_their_full_ids() -> None:
    error = errors.AmbiguousMatchError("two", field="email", customer_ids=["344563872", "344563873"])
    text = reason("AmbiguousMatchError", error.details(), "fr")
    assert "Fiches Ogust concernées : 344563872, 344563873." in text
    assert "Elles ont la même valeur pour : email." in text


def test_an_unknown_error_class_still_gets_the_general_reason() -> None:
    assert reason("ErreurVenueDuFutur", {}, "fr").startswith(
        "La réponse n'a pas pu être enregistrée dans Ogust."
    )


def test_an_application_matching_a_salarie_is_explained_as_such_not_as_a_relative() -> None:
    error = errors.WorkerNatureConflictError("x", keys=["email", "nature"], customer_id="271000001")
    text = reason(type(error).__name__, error.details(), "fr")
    assert "un salarié n'est pas un nouveau candidat" in text
    assert "Fiche intervenant Ogust concernée : 271000001." in text
    assert "proche" not in text  # not the customers' "a relative sharing the phone"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", sorted(ERROR_CLASSES))
def test_a_job_application_s_reason_speaks_of_a_worker_never_of_a_customer(name: str, lang: str) -> None:
    details = loaded(ERROR_CLASSES[name]).details()
    if "ogustMethod" in details:
        details["ogustMethod"] = "setEmployee"  # the call a worker's write makes
    worker = reason(name, details, lang, "employee")
    assert "{" not in worker
    for word in ("client", "customer"):
        assert word not in worker.lower(), worker
    # Customers' texts are unchanged; a message naming no record is the same for both.
    customer = reason(name, details, lang)
    assert customer == reason(name, details, lang, "customer")
    if not any(word in customer.lower() for word in ("client", "customer")):
        assert worker == customer


def test_a_candidate_s_partial_write_names_the_fiche_intervenant() -> None:
    error = errors.OgustRejectedError(
        "refusé", method="setEmployee", ogust_message="Le champ email est invalide"
    )
    error.customer_id, error.applied = "271000001", ["email"]  # a partial write names the record
    text = reason(type(error).__name__, error.details(), "fr", "employee")
    assert text.startswith("Ogust a refusé la fiche intervenant.")
    assert "Fiche intervenant Ogust concernée : 271000001." in text
    assert reason(type(error).__name__, error.details(), "fr").startswith("Ogust a refusé la fiche client.")


def test_the_record_cell_says_a_worker_s_id_as_such_and_leaves_a_customer_s_bare() -> None:
    assert record_cell("271000001", "employee") == "intervenant 271000001"
    assert record_cell("271000001", "employee", "en") == "worker 271000001"
    assert record_cell("344563872") == "344563872"
    assert record_cell(None, "employee") == record_cell("", "employee") == ""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    "method", ["setCustomer", "setAddress", "setThirdPartyInformations", "setEmployee", "getToken"]
)
def test_the_office_reads_what_an_ogust_call_did_never_its_api_name(method: str, lang: str) -> None:
    details = {"ogustMethod": method, "ogustMessage": "Le code postal 94999 n'existe pas"}
    entity = "employee" if method == "setEmployee" else "customer"
    text = reason("OgustRejectedError", details, lang, entity)  # type: ignore[arg-type]
    assert method not in text
    assert "94999" in text  # Ogust's own message is kept as it said it
