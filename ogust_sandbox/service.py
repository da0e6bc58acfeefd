"""The fake Ogust service: method dispatch, token checks, call counters and the write log."""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypedDict, Unpack

from ogust_sandbox.auth import Tokens
from ogust_sandbox.faults import Faults
from ogust_sandbox.modes import Modes
from ogust_sandbox.store import OgustKO, Store, text

DEFAULT_PUBLIC_KEY = "01234567890123456789"
DEFAULT_PRIVATE_KEY = "0123456789ABCDEF"
"""The example key formats of the official documentation (docs/ogust-api.md §2)."""

DEFAULT_TOKEN_TTL = 600.0
MAX_ARRIVALS = 100_000
"""Arrival times kept for `/_sandbox/arrivals` (the oldest are dropped beyond this)."""
DEFAULT_PAGE_SIZE = 20
"""Ogust's default `nbperpage` is probably 20 (docs/ogust-api.md §4)."""

METHODS = (
    "getToken", "getCustomer", "setCustomer", "searchCustomer", "setAddress", "getList",
    "getThirdPartyInformations", "setThirdPartyInformations", "getEmployee", "setEmployee",
    "searchEmployee", "remEmployee",
)  # fmt: skip
CANONICAL = {name.lower(): name for name in METHODS}


def _utc_now() -> datetime:
    return datetime.now(UTC)


def canonical(method: str) -> str:
    """The camelCase name of a known method (names are case-insensitive, docs/ogust-api.md §1)."""
    return CANONICAL.get(method.lower(), method)


class ServiceOptions(TypedDict, total=False):
    """How a sandbox is set up; each option left out takes its default."""

    public_key: str
    """The key pair getToken accepts (DEFAULT_PUBLIC_KEY, DEFAULT_PRIVATE_KEY)."""
    private_key: str
    token_ttl: float
    """Seconds a token lives (DEFAULT_TOKEN_TTL)."""
    clock: Callable[[], float]
    """What token expiry is measured with (time.monotonic)."""
    lists: dict[str, dict[str, str]] | None
    """What getList answers, beside the default lists."""
    modes: Modes | None
    """The strict modes to start in (and to go back to on reset)."""
    wall_clock: Callable[[], datetime]
    """What a getToken `time` is checked against, with a strict signing clock (now, in UTC)."""


