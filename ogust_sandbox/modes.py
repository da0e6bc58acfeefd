"""Strict modes: each unknown of a real Ogust account (docs/ogust-api.md §8, §9) made a switch, one per risk.

The default mode is the sandbox as it always was (deliberately loose search, only last_name required,
KO with HTTP 200, any token clock, JSON or form body). A test switches on the risks it is about, with
`Sandbox(modes=Modes(...))`, `sandbox.set_modes(...)` or `POST /_sandbox/modes`; `reset` restores the
modes the sandbox was started with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Literal, get_args

from shared.ogust import ENTITY_FIELDS

SearchMatch = Literal["contains", "like", "exact", "case_sensitive"]
"""contains: case-insensitive substring (the loose default); like: SQL LIKE (`%`, `_` wildcards),
case-insensitive; exact: whole value, case-insensitive (a MySQL *_ci collation); case_sensitive:
whole value, byte for byte."""
SearchStatus = Literal["any", "active_only", "required"]
"""any: every customer; active_only: a search without `status` returns status A customers only (an
explicit status, such as `@!=|A`, still finds the others); required: a search without `status` is
refused (live integrations send status=A, docs/ogust-api.md §9 N3)."""
SigningClock = Literal["any", "utc", "paris"]
"""Which clock getToken's `time` must follow (within `clock_tolerance`): docs/ogust-api.md §2 lists both."""
EmployeeNumber = Literal["generated", "required", "optional"]
"""How an account gives a worker its staff number (unknown, docs/ogust-api.md §3d): generated: Ogust
makes one from the nature's prefix when a create carries none; required: a create without `number`
is refused ("Le champ number est obligatoire") and none is ever made; optional: none is required,
none is made."""
BodyKind = Literal["any", "form"]
"""form: only form-encoded bodies are read, a JSON body reads as no parameter at all (PHP's $_POST)."""

USUAL_REQUIRED = ENTITY_FIELDS["customer"].usual_create
"""What the Ogust UI requires to create a customer (docs/ogust-api.md §9 N1: name, customer type, exoneration
type, main address): the catalogue's list, so the client's guess and the sandbox's strict mode agree."""


