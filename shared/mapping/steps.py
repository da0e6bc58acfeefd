"""The operations a mapping applies to a value, in order (`steps:` in the YAML).

A step is written either as its bare name (`- trim`) or as a mapping whose one operation key
holds the main argument and whose other keys are options:

    - map: {Madame: Mme, Monsieur: M.}
      fallback: ""
    - phone: national
      on_invalid: omit

Every step is checked when the mapping is loaded; `run` never meets an unknown step.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import phonenumbers

Value = str | list[str]


class StepError(ValueError):
    """A step cannot handle this value; the caller adds the field and the question.

    The message never contains the value itself (it goes to logs); `value` carries it apart.
    """

    def __init__(self, message: str, *, value: str) -> None:
        super().__init__(message)
        self.value = value


@dataclass(frozen=True)
class Step:
    """One validated operation with its argument and options."""

    name: str
    arg: Any = None
    options: Mapping[str, Any] = field(default_factory=dict)

    def run(self, value: Value) -> Value:
        """Apply the step; lists (checkbox answers) are handled element by element."""
        op = OPERATIONS[self.name]
        if isinstance(value, list):
            out = [r for v in value if (r := op.func(v, self)) != ""]
            return out
        return op.func(value, self)


@dataclass(frozen=True)
class Operation:
    func: Callable[[str, Step], str]
    check: Callable[[Step], None]
    options: frozenset[str] = frozenset()


def _no_arg(step: Step) -> None:
    if step.arg is not None:
        raise ValueError(f"'{step.name}' takes no argument")


# --- text ------------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")
_LOWER_PARTICLES = frozenset({"de", "du", "des"})
_ELIDED = frozenset({"d", "l"})


def squash(value: str) -> str:
    """Strip the ends and fold runs of spaces, including non-breaking ones."""
    return _SPACES.sub(" ", value).strip()


def trim(value: str, _: Step) -> str:
    """The `trim` step."""
    return squash(value)


def title_case(value: str, _: Step) -> str:
    """French names: 'jean-pierre d'artagnan' → 'Jean-Pierre d'Artagnan', 'DE LA FONTAINE' stays readable."""
    words = squash(value).split(" ")
    return " ".join(_title_word(w, first=i == 0) for i, w in enumerate(words) if w)


def _title_word(word: str, *, first: bool) -> str:
    parts = word.split("-")
    return "-".join(_title_part(p, first=first and i == 0) for i, p in enumerate(parts))


def _title_part(part: str, *, first: bool) -> str:
    lowered = part.lower()
    for apostrophe in ("'", "’"):
        if apostrophe in lowered:
            head, tail = lowered.split(apostrophe, 1)
            head = head if head in _ELIDED and not first else head.capitalize()
            return head + apostrophe + _title_part(tail, first=False)
    if lowered in _LOWER_PARTICLES and not first:
        return lowered
    return lowered[:1].upper() + lowered[1:]


def strip_accents(value: str, _: Step) -> str:
    """'Zoé Lefèvre' → 'Zoe Lefevre', for fields a remote system compares without accents."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# --- value map ------------------------------------------------------------------------------


def _check_map(step: Step) -> None:
    if not isinstance(step.arg, dict) or not step.arg:
        raise ValueError("'map' needs a table of answers to values, e.g. {Madame: Mme}")
    if "fallback" in step.options and step.options.get("keep_unmatched"):
        raise ValueError("'map' takes either 'fallback' or 'keep_unmatched', not both")


def value_map(value: str, step: Step) -> str:
    """Zapier's lookup table: matched → mapped; unmatched → fallback, kept, or an error."""
    if value == "":
        return ""
    table: Mapping[str, Any] = step.arg
    if value in table:
        return _text(table[value])
    folded = _fold(value)
    for key, mapped in table.items():
        if _fold(str(key)) == folded:
            return _text(mapped)
    if "fallback" in step.options:
        return _text(step.options["fallback"])
    if step.options.get("keep_unmatched"):
        return value
    choices = ", ".join(f"'{k}'" for k in table)
    raise StepError(f"the answer is not in the value map ({choices}) and no fallback is set", value=value)


def _fold(text: str) -> str:
    return squash(text).casefold()


def _text(value: Any) -> str:
    return "" if value is None else str(value)


# --- phone ------------------------------------------------------------------------------------

_PHONE_FORMATS = frozenset({"national", "e164"})
_ON_INVALID = frozenset({"error", "omit", "keep"})


def _check_phone(step: Step) -> None:
    if step.arg is not None and step.arg not in _PHONE_FORMATS:
        raise ValueError(f"'phone' format must be one of {sorted(_PHONE_FORMATS)}, not {step.arg!r}")
    if step.options.get("on_invalid", "error") not in _ON_INVALID:
        raise ValueError(f"'on_invalid' must be one of {sorted(_ON_INVALID)}")
    region = step.options.get("region", "FR")
    if not isinstance(region, str) or region.upper() not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(f"'region' {region!r} is not a known country code such as FR")


def phone(value: str, step: Step) -> str:
    """'06 12 34 56 78', '+33 6 12 34 56 78', '0033612345678' → '0612345678' (or +33612345678)."""
    if value.strip() == "":
        return ""
    region = str(step.options.get("region", "FR")).upper()
    normalised = normalise_phone(value, region=region, output=step.arg or "national")
    if normalised is not None:
        return normalised
    policy = step.options.get("on_invalid", "error")
    if policy == "omit":
        return ""
    if policy == "keep":
        return value.strip()
    raise StepError("not a valid phone number", value=value)


def normalise_phone(value: str, *, region: str = "FR", output: str = "national") -> str | None:
    """Return the number in Ogust's 10-digit national form (or E.164), or None when invalid."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    same_country = phonenumbers.region_code_for_number(number) == region
    if output == "national" and same_country:
        national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        return re.sub(r"\D", "", national)
    # A foreign number has no 10-digit French form: E.164 keeps it dialable.
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# --- registry ---------------------------------------------------------------------------------

OPERATIONS: dict[str, Operation] = {
    "trim": Operation(trim, _no_arg),
    "lower": Operation(lambda v, _: v.lower(), _no_arg),
    "upper": Operation(lambda v, _: v.upper(), _no_arg),
    "title_case": Operation(title_case, _no_arg),
    "strip_accents": Operation(strip_accents, _no_arg),
    "map": Operation(value_map, _check_map, frozenset({"fallback", "keep_unmatched"})),
    "phone": Operation(phone, _check_phone, frozenset({"on_invalid", "region"})),
}


def parse_step(raw: Any) -> Step:
    """Build a Step from its YAML form; ValueError says what is wrong with it."""
    if isinstance(raw, str):
        name, arg, options = raw, None, {}
    elif isinstance(raw, dict):
        names = [k for k in raw if k in OPERATIONS]
        if len(names) != 1:
            found = ", ".join(map(str, raw)) or "nothing"
            raise ValueError(f"a step needs exactly one operation name, found: {found}")
        name = names[0]
        arg = raw[name]
        options = {k: v for k, v in raw.items() if k != name}
    else:
        raise ValueError(f"a step is an operation name or a mapping, not {type(raw).__name__}")
    if name not in OPERATIONS:
        raise ValueError(f"unknown operation '{name}' (known: {', '.join(sorted(OPERATIONS))})")
    op = OPERATIONS[name]
    unknown = set(options) - op.options
    if unknown:
        raise ValueError(f"'{name}' has no option {', '.join(sorted(unknown))}")
    step = Step(name, arg, options)
    op.check(step)
    return step
