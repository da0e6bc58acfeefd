"""Reconciliation for real: the fake Forms API, the Pub/Sub and Firestore emulators, the receiver,
the worker and `reconcile_forms` as functions-framework processes, the Ogust sandbox counting."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest

from shared.delivery import PubSubPublisher
from shared.delivery.reconcile import Reconciler
from shared.delivery.watermarks import FirestoreWatermarks
from shared.errors import DeliveryUnavailableError
from shared.exactly_once import ledger_key
from shared.exactly_once._ledger import FirestoreLedger
from shared.forms import FormsClient
from shared.mapping import load_mapping
from tests.support.forms_fixtures import (
    BASE_TIME,
    FORM_ID,
    QUESTION_IDS,
    add_to_form,
    respondent,
)
from tests.support.functions import wait_until
from tests.support.reconciling import Reconciling

pytestmark = pytest.mark.slow


def test_fifty_responses_twenty_never_sent_make_fifty_customers_and_no_duplicate(rec: Reconciling) -> None:
    rec.start(receiver=True)
    people = [respondent(n) for n in range(50)]
    for payload in people:
        add_to_form(rec.forms_api, payload)
    for payload in people[:30]:  # the script delivered 30; 20 were never sent (quota, trigger gone…)
        assert rec.world.post(payload).status_code == 202
    rec.wait_customers(30)

    answer = rec.run()
    assert answer.status_code == 200, answer.text
    (form,) = answer.json()["forms"]
    assert (form["listed"], form["alreadySettled"], form["queued"]) == (50, 30, 20)
    assert form["watch"] == "created"
    rec.wait_customers(50)
    wait_until(lambda: rec.acked() >= 50, 30, "the worker to acknowledge every message")

    emails = sorted(c["email"] for c in rec.customers())
    assert emails == sorted(f"client.{n}@exemple.fr" for n in range(50))
    assert rec.creations() == 50
    entries = list(FirestoreLedger(rec.world.project).entries(FORM_ID))
    assert sorted(e.source for e in entries) == ["reconcile"] * 20 + ["script"] * 30
    assert all(e.status == "created" for e in entries)
    assert [w["target"]["topic"]["topicName"] for w in rec.forms_api.watches(FORM_ID)] == [rec.watch_topic]

    again = rec.run().json()["forms"][0]
    assert again["queued"] == 0
    assert again["listed"] < 50, "the second run reads from the watermark, minus the overlap"
    assert again["watch"] == "active"
    assert rec.creations() == 50


def test_a_run_cut_on_page_two_is_completed_by_the_next_with_no_duplicate(rec: Reconciling) -> None:
    rec.start()
    for n in range(40):
        add_to_form(rec.forms_api, respondent(n))
    rec.forms_api.set_page_cap(10)
    # Page 3 of 4: its connection dropped three times (the client's read and its two retries).
    rec.forms_api.inject_drop(count=3, method="forms.responses.list", skip=2)
    cut = rec.run()
    assert cut.status_code == 503
    (form,) = cut.json()["forms"]
    assert form["queued"] == 20
    assert "did not answer forms.responses.list" in form["errors"][0]
    (failure,) = rec.failures()
    assert failure["message"].startswith("reconciliation failed: form '1SatisfactionExempleOgust2026'")
    assert rec.watermark() is None, "the watermark never passes an unpublished response"
    rec.wait_customers(20)

    done = rec.run()
    assert done.status_code == 200
    assert done.json()["forms"][0]["queued"] == 20
    rec.wait_customers(40)
    wait_until(lambda: rec.acked() >= 40, 30, "every message acknowledged")
    assert rec.creations() == 40
    assert len({c["email"] for c in rec.customers()}) == 40
    assert rec.watermark() is not None


class FailingAfter:
    """The real publisher, until Pub/Sub "goes down" after `limit` confirmed publishes."""

    def __init__(self, limit: int) -> None:
        self.inner = PubSubPublisher()
        self.limit = limit
        self.sent = 0
        self._lock = threading.Lock()

    def publish(self, topic: str, data: bytes, attributes: dict[str, str], *, ordering_key: str = "") -> str:
        with self._lock:
            if self.sent >= self.limit:
                raise DeliveryUnavailableError("Pub/Sub did not confirm the publish to 'form-submissions'")
            self.sent += 1
        return self.inner.publish(topic, data, attributes, ordering_key=ordering_key)


def test_a_pubsub_failure_mid_run_keeps_the_watermark_and_the_next_run_completes(rec: Reconciling) -> None:
    rec.start()
    for n in range(20):
        add_to_form(rec.forms_api, respondent(n))

    def reconciler(publisher: Any) -> Reconciler:
        return Reconciler(
            mapping=load_mapping(rec.mapping),
            forms=FormsClient(rec.forms_api.url),
            ledger=FirestoreLedger(rec.world.project),
            watermarks=FirestoreWatermarks(rec.world.project),
            publisher=publisher,
            topic=rec.world.path("topics", rec.world.SUBMISSIONS),
        )

    failing = FailingAfter(10)
    (cut,) = reconciler(failing).run()
    assert not cut.ok
    assert (cut.listed, cut.queued) == (20, 10)
    assert rec.watermark() is None
    rec.wait_customers(10)
    wait_until(lambda: rec.acked() >= 10, 30, "the ten published ones applied")

    (done,) = reconciler(PubSubPublisher()).run()
    assert done.ok
    assert (done.settled, done.queued) == (10, 10)
    rec.wait_customers(20)
    wait_until(lambda: rec.acked() >= 20, 30, "every message acknowledged")
    assert rec.creations() == 20
    assert rec.watermark() == BASE_TIME + timedelta(minutes=19), "the newest response read"


def test_an_edited_response_is_applied_once_as_an_update(rec: Reconciling) -> None:
    rec.start()
    payload = respondent(1, Ville="Créteil")
    add_to_form(rec.forms_api, payload)
    assert rec.run().json()["forms"][0]["queued"] == 1
    rec.wait_customers(1)
    wait_until(lambda: rec.acked() >= 1, 20, "the creation acknowledged")

    rec.forms_api.edit_response(FORM_ID, payload["responseId"], {QUESTION_IDS[1008]: "Vitry-sur-Seine"})
    edited = rec.run().json()["forms"][0]
    assert edited["queued"] == 1
    wait_until(lambda: rec.acked() >= 2, 20, "the edit acknowledged")
    (customer,) = rec.customers()
    assert customer["main_address"]["city"] == "VITRY-SUR-SEINE"
    assert rec.run().json()["forms"][0]["queued"] == 0

    entry = FirestoreLedger(rec.world.project).get(ledger_key(FORM_ID, payload["responseId"]))
    assert entry is not None
    assert [a.outcome for a in entry.history] == ["created", "updated"]
    assert [a.source for a in entry.history] == ["reconcile", "reconcile"]
    assert rec.creations() == 1
    # the creation, then the one update of the edit (the address only: the city changed)
    assert [w["method"] for w in rec.world.sandbox.writes()] == ["setCustomer", "setAddress"]


def test_forms_api_5xx_or_403_fails_loudly_and_the_watermark_stays(rec: Reconciling) -> None:
    rec.start()
    add_to_form(rec.forms_api, respondent(1))
    assert rec.run().status_code == 200
    before = rec.watermark()
    assert before is not None
    rec.forms_api.add_response(
        FORM_ID, {QUESTION_IDS[1004]: "c.nouvelle@exemple.fr", QUESTION_IDS[1002]: "Nouvelle"}
    )

    rec.forms_api.inject_status(503, count=3, method="forms.responses.list")
    down = rec.run()
    assert down.status_code == 503
    assert "503 UNAVAILABLE" in down.json()["forms"][0]["errors"][0]
    rec.forms_api.share(FORM_ID, False)
    refused = rec.run()
    assert refused.status_code == 503
    message = refused.json()["forms"][0]["errors"][0]
    assert "403 PERMISSION_DENIED" in message
    assert "share the form with" in message
    assert rec.watermark() == before

    failures = rec.failures()
    assert len(failures) == 2, "one line per failed run"
    assert all(f["message"].startswith("reconciliation failed") for f in failures)
    assert [f["error"] for f in failures] == ["DeliveryUnavailableError", "ConfigError"]
    assert failures[1]["severity"] == "ERROR"  # a person must share the form

    rec.forms_api.share(FORM_ID, True)
    assert rec.run().status_code == 200
    assert rec.watermark() > before
    rec.wait_customers(2)


def test_a_watch_notification_reconciles_that_form(rec: Reconciling) -> None:
    from google.cloud import pubsub_v1

    subscriber = pubsub_v1.SubscriberClient()
    pubsub_v1.PublisherClient().create_topic(name=rec.watch_topic)
    subscriber.create_subscription(
        request={
            "name": rec.world.path("subscriptions", "forms-watch-push"),
            "topic": rec.watch_topic,
            "push_config": {"push_endpoint": f"http://127.0.0.1:{rec.port}/"},
            "ack_deadline_seconds": 30,
        }
    )
    publisher = pubsub_v1.PublisherClient()
    rec.forms_api.store.notify = lambda topic, attributes: publisher.publish(topic, b"", **attributes).result(
        30
    )
    rec.start()
    assert rec.run().json()["forms"][0]["watch"] == "created"  # the scheduled run makes the watch

    payload = respondent(7, **{"Adresse e-mail": "m.dupont@exemple.fr", "Nom": "Dupont"})
    add_to_form(rec.forms_api, payload)  # the fake publishes {formId, eventType, watchId}
    rec.wait_customers(1, timeout=30)
    assert rec.customers()[0]["email"] == "m.dupont@exemple.fr"
    assert rec.reconciler is not None
    triggers = [e.get("trigger") for e in rec.reconciler.entries() if e.get("status") == "reconciled"]
    assert triggers == ["scheduled", "notification"]


def test_a_run_concurrent_with_live_deliveries_of_the_same_responses_makes_no_duplicate(
    rec: Reconciling,
) -> None:
    rec.start(receiver=True)
    people = [respondent(n) for n in range(30)]
    for payload in people:
        add_to_form(rec.forms_api, payload)
    with ThreadPoolExecutor(9) as pool:
        reconciled = pool.submit(rec.run)
        codes = list(pool.map(lambda p: rec.world.post(p).status_code, people))
        answer = reconciled.result()
    assert codes == [202] * 30
    assert answer.status_code == 200
    queued = answer.json()["forms"][0]["queued"]
    wait_until(lambda: rec.acked() >= 30 + queued, 60, "every message of both ways acknowledged", 0.3)
    assert len(rec.customers()) == 30
    assert rec.creations() == 30
    assert len({c["email"] for c in rec.customers()}) == 30
