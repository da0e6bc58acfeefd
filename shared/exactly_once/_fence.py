"""The writes of one delivery, guarded: `FencedCustomers` wraps the Ogust client the engine is given
(the `Customers` protocol), so nothing in the engine changes. Reads pass through. Before each write
the delivery's lease is fenced (renewed, or DeliveryUnavailableError when it was taken over: then
nothing is written); a write Ogust may have applied without saying so (`maybe_applied`) is recorded
as a write in doubt on every person key before the error goes on (shared.exactly_once._doubts)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from shared.engine import Customers
from shared.errors import FormsToOgustError, OgustUnavailableError
from shared.exactly_once._doubts import DoubtKind, Doubts
from shared.exactly_once._leases import Lease
from shared.logs import log
from shared.ogust import CustomerRecord

T = TypeVar("T")


class FencedCustomers:
    """`Customers` for one delivery under `lease`, recording writes in doubt under `person_keys`."""

    def __init__(
        self,
        ogust: Customers,
        lease: Lease,
        doubts: Doubts,
        person_keys: Sequence[str],
        *,
        origin: str = "",
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._ogust = ogust
        self._lease = lease
        self._doubts = doubts
        self._person_keys = list(person_keys)
        self._origin = origin
        self._clock = clock

    def search_customers(self, **filters: str) -> list[CustomerRecord]:
        return self._ogust.search_customers(**filters)

    def get_customer(self, id_customer: str) -> CustomerRecord | None:
        return self._ogust.get_customer(id_customer)

    def get_list(self, key: str) -> dict[str, str]:
        return self._ogust.get_list(key)

    def get_third_party_informations(self, third_party: str, third_party_id: str) -> dict[str, str]:
        return self._ogust.get_third_party_informations(third_party, third_party_id)

    def set_customer(self, fields: dict[str, Any]) -> str:
        kind: DoubtKind = "update" if fields.get("id_customer") else "create"
        return self._write(kind, lambda: self._ogust.set_customer(fields))

    def set_address(self, fields: dict[str, Any]) -> None:
        self._write("update", lambda: self._ogust.set_address(fields))

    def set_third_party_informations(
        self, third_party: str, third_party_id: str, values: dict[str, str]
    ) -> None:
        self._write(
            "update", lambda: self._ogust.set_third_party_informations(third_party, third_party_id, values)
        )

    def _write(self, kind: DoubtKind, call: Callable[[], T]) -> T:
        self._lease.fence()
        try:
            return call()
        except OgustUnavailableError as exc:
            if exc.maybe_applied:
                self._in_doubt(kind, exc.method)
            raise

    def _in_doubt(self, kind: DoubtKind, method: str) -> None:
        try:
            self._doubts.record(self._person_keys, kind, method, self._clock(), self._origin)
        except FormsToOgustError as exc:
            # Not remembered: the leases stay taken until they expire (LEASE_SECONDS), so the
            # person's next delivery still waits that long instead of creating beside the write.
            self._lease.keep()
            log(
                "WARNING",
                f"a write in doubt ({method}) could not be recorded ({type(exc).__name__}); "
                "the person's leases are kept until they expire",
                ogustMethod=method,
            )
