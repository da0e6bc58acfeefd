"""The receiver in sync mode as Cloud Functions runs it (functions-framework, gunicorn threads),
in its own process, on the module's Ogust sandbox."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from ogust_sandbox import Sandbox
from tests.support.function import ROOT, SETTINGS_TO_CLEAR
from tests.support.functions import FunctionProcess
from tests.support.receivers import receiver_env


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
