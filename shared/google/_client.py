"""What each Google API client holds the same way: its endpoint, one httpx client and one token
source per process (none against a local fake), the caller's identity for messages."""

from __future__ import annotations

from typing import Any, ClassVar, Self

import httpx

from shared.google._auth import Anonymous, GoogleCredentials, TokenSource
from shared.google._rest import GoogleCall, send


class GoogleApiClient:
    """The base of the Forms and Sheets clients: their connections and token are shared by every call."""

    API: ClassVar[str]
    """The API's name in messages: "Forms", "Sheets"."""
    SCOPES: ClassVar[tuple[str, ...]]
    DEFAULT_ENDPOINT: ClassVar[str]
    DEFAULT_TIMEOUT: ClassVar[float]
    """Seconds per call."""

    def __init__(
        self,
        endpoint: str | None = None,
        *,
        credentials: Any = None,
        timeout: float | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        """`endpoint` alone (no `credentials`): a local fake, called without a token."""
        self.endpoint = (endpoint or self.DEFAULT_ENDPOINT).rstrip("/")
        timeout = self.DEFAULT_TIMEOUT if timeout is None else timeout
        self._http = httpx.Client(timeout=timeout, transport=transport)
        self._tokens: TokenSource
        if endpoint and credentials is None:
            # a local fake (FORMS_API_ENDPOINT, SHEETS_API_ENDPOINT): no Google account needed
            self._tokens = Anonymous()
        else:
            self._tokens = GoogleCredentials(self._http, credentials, scopes=self.SCOPES, api=self.API)

    @property
    def principal(self) -> str:
        """Who the API sees: the e-mail to share the form or the spreadsheet with."""
        return self._tokens.principal

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _send(
        self, method: str, path: str, call: GoogleCall, *, params: dict[str, str] | None, json: Any
    ) -> httpx.Response:
        """One call with this client's token: its answer, whatever the status."""
        return send(
            self._http, self._tokens.header(), method, self.endpoint + path, call, params=params, json=json
        )
