"""Single Ogust requests with explicit encoding and clock, answered as they came (no retry, no policy).

The doctor looks at what Ogust really answers (HTTP status, envelope, KO text), so it does not go
through the client's interpretation; it reuses the client's signature and body encoding only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

import httpx

from shared.ogust import (
    TOKEN_ZONES,
    BodyEncoding,
    OgustKeys,
    form_body,
    sign_token_request,
    token_time,
)

PROBE_TOKEN = "0" * 40
"""What a token looks like (40 characters, docs/ogust-api.md §2), but one Ogust never issued."""


class Unreachable(Exception):
    """No HTTP answer at all: the doctor cannot run."""


@dataclass(frozen=True)
class Answer:
    """What one request got back: the HTTP status and the envelope, if the body was one."""

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


class RawOgust:
    """Requests to one Ogust URL with one key pair; every text it hands out has the secrets masked."""

    def __init__(
        self,
        api_url: str,
        keys: OgustKeys,
        *,
        timeout: float,
        encoding: BodyEncoding,
        zone: str,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._url = httpx.URL(api_url)
        self._keys = keys
        self.encoding: BodyEncoding = encoding
        self.zone = zone
        self._http = httpx.Client(
            timeout=timeout,
            transport=transport,
            verify=self._url.scheme == "https",
            headers={"Accept": "application/json", "User-Agent": "forms-to-ogust doctor"},
        )
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

    def post(self, method: str, params: dict[str, Any], *, encoding: BodyEncoding | None = None) -> Answer:
        """One POST `?method=`; Unreachable when no HTTP answer came."""
        url = self._url.copy_merge_params({"method": method})
        self.calls += 1
        try:
            if (encoding or self.encoding) == "form":
                response = self._http.post(
                    url,
                    content=form_body(params),
                    headers={"Content-Type": "application/x-www-form-urlencoded"},
                )
            else:
                response = self._http.post(url, json=params)
        except httpx.HTTPError as exc:
            raise Unreachable(f"{type(exc).__name__} calling {method} on {self._url.host}") from None
        try:
            body: Any = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and str(body.get("status", "")).upper() in ("OK", "KO"):
            envelope = {**body, "status": str(body["status"]).upper()}
            if "message" in envelope:
                envelope["message"] = self.redact(str(envelope["message"]))
            return Answer(response.status_code, envelope)
        return Answer(response.status_code, None, self.redact(response.text[:80]))

    def get_token(self, encoding: BodyEncoding, zone: str) -> Answer:
        """getToken signed with `zone`'s clock, sent in `encoding`; a token it gets is kept for calls."""
        time_str = token_time(zone=_zone(zone))
        params = {
            "key": self._keys.public_key,
            "request": "GET_TOKEN",
            "time": time_str,
            "api_signature": sign_token_request(self._keys, time_str),
        }
        answer = self.post("getToken", params, encoding=encoding)
        token = answer.envelope.get("token") if answer.ok and answer.envelope else None
        if isinstance(token, str) and token:
            self._secrets.append(token)
            if encoding == self.encoding and zone == self.zone:
                self._token = token
        return answer

    def use(self, encoding: BodyEncoding, zone: str) -> None:
        """Send the next calls this way (the variant getToken accepted)."""
        if (encoding, zone) != (self.encoding, self.zone):
            self.encoding, self.zone, self._token = encoding, zone, None

    def token(self) -> str:
        """A token obtained with the current variant (getToken when there is none yet)."""
        if self._token is None:
            answer = self.get_token(self.encoding, self.zone)
            if self._token is None:
                raise Unreachable(f"getToken refused: {answer.message}")
        return self._token

    def call(self, method: str, params: dict[str, Any] | None = None, *, token: str | None = None) -> Answer:
        """A call with our token (or the one given)."""
        return self.post(method, {**(params or {}), "token": token or self.token()})


def _zone(name: str) -> tzinfo:
    return TOKEN_ZONES[name]
