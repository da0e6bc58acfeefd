"""The operations a mapping applies to a value, in order (`steps:` in the YAML).

A step is written either as its bare name (`- trim`) or as a mapping whose one operation key
holds the main argument and whose other keys are options:

    - map: {Madame: Mme, Monsieur: M.}
      fallback: ""
    - phone: national
      on_invalid: omit

Every step is checked when the mapping is loaded; running a step never meets an unknown name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from shared.mapping import formats
from shared.mapping.text import fold, squash
from shared.mapping.values import StepError, Value

Func = Callable[[str, Any, Mapping[str, Any]], str]
Check = Callable[[Any, Mapping[str, Any]], None]


@dataclass(frozen=True)
class Step:
    """One validated operation with its argument and options."""

    name: str
    arg: Any = None
    options: Mapping[str, Any] = field(default_factory=dict)

    def run(self, value: Value) -> Value:
        """Apply the step; list answers (checkboxes) go element by element unless the step joins them."""
        op = OPERATIONS[self.name]
        if op.on_list is not None:
            return op.on_list(value, self.arg, self.options)
        if isinstance(value, list):
            return [r for v in value if (r := op.func(v, self.arg, self.options)) != ""]
        return op.func(value, self.arg, self.options)


@dataclass(frozen=True)
class Operation:
    func: Func
    check: Check
    options: frozenset[str] = frozenset()
    on_list: Callable[[Value, Any, Mapping[str, Any]], Value] | None = None


def _no_arg(arg: Any, options: Mapping[str, Any]) -> None:
    if arg is not None:
        raise ValueError("takes no argument")


# --- text ------------------------------------------------------------------------------------

_LOWER_PARTICLES = frozenset({"de", "du", "des"})
_ELIDED = frozenset({"d", "l"})


def title_case(value: str, *_: Any) -> str:
    """French names: 'jean-pierre d'artagnan' → 'Jean-Pierre d'Artagnan'."""
    words = squash(value).split(" ")
    return " ".join(_title_word(w, first=i == 0) for i, w in enumerate(words) if w)


def _title_word(word: str, *, first: bool) -> str:
    return "-".join(_title_part(p, first=first and i == 0) for i, p in enumerate(word.split("-")))


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


def strip_accents(value: str, *_: Any) -> str:
    """'Zoé Lefèvre' → 'Zoe Lefevre'."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _check_replace(arg: Any, options: Mapping[str, Any]) -> None:
    if not isinstance(arg, dict) or not arg or not all(isinstance(k, str) and k for k in arg):
        raise ValueError("'replace' needs a table of texts to replace, e.g. {'St ': 'Saint '}")
    if options.get("regex"):
        for pattern in arg:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"'{pattern}' is not a valid regular expression: {exc}") from None


def replace(value: str, arg: Any, options: Mapping[str, Any]) -> str:
    """Replace each key by its value, in order; with `regex: true` the keys are regular expressions."""
    for old, new in arg.items():
        new_text = "" if new is None else str(new)
        value = re.sub(old, new_text, value) if options.get("regex") else value.replace(old, new_text)
    return value


_SPLIT_PARTS = frozenset({"first", "last"})


def _check_split(arg: Any, options: Mapping[str, Any]) -> None:
    if arg not in _SPLIT_PARTS:
        raise ValueError("'split_name' takes 'first' or 'last'")
    if options.get("order", "first_last") not in {"first_last", "last_first"}:
        raise ValueError("'order' must be first_last or last_first")


def split_name(value: str, arg: Any, options: Mapping[str, Any]) -> str:
    """'Jean-Pierre de La Fontaine' → first 'Jean-Pierre', last 'de La Fontaine'.

    Words typed in capitals ('DUPONT Marie') are taken as the last name, whatever the order.
    """
    words = squash(value).split(" ") if value.strip() else []
    if len(words) < 2:
        return value.strip() if arg == "last" else ""
    capitals = [w for w in words if w.isupper() and len(w) > 1]
    if capitals and len(capitals) < len(words):
        last = [w for w in words if w in capitals]
        first = [w for w in words if w not in capitals]
    elif options.get("order", "first_last") == "last_first":
        last, first = words[:1], words[1:]
    else:
        first, last = words[:1], words[1:]
    return " ".join(first if arg == "first" else last)


def _check_join(arg: Any, options: Mapping[str, Any]) -> None:
    if not isinstance(arg, str):
        raise ValueError("'join' takes the separator, e.g. ', '")


def join(value: Value, arg: Any, options: Mapping[str, Any]) -> Value:
    """Checkbox answers ['Ménage', 'Courses'] → 'Ménage, Courses'."""
    return arg.join(v for v in value if v) if isinstance(value, list) else value


_ADDRESS_PARTS = frozenset({"line", "zip", "city"})
_POSTAL_CODE = re.compile(r"(?<![\d])(\d{2})[ \u00a0.]?(\d{3})(?![\d])")
"""A French postal code inside an address: `94240`, `94 240`, `94.240`, not part of a longer number."""
_SEPARATORS = " ,;-–\n\t"


