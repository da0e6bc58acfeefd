"""A backfill while a live receiver delivers answers of the same people to the same Ogust: through
the functions' own ledger and leases (LEDGER=firestore, the emulator), one customer per person."""

from __future__ import annotations

import csv
import os
import threading
import uuid
from collections import Counter
from pathlib import Path

import httpx
from click.testing import CliRunner

from cli.main import main
from ogust_sandbox import Sandbox
from tests.support.backfill import HEADERS
from tests.support.emulators import Emulator
from tests.support.function import SETTINGS_TO_CLEAR, example, sync_env
from tests.support.functions import FunctionProcess, wait_until
from tests.support.queue_world import SATISFACTION
from tests.support.receivers import send

PEOPLE = 16


def email(n: int) -> str:
    return f"marie-helene.lefevre{n}@exemple.fr"


def live_answer(n: int) -> dict[str, object]:
    return example(
        "01-new-customer",
        responseId=f"2_EnDirect{n:03d}",
        answers={"Adresse e-mail": email(n), "Téléphone portable": f"06 12 34 {n:02d} 78"},
    )


def old_export(path: Path) -> Path:
    """The same people's answers of October, as the response sheet exports them."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        for n in range(PEOPLE):
            writer.writerow(
                [
                    f"{1 + n % 28:02d}/10/2026 09:{n % 60:02d}:00",
                    "Madame",
                    "d'Arnoux-Lefèvre",
                    "Marie-Hélène",
                    email(n),
                    f"06 12 34 {n:02d} 78",
                    "12, rue de l'Église",
                    "94240",
                    "L'Haÿ-les-Roses",
                    "4",
                    "Très bien",
                ]
            )
    return path


def test_a_backfill_beside_a_live_sync_receiver_makes_one_customer_per_person(
    sandbox: Sandbox, firestore_emulator: Emulator, tmp_path: Path
) -> None:
    shared = {
        "LEDGER": "firestore",
        "GOOGLE_CLOUD_PROJECT": f"demo-{uuid.uuid4().hex[:12]}",
        "FIRESTORE_EMULATOR_HOST": firestore_emulator.host,
    }
    base = {k: v for k, v in os.environ.items() if k not in SETTINGS_TO_CLEAR}
    receiver_env = {**base, **sync_env(sandbox, OGUST_TIMEOUT_SECONDS="5", **shared)}
    receiver = FunctionProcess("receive_submission", receiver_env, tmp_path / "receiver.log").start()
    sandbox.inject_latency(600)  # every Ogust call takes a while: a search and its create are apart
    answered: list[int] = []
    with httpx.Client(timeout=60) as http:  # a first answer: the receiver has its Ogust token
        assert send(http, receiver.url, live_answer(PEOPLE)).status_code == 201
    tokens = len(sandbox.tokens())
    try:

        def deliver(people: range) -> None:
            with httpx.Client(timeout=60) as http:
                for n in people:
                    # A 503 (the person's lease held by the backfill) is sent again, as the script does.
                    for _ in range(5):
                        status = send(http, receiver.url, live_answer(n)).status_code
                        if status != 503:
                            break
                    answered.append(status)

        def deliver_with_the_backfill() -> None:
            # The live answers start once the backfill has reached Ogust, in its order: the same
            # people are searched for by both sides at about the same time.
            wait_until(lambda: len(sandbox.tokens()) > tokens, 60, "the backfill's Ogust token")
            workers = [threading.Thread(target=deliver, args=(range(i, PEOPLE, 4),)) for i in range(4)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join(timeout=120)

        senders = [threading.Thread(target=deliver_with_the_backfill)]
        for sender in senders:
            sender.start()
        sheet = old_export(tmp_path / "Réponses.csv")
        tool_env = {
            **shared,
            **sandbox.settings,
            "OGUST_KEYS_SECRET": "",
        }
        command = ["backfill", str(SATISFACTION), str(sheet), "--rate", "1000", "--workers", "4", "--json"]
        result = CliRunner().invoke(main, command, env=tool_env)
        for sender in senders:
            sender.join(timeout=120)
    finally:
        receiver.stop()
    assert result.exit_code == 0, result.output
    assert len(answered) == PEOPLE
    assert set(answered) <= {200, 201}  # created, or updated after the backfill created the person
    by_email = Counter(str(c["email"]).lower() for c in sandbox.customers())
    assert len(by_email) == PEOPLE + 1
    assert set(by_email.values()) == {1}, "a person became two customers"
