"""The reason of an answer the worker gave up on after its last delivery attempt: it says who did
not answer and what the office does (resend once Ogust answers), never that a retry is planned."""

from __future__ import annotations

import pytest

from shared import errors
from shared.errors import DeliveryAttemptsExhausted
from shared.tracking._catalog import LANGS, Lang, letter_reason, lookup, reason

CAUSES: dict[str, errors.FormsToOgustError] = {
    "ogust-down": errors.OgustUnavailableError(
        "HTTP 503", method="setCustomer", ogust_message="Service indisponible", maybe_applied=True
    ),
    "ogust-keys": errors.OgustAuthError("keys refused", method="getToken"),
    "secret-manager": errors.SecretUnavailableError("Secret Manager 503"),
    "firestore": errors.DeliveryUnavailableError("ledger unavailable"),
    "settings": errors.ConfigError("OGUST_KEYS_SECRET: permission denied"),
}
RETRYABLE = sorted(
    name
    for name, cls in vars(errors).items()
    if isinstance(cls, type) and issubclass(cls, errors.FormsToOgustError) and cls.retryable
)


def given_up(cause: errors.FormsToOgustError, attempts: int = 7) -> DeliveryAttemptsExhausted:
    return DeliveryAttemptsExhausted.after(cause, attempts)


def test_every_retryable_class_is_a_cause_here() -> None:
    bases = {"FormsToOgustError", "OgustError"}  # never raised as such
    assert sorted({type(c).__name__ for c in CAUSES.values()} | bases) == RETRYABLE


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("cause", sorted(CAUSES))
def test_each_detail_of_a_given_up_answer_has_its_sentence(cause: str, lang: Lang) -> None:
    exc = given_up(CAUSES[cause])
    assert not exc.retryable
    for key in exc.details():
        assert lookup("DeliveryAttemptsExhausted", f"detail:{key}", lang), key
    text = reason("DeliveryAttemptsExhausted", exc.details(), lang)
    assert "7" in text
    assert "{" not in text
    assert "True" not in text


def test_the_office_reads_who_did_not_answer_and_to_resend_never_that_a_retry_is_planned() -> None:
    said = {name: reason("DeliveryAttemptsExhausted", given_up(c).details()) for name, c in CAUSES.items()}
    assert "Ogust n'a pas répondu après 7 essais." in said["ogust-down"]
    assert "au renvoi, Ogust est consulté d'abord, sans doublon" in said["ogust-down"]  # maybe applied
    assert "Dernier message d'Ogust : « Service indisponible »." in said["ogust-down"]
    assert "refusait encore les clés d'accès de l'outil après 7 essais" in said["ogust-keys"]
    for name in ("secret-manager", "firestore", "settings"):
        assert "L'envoi a échoué 7 fois de suite" in said[name]
    for text in said.values():
        assert text.startswith(
            "Cette réponse n'a pas été envoyée à Ogust : les essais automatiques sont terminés."
        )
        assert "Cochez « Renvoyer » une fois Ogust de nouveau disponible" in text
        assert "nouvel essai est prévu" not in text


def test_a_partial_write_given_up_still_says_what_is_in_ogust_already() -> None:
    cause = errors.OgustUnavailableError("timeout", method="setAddress")
    cause.applied, cause.not_applied, cause.customer_id = ["email"], ["main_address.city"], "344563872"
    exc = given_up(cause, 5)
    assert exc.customer_id == "344563872"
    text = reason("DeliveryAttemptsExhausted", exc.details())
    assert "Fiche client Ogust concernée : 344563872." in text
    assert "Déjà enregistré dans Ogust : email." in text


def test_a_dead_letter_s_reason_in_french_is_the_tab_s() -> None:
    exc = given_up(CAUSES["ogust-down"], 5)
    attributes = {"errorType": "DeliveryAttemptsExhausted", **{k: str(v) for k, v in exc.details().items()}}
    assert "Ogust n'a pas répondu après 5 essais." in letter_reason(attributes)


def test_a_letter_pub_sub_dead_lettered_by_itself_is_not_said_to_be_retried() -> None:
    attributes = {"responseId": "2_ABaOnudExemple0001", "CloudPubSubDeadLetterSourceDeliveryCount": "10"}
    said = letter_reason(attributes)
    assert said.startswith(
        "Cette réponse n'a pas été envoyée à Ogust : les essais automatiques sont terminés."
    )
    assert "nouvel essai est prévu" not in said
