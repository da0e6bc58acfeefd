"""The wire layer: one request to Ogust as it goes and as it comes back, with no retry and no
interpretation (docs/ogust-api.md §1, §2, §4, §5).

What goes: the body in either encoding, the signed getToken parameters. What comes back: the HTTP
status and the `{"status": "OK"|"KO", …}` envelope, if the body is one. The client's `Session` puts
its retry and error policy on top of these; the doctor uses them bare (`OgustWire`), because it must
see what Ogust really answers, read with the very readers the client uses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any, ClassVar

import httpx

from shared.errors import OgustAuthError, OgustUnavailableError
from shared.ogust import _shapes
from shared.ogust._encoding import FORM_CONTENT_TYPE, BodyEncoding, form_body
from shared.ogust._keys import TOKEN_ZONES, OgustKeys, sign_token_request, token_time
from shared.ogust._options import THIRD_PARTY_PAGE_SIZE

TOKEN_METHOD = "getToken"  # noqa: S105 (a method name)


def http_client(
    url: httpx.URL, *, timeout: float, transport: httpx.BaseTransport | None, user_agent: str
) -> httpx.Client:
    """A keep-alive client for `url`; the CA bundle is loaded only for https (~45 ms at start, which a
    plain-http URL, the sandbox, never needs)."""
    return httpx.Client(
        timeout=httpx.Timeout(timeout),
        transport=transport,
        verify=url.scheme == "https",
        headers={"Accept": "application/json", "User-Agent": user_agent},
    )


def send(
    http: httpx.Client, url: httpx.URL, params: Mapping[str, Any], encoding: BodyEncoding
) -> httpx.Response:
    """One POST of `params` in `encoding` (httpx errors propagate: the caller decides what they mean)."""
    if encoding == "form":
        return http.post(url, content=form_body(params), headers={"Content-Type": FORM_CONTENT_TYPE})
    return http.post(url, json=dict(params))


def envelope_of(response: httpx.Response) -> dict[str, Any] | None:
    """The `{"status": "OK"|"KO", ...}` body with its status upper-cased, or None."""
    try:
        body: Any = response.json()
    except ValueError:
        return None
    if isinstance(body, dict) and str(body.get("status", "")).upper() in ("OK", "KO"):
        return {**body, "status": str(body["status"]).upper()}
    return None


def token_params(keys: OgustKeys, zone: tzinfo) -> dict[str, str]:
    """getToken's parameters, signed with `zone`'s wall time now (a fresh time for every request)."""
    time_str = token_time(zone=zone)
    return {
        "key": keys.public_key,
        "request": "GET_TOKEN",
        "time": time_str,
        "api_signature": sign_token_request(keys, time_str),
    }


def custom_read_params(third_party: str, third_party_id: str, *, paged: bool = True) -> dict[str, Any]:
    """getThirdPartyInformations' parameters: with `nbperpage`/`pagenum` like every public caller
    (docs/ogust-api.md), as the client sends them; `paged=False` for the doctor's comparison."""
    params: dict[str, Any] = {"third_party": third_party, "third_party_id": third_party_id}
    if paged:
        params.update(nbperpage=THIRD_PARTY_PAGE_SIZE, pagenum=1)
    return params


@dataclass(frozen=True)
class Reply:
    """What one request got back: the HTTP status and the envelope, if the body was one; read with
    the client's own readers, so the doctor and the product never disagree on what Ogust said."""

    http_status: int
    envelope: dict[str, Any] | None
    body_start: str = ""
    """The first characters of a body that is not an envelope (an HTML page, a PHP error)."""

    @property
    def ok(self) -> bool:
        return self.envelope is not None and self.envelope.get("status") == "OK"

    @property
    def ko(self) -> bool:
        return self.envelope is not None and self.envelope.get("status") == "KO"

    @property
    def message(self) -> str:
        """Ogust's KO text, or a description of what came instead."""
        if self.envelope is not None:
            return str(self.envelope.get("message") or "")
        return f"HTTP {self.http_status} without an Ogust answer" + (
            f": {self.body_start!r}" if self.body_start else ""
        )

    @property
    def token(self) -> str | None:
        """The token of an OK getToken, if it has one."""
        token = self.envelope.get("token") if self.ok and self.envelope else None
        return token if isinstance(token, str) and token else None

    def page(self, array_key: str = "array_customer") -> tuple[list[dict[str, Any]], int | None]:
        """The records and `pagination.count` of an OK search* (nothing when not OK)."""
        return _shapes.search_page(self.envelope, array_key) if self.ok else ([], None)

    def custom_values(self) -> dict[str, str]:
        """The code → value custom fields of an OK get/setThirdPartyInformations (`{}` otherwise)."""
        return _shapes.third_party_values(self.envelope) if self.ok else {}

    def list_entries(self) -> dict[str, str] | None:
        """The code → label entries of an OK getList; None when the answer holds no list."""
        entries = self.envelope.get("list") if self.ok and self.envelope else None
        return _shapes.string_map(entries) if isinstance(entries, dict) else None


