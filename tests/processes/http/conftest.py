"""The receiver in sync mode as Cloud Functions runs it (functions-framework, gunicorn threads),
in its own process, on the module's Ogust sandbox."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ogust_sandbox import Sandbox
from shared.webhook import signed_headers
from tests.sockets.function.conftest import ROOT, SECRET, SETTINGS_TO_CLEAR, sync_env
from tests.support.functions import FunctionProcess


def receiver_env(sandbox: Sandbox, **extra: str) -> dict[str, str]:
    """The environment of a receiver process: this shell's, in sync mode on `sandbox`."""
    base = {k: v for k, v in os.environ.items() if k not in SETTINGS_TO_CLEAR}
    return {**base, **sync_env(sandbox, OGUST_TIMEOUT_SECONDS="5", **extra)}


@pytest.fixture(scope="module")
def receiver(sandbox_server: Sandbox, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FunctionProcess]:
    """One receiver process for the module: 8 threads, a body must arrive within 1 s."""
    log = tmp_path_factory.mktemp("receiver") / "receiver.log"
    env = receiver_env(sandbox_server, BODY_TIMEOUT_SECONDS="1", THREADS="8")
    process = FunctionProcess("receive_submission", env, log).start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture(scope="module")
def worker(sandbox_server: Sandbox, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FunctionProcess]:
    """A worker process (queue mode's `process_submission`), memory ledger, bodies within 1 s."""
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    env = receiver_env(
        sandbox_server,
        BODY_TIMEOUT_SECONDS="1",
        GOOGLE_CLOUD_PROJECT="demo-limits",
        DEAD_LETTER_TOPIC="form-submissions-dead-letters",
    )
    env.pop("WEBHOOK_SECRET")  # the worker needs none
    process = FunctionProcess("process_submission", env, log).start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture(scope="module")
def reconciler(
    sandbox_server: Sandbox, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FunctionProcess]:
    """A reconciler process; its Forms API and Pub/Sub are never reached by the requests sent here."""
    log = tmp_path_factory.mktemp("reconciler") / "reconciler.log"
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_TO_CLEAR}
    env.update(
        MAPPING_FILE=str(ROOT / "examples" / "satisfaction.yaml"),
        GOOGLE_CLOUD_PROJECT="demo-limits",
        SUBMISSIONS_TOPIC="form-submissions",
        FORMS_WATCH_TOPIC="projects/demo-limits/topics/forms-watch",
        FORMS_API_ENDPOINT=sandbox_server.url,
        BODY_TIMEOUT_SECONDS="1",
    )
    process = FunctionProcess("reconcile_forms", env, log).start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def fresh_receiver(sandbox: Sandbox, tmp_path: Path) -> Iterator[FunctionProcess]:
    """A receiver of its own, started after the sandbox was emptied (so its token is a valid one)."""
    env = receiver_env(sandbox, BODY_TIMEOUT_SECONDS="1", THREADS="8")
    process = FunctionProcess("receive_submission", env, tmp_path / "receiver.log").start()
    try:
        yield process
    finally:
        process.stop()


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