class Service:
    """Everything behind the endpoint; one lock makes each call atomic."""

    def __init__(self, **options: Unpack[ServiceOptions]) -> None:
        self.lock = threading.RLock()
        self.initial_modes = options.get("modes") or Modes()
        self.initial_modes.check()
        self.store = Store(options.get("lists"), self.initial_modes)
        self.tokens = Tokens(
            options.get("public_key", DEFAULT_PUBLIC_KEY),
            options.get("private_key", DEFAULT_PRIVATE_KEY),
            options.get("token_ttl", DEFAULT_TOKEN_TTL),
            options.get("clock", time.monotonic),
            options.get("wall_clock", _utc_now),
        )
        self.faults = Faults()
        self.calls: Counter[str] = Counter()
        self.writes: list[dict[str, Any]] = []
        self.arrivals: deque[float] = deque(maxlen=MAX_ARRIVALS)
        """`time.monotonic()` of each Ogust call's arrival (the benchmark checks a rate limit with it)."""

    @property
    def modes(self) -> Modes:
        """The strict modes in force."""
        return self.store.modes

    @modes.setter
    def modes(self, modes: Modes) -> None:
        modes.check()
        with self.lock:
            self.store.modes = modes

    def reset(self) -> None:
        """Empty store, no tokens, no faults, no counters, no write log, the starting modes."""
        with self.lock:
            self.store.modes = self.initial_modes
            self.store.reset()
            self.tokens.expire_all()
            self.faults.clear()
            self.calls.clear()
            self.writes.clear()
            self.arrivals.clear()

    def count(self, method: str) -> None:
        """Count one HTTP call of `method`, faulted or not."""
        with self.lock:
            self.calls[canonical(method)] += 1
            self.arrivals.append(time.monotonic())

    def dispatch(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """Run one Ogust method; the answer is the JSON envelope (KO with HTTP 200, like Ogust)."""
        name = canonical(method)
        with self.lock:
            try:
                if name != "getToken":
                    self.tokens.check(params.get("token"), self.modes)
                handler = getattr(self, f"_{name}", None) if name in METHODS else None
                if handler is None:
                    raise OgustKO(f"Méthode inconnue : {method or '(vide)'}")
                result: dict[str, Any] = handler(params)
            except OgustKO as exc:
                return {"status": "KO", "message": exc.message}
            if name.lower().startswith(("set", "rem")):
                self.writes.append(
                    {"method": name, "params": {k: v for k, v in params.items() if k != "token"}}
                )
            return {"status": "OK", **result}

    def _getToken(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"token": self.tokens.issue(params, self.modes)}

    def _getCustomer(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"customer": self.store.get_customer(text(params.get("id_customer"))) or {}}

    def _setCustomer(self, params: dict[str, Any]) -> dict[str, Any]:
        id_customer = text(params.get("id_customer"))
        if id_customer:
            self.store.update_customer(id_customer, params)
        else:
            id_customer = self.store.create_customer(params)
        # Only the customer id: no address id (docs/ogust-api.md §5 quirk 5).
        return {"customer": {"id_customer": id_customer}}

    def _setAddress(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"address": {"id_address": self.store.set_address(params)}}

    def _searchCustomer(self, params: dict[str, Any]) -> dict[str, Any]:
        asked = _positive(params.get("nbperpage"), DEFAULT_PAGE_SIZE, "nbperpage")
        page = _positive(params.get("pagenum"), 1, "pagenum")
        modes = self.modes
        cap = modes.page_size_cap
        per_page = asked if cap is None else min(asked, cap)
        # With a cap, a server may count its offsets with the size it serves or the size asked.
        start = (page - 1) * (asked if modes.page_offset == "asked" else per_page)
        return self._page("array_customer", self.store.search_customers(params), start, per_page, page)

    def _page(
        self, array_key: str, found: list[dict[str, Any]], start: int, per_page: int, page: int
    ) -> dict[str, Any]:
        rows = found[start : start + per_page]
        # Numbers and strings mixed on purpose, as in the samples (docs/ogust-api.md §5 quirk 4); result is an
        # object keyed "0","1",… (quirk 3) unless the mode says list.
        result: Any = rows if self.modes.result_as_list else {str(i): row for i, row in enumerate(rows)}
        return {
            array_key: {
                "pagination": {"count": len(found), "nbperpage": str(per_page), "pagenum": str(page)},
                "result": result,
            }
        }

    def _getEmployee(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"employee": self.store.get_employee(text(params.get("id_employee"))) or {}}

    def _setEmployee(self, params: dict[str, Any]) -> dict[str, Any]:
        id_employee = text(params.get("id_employee"))
        if id_employee:
            self.store.update_employee(id_employee, params)
        else:
            id_employee = self.store.create_employee(params)
        return {"employee": {"id_employee": id_employee}}

    def _remEmployee(self, params: dict[str, Any]) -> dict[str, Any]:
        self.store.remove_employee(text(params.get("id_employee")))
        return {}

    def _searchEmployee(self, params: dict[str, Any]) -> dict[str, Any]:
        per_page = _positive(params.get("nbperpage"), DEFAULT_PAGE_SIZE, "nbperpage")
        cap = self.modes.page_size_cap
        per_page = per_page if cap is None else min(per_page, cap)
        page = _positive(params.get("pagenum"), 1, "pagenum")
        found = self.store.search_employees(params)
        return self._page("array_employee", found, (page - 1) * per_page, per_page, page)

    def _getList(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"list": self.store.get_list(text(params.get("key")))}

    def _getThirdPartyInformations(self, params: dict[str, Any]) -> dict[str, Any]:
        tp, tp_id = text(params.get("third_party")), text(params.get("third_party_id"))
        if self.modes.custom_fields_paging:
            for name in ("nbperpage", "pagenum"):
                if not text(params.get(name)):
                    raise OgustKO(f"Le paramètre {name} est obligatoire")
        values = self.store.get_third_party(tp, tp_id)
        return {
            "thirdPartyInformations": {"third_party": tp, "third_party_id": tp_id, "array_values": values}
        }

    def _setThirdPartyInformations(self, params: dict[str, Any]) -> dict[str, Any]:
        tp, tp_id = text(params.get("third_party")), text(params.get("third_party_id"))
        values = self.store.set_third_party(tp, tp_id, params.get("array_values"))
        return {
            "thirdPartyInformations": {"third_party": tp, "third_party_id": tp_id, "array_values": values}
        }


def _positive(value: Any, default: int, name: str) -> int:
    if value is None or text(value) == "":
        return default
    try:
        number = int(text(value))
    except ValueError:
        number = 0
    if number < 1:
        raise OgustKO(f"Paramètre {name} invalide : {text(value)}")
    return number
