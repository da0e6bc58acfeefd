"""Access tokens for the Google APIs (Forms, Sheets): the function's own service account
(google-auth, from the metadata server in the cloud, Application Default Credentials on a laptop),
or none at all for a local fake (FORMS_API_ENDPOINT, SHEETS_API_ENDPOINT).

google-auth is imported on the first token only (it is not needed to start the function), and its
token requests go through our httpx client rather than `requests`, which it would import otherwise.
"""

from __future__ import annotations

import threading
from typing import Any, Protocol

import httpx

from shared.errors import ConfigError, DeliveryUnavailableError

ANONYMOUS = "the caller (no credentials: FORMS_API_ENDPOINT is a local fake)"


class TokenSource(Protocol):
    """Gives the `Authorization` header of the next request (None: send none)."""

    def header(self) -> str | None: ...

    @property
    def principal(self) -> str:
        """Who the API sees, for messages: the service account's e-mail when known."""
        ...


class Anonymous:
    """No token: the local fake does not ask for one."""

    principal = ANONYMOUS

    def header(self) -> str | None:
        return None


class GoogleCredentials:
    """`google.auth.default()` with the API's scopes, refreshed before it expires, thread-safe."""

    def __init__(
        self,
        http: httpx.Client,
        credentials: Any = None,
        *,
        scopes: tuple[str, ...],
        api: str,
    ) -> None:
        self._http = http
        self._credentials = credentials
        self._scopes = scopes
        self._api = api
        """The API's name in messages: "Forms", "Sheets"."""
        self._lock = threading.Lock()

    @property
    def principal(self) -> str:
        email = getattr(self._credentials, "service_account_email", None)
        if isinstance(email, str) and "@" in email:
            # Logs mask e-mail addresses: say the account once more in a shape they keep readable.
            account, domain = email.split("@", 1)
            return f"{email} (account '{account}' at {domain})"
        return "the function's service account (its e-mail is on the function's page in the console)"

    def header(self) -> str | None:
        with self._lock:
            credentials = self._get()
            if not credentials.valid:
                self._refresh(credentials)
            return f"Bearer {credentials.token}"

    def _get(self) -> Any:
        if self._credentials is None:
            import google.auth
            from google.auth import exceptions

            try:
                self._credentials, _ = google.auth.default(scopes=list(self._scopes))
            except exceptions.DefaultCredentialsError as exc:
                raise ConfigError(
                    f"no Google credentials for the {self._api} API ({exc}); in the cloud the function's "
                    "service account is used, on a laptop run `gcloud auth application-default login`"
                ) from None
        return self._credentials

    def _refresh(self, credentials: Any) -> None:
        from google.auth import exceptions

        try:
            credentials.refresh(_auth_request(self._http))
        except exceptions.TransportError as exc:
            raise DeliveryUnavailableError(
                f"no {self._api} API token: the token service did not answer ({type(exc).__name__})"
            ) from None
        except exceptions.RefreshError as exc:
            raise ConfigError(f"no {self._api} API token for {self.principal}: {exc}") from None


def _auth_request(http: httpx.Client) -> Any:
    """A `google.auth.transport.Request` over httpx (google-auth's own would import requests)."""
    from google.auth import exceptions, transport

    class Response(transport.Response):
        def __init__(self, answer: httpx.Response) -> None:
            self._answer = answer

        @property
        def status(self) -> int:
            return self._answer.status_code

        @property
        def headers(self) -> dict[str, str]:
            return dict(self._answer.headers)

        @property
        def data(self) -> bytes:
            return self._answer.content

    class Request(transport.Request):
        def __call__(
            self,
            url: str,
            method: str = "GET",
            body: bytes | None = None,
            headers: dict[str, str] | None = None,
            timeout: float | None = None,
            **_: Any,
        ) -> Response:
            try:
                answer = http.request(method, url, content=body, headers=headers, timeout=timeout or 30)
            except httpx.HTTPError as exc:
                raise exceptions.TransportError(f"{type(exc).__name__}: {exc}") from None  # type: ignore[no-untyped-call]
            return Response(answer)

    return Request()
