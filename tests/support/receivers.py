"""The function processes' side of a test (`functions.py` starts them): the environment of a receiver
in sync mode on the sandbox, a body signed as the Apps Script sender signs it and sent over HTTP, and
the memory a process holds."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

import httpx

from ogust_sandbox import Sandbox
from shared.webhook import signed_headers
from tests.support.function import SECRET, SETTINGS_TO_CLEAR, sync_env


def receiver_env(sandbox: Sandbox, **extra: str) -> dict[str, str]:
    """The environment of a receiver process: this shell's, in sync mode on `sandbox`."""
    base = {k: v for k, v in os.environ.items() if k not in SETTINGS_TO_CLEAR}
    return {**base, **sync_env(sandbox, OGUST_TIMEOUT_SECONDS="5", **extra)}


def signed(payload: dict[str, Any] | bytes) -> tuple[bytes, dict[str, str]]:
    """A body and the headers the Apps Script sender would attach to it."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = signed_headers(SECRET, "msg_" + uuid.uuid4().hex, body)
    return body, {**headers, "Content-Type": "application/json"}


def send(http: httpx.Client, url: str, payload: dict[str, Any] | bytes) -> httpx.Response:
    body, headers = signed(payload)
    return http.post(url, content=body, headers=headers)


def rss_kib(pid: int) -> int:
    """Resident memory of a process and its children, in KiB (Linux /proc)."""
    total = 0
    for candidate in [pid, *children(pid)]:
        status = Path(f"/proc/{candidate}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(c) for c in task.read_text().split()]
    return found + [g for c in found for g in children(c)]
