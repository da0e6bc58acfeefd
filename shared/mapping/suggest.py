""" "Did you mean …?": the closest known name for a misspelt field, step, key, list or question.

Names are compared folded (accents, case, and `-`/`_`/`.`/spaces ignored), with difflib's ratio,
plus a few French words a consultant naturally writes for an Ogust field (`nom`, `téléphone`…).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from shared.ogust import ENTITY_FIELDS, Entity

ADDRESS_FIELDS = ENTITY_FIELDS["customer"].address

FIELD_NAMES = sorted(ENTITY_FIELDS["customer"].names | {f"main_address.{name}" for name in ADDRESS_FIELDS})
"""Every Ogust field a mapping of customers may name under `fields` or `on_create`."""

ENTITY_FIELD_NAMES: dict[Entity, list[str]] = {
    entity: sorted(fields.names | {f"main_address.{name}" for name in fields.address})
    for entity, fields in ENTITY_FIELDS.items()
}
"""The same, for each entity a form may write (`entity: employee`: a worker's fields)."""


_WORDS = {
    "nom": "last_name",
    "nom de famille": "last_name",
    "nom de naissance": "maiden_name",
    "nom de jeune fille": "maiden_name",
    "prenom": "first_name",
    "civilite": "title",
    "courriel": "email",
    "mail": "email",
    "adresse mail": "email",
    "adresse email": "email",
    "telephone": "mobile_phone",
    "portable": "mobile_phone",
    "mobile": "mobile_phone",
    "telephone portable": "mobile_phone",
    "fixe": "landline",
    "telephone fixe": "landline",
    "adresse": "main_address.line",
    "rue": "main_address.line",
    "complement": "main_address.supplement",
    "complement d adresse": "main_address.supplement",
    "code postal": "main_address.zip",
    "cp": "main_address.zip",
    "ville": "main_address.city",
    "commune": "main_address.city",
    "pays": "main_address.country",
    "date de naissance": "date_of_birth",
    "naissance": "date_of_birth",
    "lieu de naissance": "place_of_birth",
    "commentaire": "comment",
    "commentaires": "comment",
    "remarques": "comment",
    "langue": "language",
    "origine": "origin",
    "secteur": "sector",
    "digicode": "door_code",
    "code porte": "door_code",
    "interphone": "intercom_code",
    "name": "last_name",
    "surname": "last_name",
    "lastname": "last_name",
    "firstname": "first_name",
    "phone": "mobile_phone",
    "mobile phone": "mobile_phone",
    "cell": "mobile_phone",
    "e mail": "email",
    "email address": "email",
    "street": "main_address.line",
    "line": "main_address.line",
    "town": "main_address.city",
    "city": "main_address.city",
    "zip": "main_address.zip",
    "zipcode": "main_address.zip",
    "zip code": "main_address.zip",
    "postcode": "main_address.zip",
    "postal code": "main_address.zip",
    "country": "main_address.country",
    "birthdate": "date_of_birth",
    "birthday": "date_of_birth",
    "date naissance": "date_of_birth",
    "notes": "comment",
    "permis": "driving_license",
    "permis de conduire": "driving_license",
    "vehicule": "means_of_transport",
    "moyen de transport": "means_of_transport",
    "nationalite": "nationality",
    "matricule": "number",
    "statut": "status",
}
"""French (and English) words for Ogust fields: `nom` is nowhere near `last_name` for difflib."""

_FRENCH_STEPS = {
    "majuscules": "upper",
    "majuscule": "upper",
    "minuscules": "lower",
    "minuscule": "lower",
    "strip": "trim",
    "espaces": "trim",
    "capitalize": "title_case",
    "titlecase": "title_case",
    "telephone": "phone",
    "tel": "phone",
    "code postal": "postal_code",
    "cp": "postal_code",
    "nombre": "number",
    "mail": "email",
    "courriel": "email",
    "remplacer": "replace",
    "table": "map",
    "correspondance": "map",
    "lookup": "map",
    "accents": "strip_accents",
    "joindre": "join",
}


CONDITION_OPERATORS = (
    "equals",
    "not_equals",
    "in",
    "not_in",
    "contains",
    "empty",
    "greater_than",
    "less_than",
)
"""The operators a `skip_when` condition may use (shared.mapping.model.Condition)."""

_OPERATOR_WORDS = {
    **dict.fromkeys(["egal", "egal a", "est", "vaut", "is", "eq", "==", "=", "equal", "equal to"], "equals"),
    **dict.fromkeys(
        ["different", "different de", "n est pas", "not", "ne", "!=", "<>", "is not", "not equal"],
        "not_equals",
    ),
    **dict.fromkeys(["parmi", "dans", "un de", "l un de", "one of", "in list", "among"], "in"),
    **dict.fromkeys(["pas parmi", "pas dans", "aucun de", "none of", "not among"], "not_in"),
    **dict.fromkeys(["contient", "inclut", "includes", "include", "contain", "has"], "contains"),
    **dict.fromkeys(["vide", "est vide", "is empty", "blank", "absent", "missing"], "empty"),
    **dict.fromkeys(
        ["superieur", "superieur a", "plus grand que", "plus de", "gt", ">", "more than", "above", "over"],
        "greater_than",
    ),
    **dict.fromkeys(
        ["inferieur", "inferieur a", "plus petit que", "moins de", "lt", "<", "below", "under", "lower than"],
        "less_than",
    ),
}
"""French (and other) ways of writing a condition's operator."""


def suggest_operator(name: str) -> str | None:
    """The condition operator meant by a misspelt, French or symbolic one."""
    word = _OPERATOR_WORDS.get(folded(name))
    return word if word is not None else closest(name, CONDITION_OPERATORS)


def folded(name: str) -> str:
    """`Téléphone_Portable` → `telephone portable`: how names are compared here."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[\s_.\-'’]+", " ", plain).strip().casefold()


def closest(word: str, candidates: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """The candidate nearest to `word` (folded), or None when nothing is near enough."""
    by_fold: dict[str, str] = {}
    for candidate in candidates:
        by_fold.setdefault(folded(candidate), candidate)
    key = folded(word)
    if not key or not by_fold:
        return None
    if key in by_fold:
        return by_fold[key]
    found = _difflib().get_close_matches(key, list(by_fold), n=1, cutoff=cutoff)
    return by_fold[found[0]] if found else None


def suggest_field(name: str, entity: Entity = "customer") -> str | None:
    """The Ogust field meant by a misspelt, French or English field name (of a customer, or of a
    worker with `entity="employee"`)."""
    names = ENTITY_FIELD_NAMES[entity]
    key = folded(name)
    if key in _WORDS:
        return _WORDS[key] if _WORDS[key] in names else None
    for prefix in ("main address ", "address ", "adresse "):
        if key.startswith(prefix):  # main_address.town, main_address.code_postal
            part = _WORDS.get(key.removeprefix(prefix)) or closest(key.removeprefix(prefix), ADDRESS_FIELDS)
            part = part.removeprefix("main_address.") if part else None
            return f"main_address.{part}" if part in ADDRESS_FIELDS else None
    containing = [f for f in names if f" {folded(f)} " in f" {key} "]  # email_adress → email
    if len(containing) == 1:
        return containing[0]
    direct = closest(name, names)
    if direct is not None:
        return direct
    word = closest(name, _WORDS, cutoff=0.8)  # "télephone portabl"
    return _WORDS[word] if word is not None else None


def suggest_operation(name: str, operations: Iterable[str]) -> str | None:
    """The step meant by a misspelt or French step name."""
    known = list(operations)
    french = _FRENCH_STEPS.get(folded(name))
    if french in known:
        return french
    return closest(name, known)


def suggest_title(title: str, titles: Iterable[str]) -> str | None:
    """The question title meant: the nearest one, or the one this title was cut from (a ` #`)."""
    candidates = [t for t in titles if t]
    key = folded(title)
    starting = [t for t in candidates if key and folded(t).startswith(key)]
    if len(starting) == 1:
        return starting[0]
    return closest(title, candidates, cutoff=0.55)


def did_you_mean(suggestion: str | None) -> str:
    """` (did you mean 'x'?)`, or nothing."""
    return f" (did you mean '{suggestion}'?)" if suggestion else ""


def _difflib() -> Any:
    """difflib is only needed when a mapping has a mistake to explain: not at a function's start."""
    import difflib

    return difflib
