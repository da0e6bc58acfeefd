"""The scheduled run keeps each form's RESPONSES watch: created when missing, renewed before its
seven days are over, replaced when the topic changed — on the fake's clock, which the reconciler
reads from the API's `Date` header, as it would Google's."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from forms_sandbox import FormsSandbox
from shared.delivery.reconcile import RENEW_BEFORE, Reconciler
from shared.delivery.watermarks import MemoryWatermarks
from shared.exactly_once._ledger import MemoryLedger
from shared.forms import FormsClient, parse_time
from shared.mapping import load_mapping
from tests.support.forms_fixtures import FORM_ID, satisfaction_mapping

TOPIC = "projects/demo-agence/topics/forms-watch"
DAY = 86400.0


class NoPublisher:
    """Nothing is published in these tests (the form has no response)."""

    def publish(self, topic: str, data: bytes, attributes: dict[str, str], *, ordering_key: str = "") -> str:
        raise AssertionError("nothing should be published")


@pytest.fixture
def reconciler(forms_api: FormsSandbox, tmp_path: Path) -> Iterator[Reconciler]:
    with FormsClient(forms_api.url) as forms:
        yield Reconciler(
            mapping=load_mapping(satisfaction_mapping(tmp_path)),
            forms=forms,
            ledger=MemoryLedger(),
            watermarks=MemoryWatermarks(),
            publisher=NoPublisher(),
            topic="projects/demo-agence/topics/form-submissions",
            watch_topic=TOPIC,
        )


def expiry(forms_api: FormsSandbox) -> datetime:
    (watch,) = forms_api.watches(FORM_ID)
    return parse_time(watch["expireTime"])


def watch_state(reconciler: Reconciler) -> str:
    (run,) = reconciler.run()
    assert run.ok, run.errors
    return run.watch


def test_watches_are_renewed_before_they_expire(forms_api: FormsSandbox, reconciler: Reconciler) -> None:
    assert watch_state(reconciler) == "created"
    first = expiry(forms_api)
    assert watch_state(reconciler) == "active"
    forms_api.advance(4 * DAY)
    assert watch_state(reconciler) == "active", "more than two days left: left alone"
    assert expiry(forms_api) == first
    forms_api.advance(1.5 * DAY)  # 5.5 days old: 1.5 left, under RENEW_BEFORE (two days)
    assert timedelta(days=1.5) < RENEW_BEFORE
    assert watch_state(reconciler) == "renewed"
    renewed = expiry(forms_api)
    assert abs((renewed - first) - timedelta(days=5.5)) < timedelta(seconds=5), "seven days from now"
    forms_api.advance(6 * DAY)
    assert watch_state(reconciler) == "renewed", "a run every few days is enough to keep it"
    assert forms_api.calls()["forms.watches.create"] == 1


def test_an_expired_watch_is_created_again(forms_api: FormsSandbox, reconciler: Reconciler) -> None:
    assert watch_state(reconciler) == "created"
    forms_api.advance(8 * DAY)  # the scheduler was down for more than a week
    assert forms_api.watches(FORM_ID) == []
    assert watch_state(reconciler) == "created"
    assert len(forms_api.watches(FORM_ID)) == 1


def test_a_suspended_watch_is_renewed_and_a_moved_topic_replaces_it(
    forms_api: FormsSandbox, reconciler: Reconciler
) -> None:
    assert watch_state(reconciler) == "created"
    (watch,) = forms_api.watches(FORM_ID)
    forms_api.suspend_watch(FORM_ID, watch["id"])
    assert watch_state(reconciler) == "renewed"
    assert forms_api.watches(FORM_ID)[0]["state"] == "ACTIVE"
    reconciler.watch_topic = "projects/demo-agence/topics/forms-watch-2"
    assert watch_state(reconciler) == "replaced"
    (moved,) = forms_api.watches(FORM_ID)
    assert moved["target"]["topic"]["topicName"] == "projects/demo-agence/topics/forms-watch-2"


def test_a_watch_refused_fails_the_run_after_the_responses_were_reconciled(
    forms_api: FormsSandbox, reconciler: Reconciler
) -> None:
    forms_api.inject_status(403, method="forms.watches.create")
    (run,) = reconciler.run()
    assert run.listed == 0
    assert not run.ok
    assert "forms-notifications@system.gserviceaccount.com" in str(run.errors[0])
