"""The Ogust client: token handling, the envelope contract and the customer-related methods."""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import tzinfo
from types import TracebackType
from typing import Any, TextIO

import httpx

from shared.errors import OgustAuthError, OgustRejectedError
from shared.ogust import _shapes
from shared.ogust._encoding import BodyEncoding
from shared.ogust._keys import PARIS, KeyProvider, OgustKeys
from shared.ogust._options import (
    DEFAULT_BACKOFF,
    DEFAULT_MAX_ATTEMPTS,
    DEFAULT_PAGE_SIZE,
    DEFAULT_TOKEN_ERROR_PATTERN,
)
from shared.ogust._records import CustomerRecord, TextEscaping, readable
from shared.ogust._session import Session, unavailable
from shared.ogust._wire import TOKEN_METHOD, custom_read_params, token_params

DEFAULT_TOKEN_TTL = 540.0
"""Tokens live 10 minutes; working clients refresh after 9 (docs/ogust-api.md §2)."""

MAX_PAGES = 1000
"""Guard against a server that never ends a search (ignores `pagenum` and reports no `count`)."""


class OgustClient:
    """Synchronous, thread-safe client of the Ogust API v2 (one keep-alive connection pool)."""

    def __init__(
        self,
        api_url: str,
        keys: KeyProvider,
        *,
        timeout: float = 10.0,
        page_size: int = DEFAULT_PAGE_SIZE,
        token_ttl: float = DEFAULT_TOKEN_TTL,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        backoff: float = DEFAULT_BACKOFF,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        token_error_pattern: str | re.Pattern[str] = DEFAULT_TOKEN_ERROR_PATTERN,
        body_encoding: BodyEncoding = "json",
        token_zone: tzinfo = PARIS,
        search_status: str | None = None,
        text_escaping: TextEscaping = "none",
        log_stream: TextIO | None = None,
    ) -> None:
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        self._session = Session(
            api_url,
            timeout=timeout,
            max_attempts=max_attempts,
            backoff=backoff,
            transport=transport,
            sleep=sleep,
            encoding=body_encoding,
            redact=self._redact,
            log_stream=log_stream,
        )
        self._keys = keys
        self._page_size = page_size
        self._page_cap: int | None = None
        """The largest page Ogust was seen to return when asked for more (a server cap)."""
        self._token_zone = token_zone
        self._search_status = search_status or None
        self._escaping: TextEscaping = text_escaping
        self._token_ttl = token_ttl
        self._clock = clock
        self._token_error = (
            token_error_pattern
            if isinstance(token_error_pattern, re.Pattern)
            else re.compile(token_error_pattern, re.IGNORECASE)
        )
        self._token_lock = threading.Lock()
        self._token: str | None = None
        self._token_expires = 0.0
        self._secrets: tuple[str, ...] = ()
        """Masked wherever Ogust's words are shown: the keys, then the latest three tokens."""
        self._lists: dict[str, dict[str, str]] = {}

    def __repr__(self) -> str:
        return f"OgustClient(api_url={self._session.api_url!r})"

    def __enter__(self) -> OgustClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @property
    def calls(self) -> Counter[str]:
        """HTTP requests sent per Ogust method (getToken and retries included)."""
        return self._session.calls

    def close(self) -> None:
        """Close the pooled connections."""
        self._session.close()

    def call(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """Call any Ogust method with a valid token and return its OK envelope."""
        if method.lower() == TOKEN_METHOD.lower():
            return self._accepted(method, self._session.exchange(method, lambda: params))
        token = self._valid_token()
        envelope = self._session.exchange(method, lambda: {**params, "token": token})
        if self._refuses_token(envelope):
            # Ogust refused the token, so it applied nothing: repeating even a write is safe.
            self._session.log(
                "INFO", f"Ogust {method} refused the token; fetching a fresh one", ogustMethod=method
            )
            fresh = self._valid_token(stale=token)
            envelope = self._session.exchange(method, lambda: {**params, "token": fresh})
            if self._refuses_token(envelope):
                raise OgustAuthError(
                    f"Ogust {method} refused a freshly issued token",
                    method=method,
                    ogust_message=self._message(envelope),
                )
        return self._accepted(method, envelope)

    def search_customers(self, **filters: str) -> list[CustomerRecord]:
        """Every customer matching `filters` (Ogust's own matching: compare exactly on your side).

        With `search_status` set (OGUST_SEARCH_STATUS=A), `status` is sent unless a filter gives it:
        live integrations search with status=A (docs/ogust-api.md §9 N3).
        """
        if self._search_status is not None and "status" not in filters:
            filters = {"status": self._search_status, **filters}
        rows = self._search_all("searchCustomer", "array_customer", filters)
        return [
            record for row in rows if (record := CustomerRecord.from_ogust(row, self._escaping)) is not None
        ]

    def get_customer(self, id_customer: str) -> CustomerRecord | None:
        """The customer with this id, or None when Ogust answers an empty or missing `customer`."""
        return self._get_record("getCustomer", "customer", "id_customer", id_customer)

    def set_customer(self, fields: dict[str, Any]) -> str:
        """Create (no `id_customer`) or update (with it) a customer; return its id."""
        return self._set_record("setCustomer", "customer", "id_customer", fields)

    def search_employees(self, **filters: str) -> list[CustomerRecord]:
        """Every worker (intervenant) matching `filters`, whatever its nature and status.

        Neither `nature` nor `status` is added: a public client that searched with `nature=S` never
        saw candidates (docs/ogust-api.md §3d), and a candidate is rarely "active".
        """
        rows = self._search_all("searchEmployee", "array_employee", filters, id_field="id_employee")
        return [
            record
            for row in rows
            if (record := CustomerRecord.from_ogust(row, self._escaping, "id_employee")) is not None
        ]

    def get_employee(self, id_employee: str) -> CustomerRecord | None:
        """The worker with this id, or None when Ogust answers an empty or missing `employee`."""
        return self._get_record("getEmployee", "employee", "id_employee", id_employee)

    def set_employee(self, fields: dict[str, Any]) -> str:
        """Create (no `id_employee`) or update (with it) a worker; return its id."""
        return self._set_record("setEmployee", "employee", "id_employee", fields)

    def _get_record(self, method: str, key: str, id_field: str, record_id: str) -> CustomerRecord | None:
        """getCustomer / getEmployee: the record, or None when Ogust answers an empty or missing one."""
        raw = _shapes.single(self.call(method, {id_field: record_id}).get(key))
        return None if raw is None else CustomerRecord.from_ogust(raw, self._escaping, id_field)

    def _set_record(self, method: str, key: str, id_field: str, fields: dict[str, Any]) -> str:
        """setCustomer / setEmployee: create (no id) or update (with it); the record's id."""
        record = _shapes.single(self.call(method, fields).get(key))
        record_id = None if record is None else record.get(id_field)
        if record_id is None or str(record_id) == "":
            # The write may have happened: transient, so the caller searches again before retrying.
            raise unavailable(
                f"Ogust {method} answered OK without {key}.{id_field}", method=method, maybe_applied=True
            )
        return str(record_id)

    def rem_employee(self, id_employee: str) -> None:
        """Remove a worker (whether Ogust deletes or archives it is unknown, docs/ogust-api.md §3d)."""
        if not id_employee:
            raise ValueError("rem_employee needs id_employee")
        self.call("remEmployee", {"id_employee": id_employee})

    def set_address(self, fields: dict[str, Any]) -> None:
        """Update an address; `fields` must carry `id_address` (docs/ogust-api.md §3b, quirk 5)."""
        if not fields.get("id_address"):
            raise ValueError("set_address needs id_address")
        self.call("setAddress", fields)

    def get_list(self, key: str) -> dict[str, str]:
        """The code → label list `key` (e.g. `customer.origin`), fetched once per client."""
        if key not in self._lists:
            self._lists[key] = _shapes.string_map(self.call("getList", {"key": key}).get("list"))
        return dict(self._lists[key])

    def get_third_party_informations(self, third_party: str, third_party_id: str) -> dict[str, str]:
        """The custom fields ("informations tierces") of one third party, code → value.

        Sent with `nbperpage`/`pagenum` like every public caller (docs/ogust-api.md): an account may
        refuse the call without them; `forms-to-ogust doctor` compares both forms.
        """
        envelope = self.call("getThirdPartyInformations", custom_read_params(third_party, third_party_id))
        values = _shapes.third_party_values(envelope)  # the doctor's Reply reads them the same way
        return {code: readable(text, self._escaping) for code, text in values.items()}

    def set_third_party_informations(
        self, third_party: str, third_party_id: str, values: dict[str, str]
    ) -> None:
        """Write custom fields of one third party (`third_party` "C" = customer).

        Whether Ogust merges `values` into what it holds or replaces the whole set is unknown
        (docs/ogust-api.md): callers send the full set, what Ogust holds plus their changes.
        """
        self.call(
            "setThirdPartyInformations",
            {"third_party": third_party, "third_party_id": third_party_id, "array_values": values},
        )

    def _search_all(
        self, method: str, array_key: str, filters: dict[str, str], *, id_field: str = "id_customer"
    ) -> list[dict[str, Any]]:
        """Every record of a search*: pages are followed until `count` records are read.

        A short page does not end the search while `count` says there are more: a server cap on
        `nbperpage` would otherwise hide matches (docs/ogust-api.md §9). Once a cap is seen, pages are asked
        at that size, so the server's offsets and ours agree whichever size it computes them with.
        Without `count`, a short page ends it. A page that brings nothing new while `count` says
        more (a server ignoring `pagenum`) is an error, never a silently partial answer.
        """
        found: list[dict[str, Any]] = []
        seen: set[str] = set()
        per_page = min(self._page_size, self._page_cap or self._page_size)
        for page in range(1, MAX_PAGES + 1):
            envelope = self.call(method, {**filters, "nbperpage": per_page, "pagenum": page})
            rows, total = _shapes.search_page(envelope, array_key)  # as the doctor's Reply.page reads it
            new = 0
            for row in rows:
                key = str(row.get(id_field) or row.get("id") or "") or repr(sorted(row.items()))
                if key not in seen:
                    seen.add(key)
                    found.append(row)
                    new += 1
            if total is None:
                if len(rows) < per_page:
                    return found
                continue
            if len(found) >= total:
                return found
            if new == 0:
                raise unavailable(
                    f"Ogust {method} page {page} brought no new record although count is {total} "
                    f"and {len(found)} were read (is pagenum ignored?)",
                    method=method,
                )
            if page == 1 and 0 < len(rows) < per_page:
                self._learn_page_cap(method, per_page, len(rows))
                per_page = len(rows)
        raise unavailable(f"Ogust {method} still had results after {MAX_PAGES} pages", method=method)

    def _learn_page_cap(self, method: str, asked: int, given: int) -> None:
        """Remember a server cap on `nbperpage` for the next searches, and say so once."""
        if self._page_cap is None or given < self._page_cap:
            self._page_cap = given
            self._session.log(
                "WARNING",
                f"Ogust {method} returned {given} records per page when asked for {asked}: "
                f"set OGUST_PAGE_SIZE={given} to save a request per search",
                ogustMethod=method,
                pageSizeAsked=asked,
                pageSizeGiven=given,
            )

    def _valid_token(self, stale: str | None = None) -> str:
        """The cached token, or a new one; the lock makes N waiting threads share one getToken."""
        with self._token_lock:
            if self._token is not None and self._token != stale and self._clock() < self._token_expires:
                return self._token
            self._token = None
            started = self._clock()
            token = self._fetch_token()
            self._token, self._token_expires = token, started + self._token_ttl
            # The previous tokens stay masked too: a KO may echo the stale token it refused.
            self._secrets = (*self._secrets[:2], token, *self._secrets[2:4])
            return token

    def _fetch_token(self) -> str:
        """getToken; on KO re-read the keys once (they may have been rotated) and try again."""
        envelope = self._request_token(self._keys.keys())
        if envelope["status"] == "KO":
            self._session.log(
                "WARNING",
                "Ogust getToken refused the keys; re-reading them and trying once more",
                ogustMethod=TOKEN_METHOD,
                ogustMessage=self._message(envelope),
            )
            self._keys.invalidate()
            envelope = self._request_token(self._keys.keys())
            if envelope["status"] == "KO":
                raise OgustAuthError(
                    "Ogust refused the API keys (getToken answered KO, also after re-reading the keys)",
                    method=TOKEN_METHOD,
                    ogust_message=self._message(envelope),
                )
        token = envelope.get("token")
        if not isinstance(token, str) or not token:
            raise unavailable("Ogust getToken answered OK without a token", method=TOKEN_METHOD)
        return token

    def _request_token(self, keys: OgustKeys) -> dict[str, Any]:
        """One signed getToken exchange; every attempt gets a fresh time and signature."""
        self._secrets = (keys.public_key, keys.private_key, *self._secrets[2:])
        return self._session.exchange(TOKEN_METHOD, lambda: token_params(keys, self._token_zone))

    def _refuses_token(self, envelope: dict[str, Any]) -> bool:
        return envelope["status"] == "KO" and self._token_error.search(self._message(envelope)) is not None

    def _accepted(self, method: str, envelope: dict[str, Any]) -> dict[str, Any]:
        if envelope["status"] == "KO":
            message = self._message(envelope)
            if method.lower() == TOKEN_METHOD.lower():
                raise OgustAuthError(
                    f"Ogust refused the API keys: {message}", method=method, ogust_message=message
                )
            raise OgustRejectedError(
                f"Ogust {method} answered KO: {message}", method=method, ogust_message=message
            )
        return envelope

    def _message(self, envelope: dict[str, Any]) -> str:
        """Ogust's KO message, with any key or token it might echo masked."""
        return self._redact(str(envelope.get("message") or "(no message)"))

    def _redact(self, text: str) -> str:
        """`text` with the keys and the current token masked (Ogust might echo them)."""
        for secret in self._secrets:
            if len(secret) >= 4:
                text = text.replace(secret, "***")
        return text
