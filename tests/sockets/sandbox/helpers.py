"""Raw HTTP calls to the sandbox, independent of shared.ogust."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any
from urllib.parse import urlencode

import httpx

from ogust_sandbox import Sandbox

TIME = "20240115130005.123456"


def signature(public_key: str, private_key: str, time_str: str = TIME) -> str:
    """The getToken signature, computed here without shared.ogust."""
    message = f"{public_key}+GET_TOKEN+{time_str}".encode()
    return hmac.new(private_key.encode(), message, hashlib.sha1).hexdigest().upper()


def post(
    sandbox: Sandbox, method: str, params: dict[str, Any] | None = None, **kwargs: Any
) -> dict[str, Any]:
    """POST `?method=` with a JSON body (or `data=`/`content=` passed through) and return the JSON."""
    body = kwargs or {"json": params or {}}
    response = httpx.post(sandbox.url, params={"method": method}, timeout=5.0, **body)
    assert response.status_code == 200
    data: dict[str, Any] = response.json()
    return data


def post_form(sandbox: Sandbox, method: str, fields: dict[str, str]) -> dict[str, Any]:
    """POST `?method=` with a form-encoded body, as PHP's $_POST reads it, and return the JSON."""
    return post(
        sandbox,
        method,
        content=urlencode(fields).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )


def token(sandbox: Sandbox) -> str:
    """A valid token obtained with the sandbox keys."""
    answer = post(
        sandbox,
        "getToken",
        {
            "key": sandbox.keys.public_key,
            "request": "GET_TOKEN",
            "time": TIME,
            "api_signature": signature(*sandbox.keys),
        },
    )
    assert answer["status"] == "OK", answer
    value: str = answer["token"]
    return value


def call(sandbox: Sandbox, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    """A call with a fresh valid token."""
    return post(sandbox, method, {**(params or {}), "token": token(sandbox)})
