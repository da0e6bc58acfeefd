"""`Sandbox`: run the fake Ogust in a background thread and drive it from Python tests."""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any, NamedTuple, Unpack

from ogust_sandbox.faults import Fault
from ogust_sandbox.modes import Modes
from ogust_sandbox.server import API_PATH, SandboxServer
from ogust_sandbox.service import Service, ServiceOptions
from sandbox_kit import Background


class SandboxKeys(NamedTuple):
    """The keys the sandbox accepts: `(public_key, private_key)`."""

    public_key: str
    private_key: str


class Sandbox(Background):
    """A fake Ogust on `host:port` (port 0 = a free one), set up by `ServiceOptions`; use
    `with Sandbox() as sb:`."""

    name = "Ogust sandbox"

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, **options: Unpack[ServiceOptions]) -> None:
        self.service = Service(**options)
        tokens = self.service.tokens
        self.keys = SandboxKeys(tokens.public_key, tokens.private_key)
        super().__init__(host, port)

    def new_server(self, address: tuple[str, int]) -> SandboxServer:
        return SandboxServer(address, self.service)

    @property
    def url(self) -> str:
        """The Ogust API URL, ending in `apiogust.php` (append nothing: `?method=` is the client's)."""
        return self.base_url + API_PATH

    @property
    def settings(self) -> dict[str, str]:
        """The settings a process needs to call this sandbox (the function, the command-line tool)."""
        return {
            "OGUST_API_URL": self.url,
            "OGUST_PUBLIC_KEY": self.keys[0],
            "OGUST_PRIVATE_KEY": self.keys[1],
        }

    def reset(self) -> None:
        """Forget customers, tokens, faults, counters and the write log; back to the starting modes."""
        self.service.reset()

    @property
    def modes(self) -> Modes:
        """The strict modes in force (see ogust_sandbox.modes)."""
        return self.service.modes

    def set_modes(self, modes: Modes | None = None, **changes: Any) -> Modes:
        """Switch strict modes until the next reset: a whole `Modes`, or some of them by name."""
        self.service.modes = (modes or self.service.modes).changed(changes)
        return self.service.modes

    def customers(self) -> list[dict[str, Any]]:
        """Every stored customer (copies)."""
        with self.service.lock:
            return copy.deepcopy(list(self.service.store.customers.values()))

    def writes(self) -> list[dict[str, Any]]:
        """The successful set*/rem* calls in order: `{"method": ..., "params": ...}` (no token)."""
        with self.service.lock:
            return copy.deepcopy(self.service.writes)

    def calls(self) -> Counter[str]:
        """HTTP calls received per Ogust method, faulted ones included."""
        with self.service.lock:
            return Counter(self.service.calls)

    def arrivals(self) -> list[float]:
        """`time.monotonic()` of each Ogust call's arrival, oldest first."""
        with self.service.lock:
            return list(self.service.arrivals)

    def seed_customer(self, fields: dict[str, Any]) -> str:
        """Store a customer directly (no token, no write-log entry); return its id."""
        with self.service.lock:
            return self.service.store.create_customer(fields, validate=False)

    def third_party_values(self, id_customer: str, third_party: str = "C") -> dict[str, str]:
        """The stored custom fields of a customer (or of a worker, with its `third_party` code)."""
        with self.service.lock:
            return dict(self.service.store.third_party.get((third_party, id_customer), {}))

    def employees(self) -> list[dict[str, Any]]:
        """Every stored worker (salariés, candidats…; copies)."""
        with self.service.lock:
            return copy.deepcopy(list(self.service.store.employees.values()))

    def seed_employee(self, fields: dict[str, Any]) -> str:
        """Store a worker directly (no token, no write-log entry); return its id."""
        with self.service.lock:
            return self.service.store.create_employee(fields, validate=False)

    def set_list(self, key: str, values: dict[str, str]) -> None:
        """Configure what `getList(key)` answers."""
        with self.service.lock:
            self.service.store.lists[key] = dict(values)

    def inject_latency(self, ms: int) -> None:
        """Every Ogust call waits `ms` milliseconds before being handled (0 = none)."""
        self.service.faults.latency_ms = ms

    def inject_status(
        self, status: int, count: int = 1, method: str | None = None, *, apply: bool = False
    ) -> None:
        """The next `count` calls answer HTTP `status`; with `apply`, after doing the work anyway."""
        self.service.faults.add(Fault("status", count, method, status=status, apply=apply))

    def inject_ko(
        self,
        message: str,
        count: int = 1,
        method: str | None = None,
        *,
        status: int = 200,
        apply: bool = False,
    ) -> None:
        """The next `count` calls answer `{"status": "KO", "message": message}` with HTTP `status`;
        without `apply` nothing is done, with it the work is done first (a server failing late)."""
        self.service.faults.add(Fault("ko", count, method, status=status, message=message, apply=apply))

    def inject_drop(self, count: int = 1, method: str | None = None, *, apply: bool = False) -> None:
        """The next `count` calls get their connection closed without an answer."""
        self.service.faults.add(Fault("drop", count, method, apply=apply))

    def inject_slow(self, ms: int, count: int = 1, method: str | None = None, *, apply: bool = True) -> None:
        """The next `count` calls answer `ms` milliseconds late; with `apply` (default) the work is
        done at once, so a client that times out has had its write applied."""
        self.service.faults.add(Fault("slow", count, method, apply=apply, ms=ms))

    def inject_held(self, count: int = 1, method: str | None = None, *, limit_ms: int = 60_000) -> None:
        """The next `count` calls wait, unanswered and not applied, until `release_held()` (or
        `limit_ms`); then each is applied and answered: a write that lands in Ogust after the client
        gave up, at the moment the test says."""
        self.service.faults.add(Fault("slow", count, method, apply=False, ms=limit_ms, held=True))

    def release_held(self) -> None:
        """Let every held call go on: each is applied now, then answered."""
        self.service.faults.release_held()

    def inject_raw(self, body: str, status: int = 200, count: int = 1, method: str | None = None) -> None:
        """The next `count` calls answer exactly `body` (e.g. an odd JSON shape or an HTML page)."""
        self.service.faults.add(Fault("raw", count, method, status=status, body=body))

    def tokens(self) -> list[str]:
        """Tokens issued so far (tests check that none leaks into a message)."""
        with self.service.lock:
            return self.service.tokens.issued()

    def expire_tokens(self) -> None:
        """Every token issued so far stops working now."""
        with self.service.lock:
            self.service.tokens.expire_all()

    def clear_faults(self) -> None:
        """Remove pending faults and latency; calls still held are dropped, never applied."""
        self.service.faults.clear()