def _check_split_address(arg: Any, options: Mapping[str, Any]) -> None:
    if arg not in _ADDRESS_PARTS:
        raise ValueError("'split_address' takes 'line', 'zip' or 'city'")
    formats.check_on_invalid(options)


def split_address(value: str, arg: Any, options: Mapping[str, Any]) -> str:
    """One-box address → its part: '12 rue de l'Église, 94240 L'Haÿ-les-Roses' → line '12 rue de
    l'Église', zip '94240', city 'L'Haÿ-les-Roses'.

    The last five-digit number is the postal code: what precedes it is the line, what follows the
    city ('Paris 75011' at the end: the city is the last part of the line before it, after a comma).
    An address without a postal code follows `on_invalid` (`keep` gives it whole, `omit` nothing).
    """
    text = value.strip()
    if text == "":
        return ""
    found = list(_POSTAL_CODE.finditer(text))
    if not found:
        return formats.invalid(value, options, "no French postal code (5 digits) in the address")
    code = found[-1]
    line = squash(text[: code.start()].replace("\n", ", ")).strip(_SEPARATORS)
    city = squash(text[code.end() :]).strip(_SEPARATORS)
    if not city and "," in line:  # '3 rue Haute, Paris 75011'
        line, _, city = (part.strip(_SEPARATORS) for part in line.rpartition(","))
    parts = {"line": line, "zip": code[1] + code[2], "city": city}
    return parts[arg]


# --- value map ------------------------------------------------------------------------------


def _check_map(arg: Any, options: Mapping[str, Any]) -> None:
    if not isinstance(arg, dict) or not arg:
        raise ValueError("'map' needs a table of answers to values, e.g. {Madame: Mme}")
    if "fallback" in options and options.get("keep_unmatched"):
        raise ValueError("'map' takes either 'fallback' or 'keep_unmatched', not both")


def value_map(value: str, arg: Any, options: Mapping[str, Any]) -> str:
    """Zapier's lookup table: matched → mapped; unmatched → fallback, kept, or an error; empty → empty."""
    if value == "":
        return ""
    found, mapped = _table_entry(arg, value)
    if found:
        return _text(mapped)
    if "fallback" in options:
        return _text(options["fallback"])
    if options.get("keep_unmatched"):
        return value
    choices = ", ".join(f"'{k}'" for k in arg)
    raise StepError(f"the answer is not in the value map ({choices}) and no fallback is set", value=value)


def map_covers(step: Step, choice: str) -> bool:
    """Whether a `map` step turns this answer into something without an error."""
    if "fallback" in step.options or step.options.get("keep_unmatched"):
        return True
    return _table_entry(step.arg, choice)[0]


def _table_entry(table: Mapping[Any, Any], value: str) -> tuple[bool, Any]:
    """The table's entry for `value`: exact key first, then ignoring case and spaces."""
    if value in table:
        return True, table[value]
    folded = fold(value)
    for key, mapped in table.items():
        if fold(str(key)) == folded:
            return True, mapped
    return False, None


def _text(value: Any) -> str:
    return "" if value is None else str(value)


# --- registry ---------------------------------------------------------------------------------

_FORMAT_OPTIONS = frozenset({"on_invalid"})

OPERATIONS: dict[str, Operation] = {
    "trim": Operation(lambda v, *_: squash(v), _no_arg),
    "lower": Operation(lambda v, *_: v.lower(), _no_arg),
    "upper": Operation(lambda v, *_: v.upper(), _no_arg),
    "title_case": Operation(title_case, _no_arg),
    "strip_accents": Operation(strip_accents, _no_arg),
    "replace": Operation(replace, _check_replace, frozenset({"regex"})),
    "split_name": Operation(split_name, _check_split, frozenset({"order"})),
    "split_address": Operation(split_address, _check_split_address, _FORMAT_OPTIONS),
    "join": Operation(lambda v, *_: v, _check_join, on_list=join),
    "map": Operation(value_map, _check_map, frozenset({"fallback", "keep_unmatched"})),
    "phone": Operation(formats.phone, formats.check_phone, frozenset({"on_invalid", "region"})),
    "date": Operation(formats.date, formats.check_date, frozenset({"on_invalid", "input"})),
    "number": Operation(
        formats.number, formats.check_number, frozenset({"on_invalid", "min", "max", "decimal_separator"})
    ),
    "email": Operation(formats.email, formats.check_simple, _FORMAT_OPTIONS),
    "postal_code": Operation(formats.postal_code, formats.check_simple, _FORMAT_OPTIONS),
}


def parse_step(raw: Any) -> Step:
    """Build a Step from its YAML form; ValueError says what is wrong with it."""
    if isinstance(raw, Step):
        return raw
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
    try:
        op.check(arg, options)
    except ValueError as exc:
        message = str(exc)
        raise ValueError(message if message.startswith("'") else f"'{name}': {message}") from None
    return Step(name, arg, options)
