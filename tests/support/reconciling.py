"""Reconciliation's world for the queue tests: a queue world (queue_world.py) with `reconcile_forms`
as a functions-framework process and the fake Forms API it reads, and its `rec` fixture."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from forms_sandbox import FormsSandbox
from scripts.processes import free_port
from shared.delivery.watermarks import FirestoreWatermarks
from tests.support.forms_fixtures import FORM_ID, satisfaction_mapping
from tests.support.functions import FunctionProcess, wait_until
from tests.support.queue_world import QueueWorld

WATCH_TOPIC = "forms-watch"
ACKED = {"created", "updated", "unchanged", "skipped", "dead-lettered"}


class Reconciling:
    """A queue world with `reconcile_forms` and the fake Forms API it reads."""

    def __init__(self, world: QueueWorld, forms_api: FormsSandbox, tmp: Path) -> None:
        self.world = world
        self.forms_api = forms_api
        self.mapping = satisfaction_mapping(tmp)
        self.port = free_port()
        self.reconciler: FunctionProcess | None = None
        self.http = httpx.Client(timeout=60)

    @property
    def watch_topic(self) -> str:
        return self.world.path("topics", WATCH_TOPIC)

    def start(self, *, receiver: bool = False) -> Reconciling:
        self.world.start_worker(mapping=self.mapping)
        if receiver:
            self.world.start_receiver(mapping=self.mapping)
        env = {
            **self.world.env(),
            "MAPPING_FILE": str(self.mapping),
            "SUBMISSIONS_TOPIC": self.world.SUBMISSIONS,
            "LEDGER": "firestore",
            "FORMS_WATCH_TOPIC": self.watch_topic,
            "FORMS_API_ENDPOINT": self.forms_api.url,
        }
        log = self.world.tmp / "reconciler.log"
        self.reconciler = FunctionProcess("reconcile_forms", env, log, port=self.port).start()
        self.world.processes.append(self.reconciler)
        return self

    def run(self, body: bytes = b"") -> httpx.Response:
        """POST as Cloud Scheduler does (its body is free text; none here)."""
        assert self.reconciler is not None
        return self.http.post(self.reconciler.url, content=body)

    def customers(self) -> list[dict[str, Any]]:
        return self.world.sandbox.customers()

    def creations(self) -> int:
        writes = self.world.sandbox.writes()
        return sum(1 for w in writes if w["method"] == "setCustomer" and not w["params"].get("id_customer"))

    def wait_customers(self, count: int, timeout: float = 60) -> None:
        wait_until(lambda: len(self.customers()) >= count, timeout, f"{count} customers in Ogust", 0.2)

    def acked(self) -> int:
        """Messages the worker has finished with (acknowledged), each counted once."""
        assert self.world.worker is not None
        return len({e.get("messageId") for e in self.world.worker.entries() if e.get("status") in ACKED})

    def failures(self) -> list[dict[str, Any]]:
        assert self.reconciler is not None
        return [e for e in self.reconciler.entries() if e.get("status") == "failed"]

    def watermark(self) -> Any:
        mark = FirestoreWatermarks(self.world.project).get(FORM_ID)
        return mark.at if mark else None


@pytest.fixture
def rec(world: QueueWorld, forms_api: FormsSandbox, tmp_path: Path) -> Iterator[Reconciling]:
    reconciling = Reconciling(world, forms_api, tmp_path)
    try:
        yield reconciling
    finally:
        forms_api.store.notify = None
        reconciling.http.close()
