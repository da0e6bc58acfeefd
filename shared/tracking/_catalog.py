"""The one message catalog of what the agency reads, in French and in English (gettext `.po` files
beside this module, read with polib), and the reasons built from an error's structured details.

A reason is three parts, each looked up for the error's class and then its ancestors (so a detail
is phrased once, where `shared/errors.py` introduces it):

    lead       what happened                      "Cette réponse n'a pas été envoyée à Ogust."
    details    one sentence per detail it carries "La réponse à la question « Téléphone » (« 06 12 »)…"
    todo       what to do about it                "Corrigez la réponse…, puis cochez « Renvoyer »."

A message that speaks of the record has a worker's wording too, under the context `<Class>@employee`:
the row of an `entity: employee` form (a job application) speaks of the « fiche intervenant », never
of a customer's. At each ancestor the worker's wording is tried before the common one; a message
that names no record has only the common one.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import polib

from shared import errors
from shared.ogust import Entity

Lang = Literal["fr", "en"]
LANGS: tuple[Lang, ...] = ("fr", "en")
LOCALE_DIR = Path(__file__).with_name("locale")

DETAIL_ORDER = (
    "ogustAttempts",
    "keysAttempts",
    "serviceAttempts",
    "question+value",
    "question",
    "value",
    "field",
    "customerIds",
    "ogustMessage",
    "ogustMethod",
    "maybeApplied",
    "customerId",
    "applied",
    "notApplied",
)
"""The order of the detail sentences; a combined key ("question+value") stands for both its parts."""

ERROR_CLASSES: dict[str, type[errors.FormsToOgustError]] = {
    name: cls
    for name, cls in inspect.getmembers(errors, inspect.isclass)
    if issubclass(cls, errors.FormsToOgustError)
}
"""Every error class of the hierarchy, by the name the ledger keeps (`Attempt.error_type`)."""


@functools.cache
def catalog(lang: Lang) -> dict[tuple[str, str], str]:
    """(msgctxt, msgid) → text of one language."""
    found: dict[tuple[str, str], str] = {}
    for entry in polib.pofile(str(LOCALE_DIR / f"{lang}.po")):
        if entry.msgid and entry.msgstr and not entry.obsolete:
            found[(entry.msgctxt or "", entry.msgid)] = entry.msgstr
    return found


def text(context: str, key: str, lang: Lang = "fr") -> str:
    """One message; KeyError when the catalog lacks it (a test checks none is missing)."""
    return catalog(lang)[(context, key)]


def lookup(error_type: str | None, key: str, lang: Lang = "fr", entity: Entity = "customer") -> str | None:
    """`key` for the error class `error_type` or the nearest ancestor that phrases it (in the
    worker's words first, for `entity: employee`)."""
    cls = ERROR_CLASSES.get(error_type or "", errors.FormsToOgustError)
    contexts = (f"@{entity}", "") if entity != "customer" else ("",)
    for ancestor in cls.__mro__:
        for suffix in contexts:
            found = catalog(lang).get((ancestor.__name__ + suffix, key))
            if found is not None:
                return found
        if ancestor is errors.FormsToOgustError:
            break
    return None


def reason(
    error_type: str | None, details: Mapping[str, Any], lang: Lang = "fr", entity: Entity = "customer"
) -> str:
    """The plain-language reason of an error recorded as its class name and its `details()`, in
    the words of the record it concerns (a customer's, or a worker's)."""
    values = {k: _shown(v) for k, v in details.items() if v not in (None, "", [], False)}
    if "question" in values:
        values["question"] = _question(values["question"])
    if "ogustMethod" in values:  # `setCustomer` is Ogust's API name: say what it does
        values["ogustMethod"] = catalog(lang).get(("method", values["ogustMethod"]), values["ogustMethod"])
    parts = [lookup(error_type, "lead", lang, entity) or ""]
    if "question" in values and "field" in values:
        values.pop("field")  # the question is what she knows; the Ogust field name is jargon
    done: set[str] = set()
    for key in DETAIL_ORDER:
        needed = key.split("+")
        if any(k not in values or k in done for k in needed):
            continue
        sentence = lookup(error_type, f"detail:{key}", lang, entity)
        if sentence is not None:
            parts.append(sentence.format(**{k: values[k] for k in needed}))
            done.update(needed)
    parts.append(lookup(error_type, "todo", lang, entity) or "")
    return " ".join(p for p in parts if p)


def letter_reason(attributes: Mapping[str, str], lang: Lang = "fr", entity: Entity = "customer") -> str:
    """The reason of a dead letter, from the attributes it was parked with (the answer itself is
    never among them)."""
    keys = {key for name in DETAIL_ORDER for key in name.split("+")}
    found = {k: v for k, v in attributes.items() if k in keys}
    error_type = attributes.get("errorType")
    if error_type is None and attributes.get("CloudPubSubDeadLetterSourceDeliveryCount"):
        # Pub/Sub dead-lettered it by itself after its last delivery: retries are over, whatever
        # failed (the worker's logs say what).
        error_type = errors.DeliveryAttemptsExhausted.__name__
    return reason(error_type, found, lang, entity)


def record_cell(customer_id: str | None, entity: Entity = "customer", lang: Lang = "fr") -> str:
    """The `Client Ogust` cell: a customer's id as it is; a worker's id said as such
    (« intervenant 123456 »), the column's name being the same for every form."""
    if not customer_id:
        return ""
    return (
        customer_id if entity == "customer" else text("tab", f"record:{entity}", lang).format(id=customer_id)
    )


def _question(label: str) -> str:
    """The mapping names a question `'Téléphone'` (or several: `'Nom', 'Prénom'`); the catalog puts
    it between « » itself."""
    if len(label) > 1 and label.startswith("'") and label.endswith("'"):
        return label[1:-1].replace("', '", " », « ")
    return label


def _shown(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return str(value)