class OgustWire:
    """Single requests to one Ogust URL with one key pair, answered as they came (no retry, no
    policy); every text it hands out has the keys and the tokens it was issued masked."""

    CUSTOM_PAGE_SIZE: ClassVar[int] = THIRD_PARTY_PAGE_SIZE
    """The `nbperpage` the client reads custom fields with (`read_custom`)."""

    def __init__(
        self,
        api_url: str,
        keys: OgustKeys,
        *,
        timeout: float,
        encoding: BodyEncoding,
        zone: str,
        transport: httpx.BaseTransport | None = None,
        user_agent: str = "forms-to-ogust doctor",
    ) -> None:
        self._url = httpx.URL(api_url)
        self._keys = keys
        self.encoding: BodyEncoding = encoding
        self.zone = zone
        self._http = http_client(self._url, timeout=timeout, transport=transport, user_agent=user_agent)
        self._token: str | None = None
        self._secrets = [keys.public_key, keys.private_key]
        self.calls = 0

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def redact(self, text: str) -> str:
        """`text` without the keys or any token issued to us."""
        for secret in self._secrets:
            if len(secret) >= 4:
                text = text.replace(secret, "***")
        return text

    def post(self, method: str, params: Mapping[str, Any], *, encoding: BodyEncoding | None = None) -> Reply:
        """One POST `?method=`; OgustUnavailableError when no HTTP answer came at all."""
        url = self._url.copy_merge_params({"method": method})
        self.calls += 1
        try:
            response = send(self._http, url, params, encoding or self.encoding)
        except httpx.HTTPError as exc:
            raise OgustUnavailableError(
                f"{type(exc).__name__} calling {method} on {self._url.host}", method=method
            ) from None
        envelope = envelope_of(response)
        if envelope is None:
            return Reply(response.status_code, None, self.redact(response.text[:80]))
        if "message" in envelope:
            envelope["message"] = self.redact(str(envelope["message"]))
        return Reply(response.status_code, envelope)

    def get_token(self, encoding: BodyEncoding, zone: str) -> Reply:
        """getToken signed with `zone`'s clock (a name of TOKEN_ZONES), sent in `encoding`; a token it
        gets is kept for the calls when the variant is the current one."""
        reply = self.post(TOKEN_METHOD, token_params(self._keys, TOKEN_ZONES[zone]), encoding=encoding)
        if reply.token is not None:
            self._secrets.append(reply.token)
            if encoding == self.encoding and zone == self.zone:
                self._token = reply.token
        return reply

    def use(self, encoding: BodyEncoding, zone: str) -> None:
        """Send the next calls this way (the variant getToken accepted)."""
        if (encoding, zone) != (self.encoding, self.zone):
            self.encoding, self.zone, self._token = encoding, zone, None

    def token(self) -> str:
        """A token obtained with the current variant (getToken when there is none yet)."""
        if self._token is None:
            reply = self.get_token(self.encoding, self.zone)
            if self._token is None:
                raise OgustAuthError(f"getToken refused: {reply.message}", method=TOKEN_METHOD)
        return self._token

    def read_custom(self, third_party: str, third_party_id: str, *, paged: bool = True) -> Reply:
        """getThirdPartyInformations as the client sends it (or, `paged=False`, without paging)."""
        return self.call(
            "getThirdPartyInformations", custom_read_params(third_party, third_party_id, paged=paged)
        )

    def call(
        self, method: str, params: Mapping[str, Any] | None = None, *, token: str | None = None
    ) -> Reply:
        """A call with our token (or the one given)."""
        return self.post(method, {**(params or {}), "token": token or self.token()})
