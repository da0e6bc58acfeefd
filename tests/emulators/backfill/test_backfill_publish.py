"""`backfill --publish` for real: every row queued on $SUBMISSIONS_TOPIC of the Pub/Sub emulator,
as the worker reads the receiver's messages, and the rows done kept in the state file."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from tests.support.backfill import export
from tests.support.emulators import Emulator
from tests.support.queue_world import SATISFACTION, SETTINGS

pytestmark = pytest.mark.slow


def queue(emulator: Emulator) -> tuple[dict[str, str], str]:
    """A project of its own on the emulator (PUBSUB_EMULATOR_HOST set by the test), its submissions
    topic and a pull subscription on it; the command's environment."""
    from google.cloud import pubsub_v1

    project = f"demo-{uuid.uuid4().hex[:12]}"
    env = {
        **{k: v for k, v in os.environ.items() if k not in SETTINGS},
        "PUBSUB_EMULATOR_HOST": emulator.host,
        "GOOGLE_CLOUD_PROJECT": project,
        "SUBMISSIONS_TOPIC": "form-submissions",
    }
    subscription = f"projects/{project}/subscriptions/backfill-pull"
    topic = pubsub_v1.PublisherClient().create_topic(name=f"projects/{project}/topics/form-submissions")
    pubsub_v1.SubscriberClient().create_subscription(
        request={"name": subscription, "topic": topic.name, "ack_deadline_seconds": 60}
    )
    return env, subscription


def pull(subscription: str, expected: int) -> list[Any]:
    """Every message on the subscription (a few pulls: the emulator hands them out in batches)."""
    from google.api_core import exceptions as gexc
    from google.cloud import pubsub_v1

    subscriber = pubsub_v1.SubscriberClient()
    messages: list[Any] = []
    for _ in range(10):
        if len(messages) >= expected:
            break
        try:
            response = subscriber.pull(request={"subscription": subscription, "max_messages": 100}, timeout=2)
        except gexc.DeadlineExceeded:
            continue
        messages += [m.message for m in response.received_messages]
        ack_ids = [m.ack_id for m in response.received_messages]
        if ack_ids:
            subscriber.acknowledge(request={"subscription": subscription, "ack_ids": ack_ids})
    return messages


def test_publish_queues_every_row_once_with_its_state_and_a_rerun_queues_nothing(
    pubsub_emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUBSUB_EMULATOR_HOST", pubsub_emulator.host)
    env, subscription = queue(pubsub_emulator)
    sheet = export(tmp_path / "Réponses.csv", rows=12)
    command = ["backfill", str(SATISFACTION), str(sheet), "--publish", "--json"]
    result = CliRunner().invoke(main, command, env=env)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert (summary["queued"], summary["failed"], summary["dryRun"]) == (12, 0, False)
    messages = pull(subscription, 12)
    queued = sorted(json.loads(m.data)["responseId"] for m in messages)
    assert len(set(queued)) == 12
    assert {m.attributes["origin"] for m in messages} == {"backfill"}
    assert all(m.ordering_key for m in messages)
    state = tmp_path / "Réponses.csv.backfill-state"
    assert sorted(state.read_text(encoding="utf-8").split()) == queued

    again = CliRunner().invoke(main, command, env=env)
    assert again.exit_code == 0, again.output
    summary = json.loads(again.stdout.strip().splitlines()[-1])
    assert (summary["skipped"], summary.get("queued", 0)) == (12, 0)
    assert pull(subscription, 1) == []


def test_publish_without_a_topic_is_refused_before_any_row(
    pubsub_emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUBSUB_EMULATOR_HOST", pubsub_emulator.host)
    env, subscription = queue(pubsub_emulator)
    sheet = export(tmp_path / "Réponses.csv", rows=3)
    command = ["backfill", str(SATISFACTION), str(sheet), "--publish", "--json"]
    result = CliRunner().invoke(main, command, env={**env, "SUBMISSIONS_TOPIC": ""})
    assert result.exit_code == 2
    assert "set SUBMISSIONS_TOPIC" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Réponses.csv"]
    assert pull(subscription, 1) == []
