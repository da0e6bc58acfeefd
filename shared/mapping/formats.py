"""Operations that check and normalise a format: phone, date, number, e-mail, postal code.

Each takes (value, argument, options) and returns the normalised text, or raises StepError.
An `on_invalid` option chooses between an error (the default), omitting the field, or keeping
the value as typed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import phonenumbers

from shared.mapping.text import fold
from shared.mapping.values import StepError
from shared.ogust import PARIS

ON_INVALID = frozenset({"error", "omit", "keep"})

GOOGLE_FORMS_DATES = ("%Y-%m-%d", "%m-%d", "%Y-%m-%d %H:%M", "%m-%d %H:%M")
"""What Google Forms gives for a date question, with or without year and time (Forms API TextAnswer)."""


def invalid(value: str, options: Mapping[str, Any], message: str) -> str:
    """Apply the `on_invalid` policy."""
    policy = options.get("on_invalid", "error")
    if policy == "omit":
        return ""
    if policy == "keep":
        return value.strip()
    raise StepError(message, value=value)


def check_on_invalid(options: Mapping[str, Any]) -> None:
    if options.get("on_invalid", "error") not in ON_INVALID:
        raise ValueError(f"'on_invalid' must be one of {', '.join(sorted(ON_INVALID))}")


# --- phone ------------------------------------------------------------------------------------

PHONE_FORMATS = frozenset({"national", "e164"})


def check_phone(arg: Any, options: Mapping[str, Any]) -> None:
    if arg is not None and arg not in PHONE_FORMATS:
        raise ValueError(f"'phone' format must be one of {sorted(PHONE_FORMATS)}, not {arg!r}")
    check_on_invalid(options)
    region = options.get("region", "FR")
    if not isinstance(region, str) or region.upper() not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(f"'region' {region!r} is not a known country code such as FR")


def phone(value: str, arg: Any, options: Mapping[str, Any]) -> str:
    """'06 12 34 56 78', '+33 6 12 34 56 78', '0033612345678' → '0612345678' (or +33612345678)."""
    if value.strip() == "":
        return ""
    region = str(options.get("region", "FR")).upper()
    normalised = normalise_phone(value, region=region, output=arg or "national")
    if normalised is not None:
        return normalised
    return invalid(value, options, "not a valid phone number")


@functools.lru_cache(maxsize=4096)
def normalise_phone(value: str, *, region: str = "FR", output: str = "national") -> str | None:
    """Return the number in Ogust's 10-digit national form (or E.164), or None when invalid.

    Cached: the same number comes back in lookups, comparisons and resent submissions, and parsing
    it is the costliest step of a plan.
    """
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


# --- date -------------------------------------------------------------------------------------


OGUST_DATE = "%Y%m%d"
"""How Ogust writes dates (`date_of_birth`, SEPA signature dates: docs/ogust-api.md §9 N3); `date: ogust`."""


def _output_format(arg: Any) -> Any:
    return OGUST_DATE if arg == "ogust" else arg


def check_date(arg: Any, options: Mapping[str, Any]) -> None:
    check_on_invalid(options)
    arg = _output_format(arg)
    if not isinstance(arg, str) or "%" not in arg:
        raise ValueError("'date' needs an output format such as '%d/%m/%Y', or 'ogust' (YYYYMMDD)")
    _check_format(arg)
    inputs = options.get("input", list(GOOGLE_FORMS_DATES))
    inputs = [inputs] if isinstance(inputs, str) else inputs
    if not isinstance(inputs, list) or not inputs:
        raise ValueError("'input' must be a date format or a list of them")
    for fmt in inputs:
        if not isinstance(fmt, str) or "%" not in fmt:
            raise ValueError(f"input date format {fmt!r} has no % directive, such as '%Y-%m-%d'")
        _check_format(fmt)


def _check_format(fmt: str) -> None:
    try:
        datetime(2026, 11, 28, 9, 15).strftime(fmt)
        datetime.strptime(datetime(2026, 11, 28, 9, 15).strftime(fmt), fmt)
    except ValueError as exc:
        raise ValueError(f"date format {fmt!r} is not usable: {exc}") from None


def date(value: str, arg: Any, options: Mapping[str, Any]) -> str:
    """Read the date with the first input format that fits; write it with the output format."""
    text = value.strip()
    if text == "":
        return ""
    formats = options.get("input", GOOGLE_FORMS_DATES)
    parsed = parse_date(text, formats)
    if parsed is None:
        return invalid(value, options, _why_not_a_date(text, formats))
    return parsed.strftime(str(_output_format(arg)))


def _why_not_a_date(text: str, formats: Any) -> str:
    """A date written right with a day its month lacks (31/02) is said to be one, not a format error."""
    for fmt in [formats] if isinstance(formats, str) else formats:
        try:
            datetime.strptime(text, fmt)
        except ValueError as exc:
            if "out of range" in str(exc):
                return "not a real date (no such day in that month)"
    return "not a date in the expected format"


def parse_date(text: str, formats: Any) -> datetime | None:
    """An aware ISO timestamp is moved to Paris time; otherwise the formats are tried in order."""
    if "T" in text:
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            moment = None
        if moment is not None:
            return moment.astimezone(PARIS) if moment.tzinfo else moment
    for fmt in [formats] if isinstance(formats, str) else formats:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if "%Y" not in fmt and "%y" not in fmt:
            # "MM-DD" (a date question without year): the current year in Paris.
            parsed = parsed.replace(year=datetime.now(PARIS).year)
        return parsed
    return None


# --- number -----------------------------------------------------------------------------------


def check_number(arg: Any, options: Mapping[str, Any]) -> None:
    check_on_invalid(options)
    if arg is not None and (not isinstance(arg, int) or isinstance(arg, bool) or arg < 0):
        raise ValueError("'number' takes the number of decimals to keep (0, 1, 2…)")
    for bound in ("min", "max"):
        if bound in options and not isinstance(options[bound], int | float):
            raise ValueError(f"'{bound}' must be a number")
    if options.get("decimal_separator", ".") not in {".", ","}:
        raise ValueError("'decimal_separator' must be '.' or ','")


def to_decimal(value: str) -> Decimal | None:
    """'4', ' 4,5 ', '1 200' as a number (French decimal comma and spaces allowed), or None."""
    try:
        amount = Decimal(re.sub(r"[\s\u00a0\u202f]", "", value).replace(",", "."))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def number(value: str, arg: Any, options: Mapping[str, Any]) -> str:
    """A number; `min`/`max` bound it (a scale answer 1 to 5), `arg` decimals are kept."""
    if value.strip() == "":
        return ""
    amount = to_decimal(value)
    if amount is None:
        return invalid(value, options, "not a number")
    if "min" in options and amount < Decimal(str(options["min"])):
        return invalid(value, options, f"below the minimum {options['min']}")
    if "max" in options and amount > Decimal(str(options["max"])):
        return invalid(value, options, f"above the maximum {options['max']}")
    if arg is not None:
        amount = amount.quantize(Decimal(1).scaleb(-int(arg)), rounding=ROUND_HALF_UP)
    out = format(amount.normalize(), "f") if arg is None else format(amount, "f")
    return out.replace(".", str(options.get("decimal_separator", ".")))


# --- e-mail and postal code -------------------------------------------------------------------

_EMAIL = re.compile(
    r"^[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*"
    r"@(?:[^\W_](?:(?:[^\W_]|-){0,61}[^\W_])?\.)+[^\W\d_]{2,}$"
)
"""The usual shape of an address: RFC 5322's dot-atom local part, a dotted domain with a letter TLD,
letters beyond ASCII allowed in both (RFC 6531); quoted local parts are not."""


def canonical_email(value: str) -> str | None:
    """The folded address (no spaces, no final dot on the domain), or None when it is not one."""
    text = fold(value).replace(" ", "")
    local, at, domain = text.rpartition("@")
    if not at:
        return None
    text = f"{local}@{domain.rstrip('.')}"
    if len(text) > 254 or len(local) > 64 or not _EMAIL.match(text):
        return None
    return text


def check_simple(arg: Any, options: Mapping[str, Any]) -> None:
    if arg is not None:
        raise ValueError("takes no argument")
    check_on_invalid(options)


def email(value: str, arg: Any, options: Mapping[str, Any]) -> str:
    """The canonical address (folded, trimmed, lower case); refuse what cannot be one."""
    if fold(value) == "":
        return ""
    text = canonical_email(value)
    if text is None:
        return invalid(value, options, "not a valid e-mail address")
    return text


def postal_code(value: str, arg: Any, options: Mapping[str, Any]) -> str:
    """French postal code: 5 digits; '94 240' → '94240', and '1000' → '01000' (a spreadsheet ate the zero)."""
    text = re.sub(r"[\s.\u00a0]", "", value)
    if text == "":
        return ""
    if re.fullmatch(r"\d{4}", text):
        text = "0" + text
    if not re.fullmatch(r"\d{5}", text):
        return invalid(value, options, "not a French postal code (5 digits)")
    return text