@dataclass(frozen=True)
class Modes:
    """How strictly the sandbox behaves; every field is one unknown of a real account."""

    required_on_create: tuple[str, ...] = ("last_name",)
    """Fields a create must carry (`main_address.city` for an address part); the KO names the first
    one missing: "Le champ type est obligatoire". Accounts can make more fields mandatory
    (docs/ogust-api.md §9 N1)."""
    employee_required_on_create: tuple[str, ...] = ("title", "last_name")
    """Fields a worker's create must carry: Ogust's screen requires the title and the name (and the
    main address, which a test adds); accounts can require more (docs/ogust-api.md §3d)."""
    employee_number: EmployeeNumber = "generated"
    employee_third_party: str = "S"
    """The `third_party` code a worker's custom fields are filed under on this account (unknown,
    docs/ogust-api.md §3d): getThirdPartyInformations with any other code but C is refused."""
    page_size_cap: int | None = None
    """Largest page a search returns, whatever `nbperpage` asks (no documented maximum, docs/ogust-api.md
    §4)."""
    page_offset: Literal["capped", "asked"] = "capped"
    """With a cap, whether page N starts at (N-1)×cap or at (N-1)×nbperpage asked (unknown too)."""
    ko_status: int = 200
    """HTTP status every KO is sent with (200 in every source, docs/ogust-api.md §4; a 5xx is the risk,
    §9)."""
    search_status: SearchStatus = "any"
    write_only: tuple[str, ...] = ("exoneration",)
    """Fields stored on write but absent from get/search answers (exoneration, docs/ogust-api.md §9 N3)."""
    search_match: SearchMatch = "contains"
    signing_clock: SigningClock = "any"
    body: BodyKind = "any"
    empty_as_null: bool = False
    """Empty values come back as null rather than "" (docs/ogust-api.md §9 N3 says null)."""
    result_as_list: bool = False
    """`array_customer.result` as a JSON list rather than an object keyed "0","1",… (docs/ogust-api.md §4)."""
    search_without_address_id: bool = False
    """Search results without `main_address.id_address` (docs/ogust-api.md §9 N3 says they carry it)."""
    clock_tolerance: float = 300.0
    """Seconds of skew accepted on getToken's `time` when `signing_clock` is utc or paris."""
    token_refused_text: str = "Token invalide ou expiré"  # noqa: S105 (a message, not a secret)
    """The KO text of a call with an unknown or expired token (the real one is unknown, docs/ogust-api.md
    §8)."""
    prospect_type: str | None = None
    """The `type` code of a prospect on this account (unknown: `P` is a guess). When set, customer
    codes follow the type as Ogust's help describes them (prospects `00…`, clients `CLI…`), and a
    create with a type that is neither this code nor `C` is refused. None: any type is stored as
    sent, and every code starts with `CLI` (a wrong type is accepted silently)."""
    ignored_filters: tuple[str, ...] = ()
    """Search filters this account ignores: a search by one of them returns every customer, as if it
    had not been given (a `mobile_phone` filter on searchCustomer was never seen in public code)."""
    refused_filters: tuple[str, ...] = ()
    """Search filters this account refuses: a search by one of them is a KO naming it."""
    custom_fields_replace: bool = False
    """setThirdPartyInformations replaces the customer's whole set of custom fields with the one sent
    (codes left out are wiped) instead of merging it: both fit the public evidence."""
    custom_fields_paging: bool = False
    """getThirdPartyInformations is refused without `nbperpage` and `pagenum` (every public caller
    sends them)."""
    escape_html: bool = False
    """Text is stored HTML-escaped, as PHP's htmlspecialchars does (`'` → `&#039;`, `"` → `&quot;`,
    `&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;`), and read back that way."""
    comment_max_length: int | None = None
    """A customer's `comment` is cut to this many characters when stored (the real limit is unknown)."""

    @classmethod
    def realistic(cls) -> Modes:
        """The docs/ogust-api.md §9 risks a first real run most likely meets, all at once."""
        return cls(
            required_on_create=USUAL_REQUIRED,
            page_size_cap=50,
            search_status="active_only",
            search_match="exact",
            empty_as_null=True,
        )

    def changed(self, changes: Mapping[str, Any]) -> Modes:
        """These modes with `changes` (JSON-like values, as the control API receives them) applied."""
        known = {f.name: f for f in fields(self)}
        values: dict[str, Any] = {}
        for name, raw in changes.items():
            if name not in known:
                raise ValueError(f"unknown mode {name!r}; known: {', '.join(known)}")
            values[name] = _coerce(name, raw)
        modes = replace(self, **values)
        modes.check()
        return modes

    def check(self) -> None:
        """ValueError for a value outside its choices."""
        choices: dict[str, tuple[Any, ...]] = {
            "search_match": get_args(SearchMatch),
            "search_status": get_args(SearchStatus),
            "signing_clock": get_args(SigningClock),
            "body": get_args(BodyKind),
            "employee_number": get_args(EmployeeNumber),
            "page_offset": ("capped", "asked"),
        }
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise ValueError(f"mode {name} must be one of {', '.join(allowed)}")
        if self.page_size_cap is not None and self.page_size_cap < 1:
            raise ValueError("mode page_size_cap must be at least 1")
        if not self.employee_third_party or self.employee_third_party == "C":
            raise ValueError("mode employee_third_party must be a code other than C (the customers')")
        if self.comment_max_length is not None and self.comment_max_length < 1:
            raise ValueError("mode comment_max_length must be at least 1")
        if not 100 <= self.ko_status <= 599:
            raise ValueError("mode ko_status must be an HTTP status")

    def as_json(self) -> dict[str, Any]:
        """The modes as JSON-ready data."""
        data = asdict(self)
        return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}


def _coerce(name: str, raw: Any) -> Any:
    lists = ("required_on_create", "employee_required_on_create", "write_only", "ignored_filters")
    if name in (*lists, "refused_filters"):
        if isinstance(raw, str):
            raw = [part.strip() for part in raw.split(",") if part.strip()]
        if not isinstance(raw, list | tuple) or not all(isinstance(v, str) for v in raw):
            raise ValueError(f"mode {name} is a list of field names")
        return tuple(raw)
    if name in ("page_size_cap", "comment_max_length"):
        return None if raw in (None, "", "none", 0) else int(raw)
    if name == "prospect_type":
        return None if raw in (None, "") else str(raw)
    if name in ("ko_status",):
        return int(raw)
    if name == "token_refused_text":
        return str(raw)
    if name == "clock_tolerance":
        return float(raw)
    if name in (
        "empty_as_null",
        "result_as_list",
        "search_without_address_id",
        "custom_fields_replace",
        "custom_fields_paging",
        "escape_html",
    ):
        if isinstance(raw, str):
            return raw.strip().lower() in ("1", "true", "yes", "on")
        return bool(raw)
    return str(raw)
