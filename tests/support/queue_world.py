"""The queue path for real: Pub/Sub and Firestore emulators, the receiver and the worker as
functions-framework processes (as Cloud Functions runs them), and the Ogust sandbox.

Each test gets its own Google Cloud project id, so topics, subscriptions and ledger documents of
one test never meet another's; the emulators themselves are started once per session. The
`world` fixture (at the end) builds one per test.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ogust_sandbox import Sandbox
from scripts.processes import free_port
from shared.webhook import signed_headers
from tests.support.emulators import Emulator
from tests.support.function import SECRET
from tests.support.functions import FunctionProcess, wait_until

ROOT = Path(__file__).resolve().parents[2]
SATISFACTION = ROOT / "examples" / "satisfaction.yaml"
SETTINGS = (
    "OGUST_API_URL",
    "OGUST_PUBLIC_KEY",
    "OGUST_PRIVATE_KEY",
    "OGUST_KEYS_SECRET",
    "WEBHOOK_SECRET",
    "WEBHOOK_SECRET_NAME",
    "MAPPING_FILE",
    "DELIVERY_MODE",
    "SUBMISSIONS_TOPIC",
    "DEAD_LETTER_TOPIC",
    "DEAD_LETTER_SUBSCRIPTION",
    "LEDGER",
    "FIRESTORE_DATABASE",
    "GOOGLE_CLOUD_PROJECT",
    "FUNCTION_TARGET",
)


def push_body(payload: dict[str, Any], message_id: str) -> bytes:
    """The body Pub/Sub pushes for one queued submission."""
    data = base64.b64encode(json.dumps(payload).encode()).decode()
    attributes = {"responseId": payload["responseId"], "formId": payload["formId"]}
    message = {
        "data": data,
        "attributes": attributes,
        "messageId": message_id,
        "publishTime": "2026-11-28T09:15:01Z",
    }
    return json.dumps({"message": message, "subscription": "projects/p/subscriptions/s"}).encode()


class QueueWorld:
    """Topics, subscriptions, the receiver and the worker of one test, in their own project."""

    SUBMISSIONS = "form-submissions"
    DEAD_LETTERS = "form-submissions-dead-letters"
    PUSH = "form-submissions-push"
    DEAD_LETTER_SUB = "form-submissions-dead-letters-sub"

    def __init__(self, sandbox: Sandbox, pubsub: Emulator, firestore: Emulator, tmp: Path) -> None:
        self.sandbox = sandbox
        self.project = f"demo-{uuid.uuid4().hex[:12]}"
        self.pubsub = pubsub
        self.firestore = firestore
        self.tmp = tmp
        self.worker_port = free_port()
        self.processes: list[FunctionProcess] = []
        self.worker: FunctionProcess | None = None
        self.receiver: FunctionProcess | None = None
        self.http = httpx.Client(timeout=30)

    def env(self) -> dict[str, str]:
        """What a shell of this project holds: the emulators and the project id."""
        base = {k: v for k, v in os.environ.items() if k not in SETTINGS}
        return {
            **base,
            "PUBSUB_EMULATOR_HOST": self.pubsub.host,
            "FIRESTORE_EMULATOR_HOST": self.firestore.host,
            "GOOGLE_CLOUD_PROJECT": self.project,
        }

    def path(self, kind: str, name: str) -> str:
        return f"projects/{self.project}/{kind}/{name}"

    def create_topics(self, *, max_delivery_attempts: int = 5) -> None:
        """Both topics, the worker's push subscription (ordering, retry and dead-letter policies)
        and the pull subscription on the dead-letter topic."""
        from google.cloud import pubsub_v1
        from google.protobuf import duration_pb2

        publisher = pubsub_v1.PublisherClient()
        subscriber = pubsub_v1.SubscriberClient()
        for topic in (self.SUBMISSIONS, self.DEAD_LETTERS):
            publisher.create_topic(name=self.path("topics", topic))
        subscriber.create_subscription(
            request={
                "name": self.path("subscriptions", self.PUSH),
                "topic": self.path("topics", self.SUBMISSIONS),
                "push_config": {"push_endpoint": f"http://127.0.0.1:{self.worker_port}/"},
                "ack_deadline_seconds": 30,
                "enable_message_ordering": True,
                # Short backoff for the tests; production uses 10 s → 600 s (docs/operations.md).
                "retry_policy": {
                    "minimum_backoff": duration_pb2.Duration(seconds=1),
                    "maximum_backoff": duration_pb2.Duration(seconds=5),
                },
                "dead_letter_policy": {
                    "dead_letter_topic": self.path("topics", self.DEAD_LETTERS),
                    "max_delivery_attempts": max_delivery_attempts,
                },
            }
        )
        subscriber.create_subscription(
            request={
                "name": self.path("subscriptions", self.DEAD_LETTER_SUB),
                "topic": self.path("topics", self.DEAD_LETTERS),
                "ack_deadline_seconds": 30,
            }
        )

    def start_worker(self, mapping: Path = SATISFACTION, *, port: int | None = None) -> FunctionProcess:
        """A worker; the first one is the push subscription's endpoint, others (`port`) are extra
        instances sharing the same Firestore ledger and leases."""
        env = {
            **self.env(),
            "OGUST_API_URL": self.sandbox.url,
            "OGUST_PUBLIC_KEY": self.sandbox.keys[0],
            "OGUST_PRIVATE_KEY": self.sandbox.keys[1],
            "MAPPING_FILE": str(mapping),
            "DEAD_LETTER_TOPIC": self.DEAD_LETTERS,
            "LEDGER": "firestore",
            "OGUST_TIMEOUT_SECONDS": "2",
        }
        log = self.tmp / f"worker-{port or self.worker_port}.log"
        process = FunctionProcess("process_submission", env, log, port=port or self.worker_port).start()
        self.processes.append(process)
        if port is None:
            self.worker = process
        return process

    def start_receiver(self, mapping: Path = SATISFACTION, topic: str | None = None) -> FunctionProcess:
        # No Ogust URL and no Ogust key: the receiver in queue mode must not need them.
        env = {
            **self.env(),
            "DELIVERY_MODE": "queue",
            "WEBHOOK_SECRET": SECRET,
            "MAPPING_FILE": str(mapping),
            "SUBMISSIONS_TOPIC": topic or self.SUBMISSIONS,
        }
        self.receiver = FunctionProcess("receive_submission", env, self.tmp / "receiver.log").start()
        self.processes.append(self.receiver)
        return self.receiver

    def post(self, payload: dict[str, Any]) -> httpx.Response:
        """POST a submission to the receiver, signed as the Apps Script sender signs it."""
        assert self.receiver is not None
        body = json.dumps(payload).encode()
        headers = signed_headers(SECRET, "msg_" + uuid.uuid4().hex, body)
        return self.http.post(
            self.receiver.url, content=body, headers={**headers, "Content-Type": "application/json"}
        )

    def pull_dead_letters(self) -> list[Any]:
        """Messages waiting on the dead-letter subscription (left there: not acknowledged)."""
        from google.api_core import exceptions as gexc
        from google.cloud import pubsub_v1

        subscriber = pubsub_v1.SubscriberClient()
        subscription = self.path("subscriptions", self.DEAD_LETTER_SUB)
        try:
            response = subscriber.pull(request={"subscription": subscription, "max_messages": 100}, timeout=1)
        except gexc.DeadlineExceeded:
            return []
        received = list(response.received_messages)
        if received:
            subscriber.modify_ack_deadline(
                request={
                    "subscription": subscription,
                    "ack_ids": [m.ack_id for m in received],
                    "ack_deadline_seconds": 0,
                }
            )
        return [m.message for m in received]

    def wait_for_dead_letters(self, timeout: float, what: str, interval: float = 0.3) -> list[Any]:
        """The dead letters once there is at least one (an AssertionError naming `what` after `timeout`)."""
        letters: list[Any] = []

        def parked() -> bool:
            letters[:] = self.pull_dead_letters()
            return bool(letters)

        wait_until(parked, timeout, what, interval=interval)
        return letters

    def close(self) -> None:
        # The push subscription first: the emulator then stops calling the worker while it stops.
        from google.cloud import pubsub_v1

        with contextlib.suppress(Exception):
            pubsub_v1.SubscriberClient().delete_subscription(
                request={"subscription": self.path("subscriptions", self.PUSH)}, timeout=5
            )
        for process in self.processes:
            process.stop()
        self.http.close()


@pytest.fixture
def world(
    sandbox: Sandbox,
    pubsub_emulator: Emulator,
    firestore_emulator: Emulator,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[QueueWorld]:
    """An empty sandbox, fresh topics and subscriptions; the receiver and worker started by the test."""
    the_world = QueueWorld(sandbox, pubsub_emulator, firestore_emulator, tmp_path)
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    for name, value in the_world.env().items():
        monkeypatch.setenv(name, value)
    the_world.create_topics()
    try:
        yield the_world
    finally:
        the_world.close()
