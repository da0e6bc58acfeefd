"""`dead-letters list --lang fr` of a job application (`entity: employee`): a dead letter carries no
entity, so the mapping (MAPPING_FILE or --mapping) says which record its form writes, and the
reason speaks of the « fiche intervenant »; a customer's letter keeps the « fiche client »."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import main
from shared.delivery import PubSubPublisher
from shared.delivery._messages import dead_letter_attributes
from shared.errors import OgustRejectedError
from shared.webhook import Submission
from tests.support.emulators import Emulator
from tests.support.queue_world import SETTINGS

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[3]
JOB_APPLICATION = ROOT / "examples" / "job-application.yaml"
SATISFACTION = ROOT / "examples" / "satisfaction.yaml"
SUBMISSIONS = ROOT / "examples" / "submissions"
CANDIDATE, CUSTOMER = "2_Cand0001", "2_ABaOnudExemple0001"
TOPIC, SUBSCRIPTION = "form-submissions-dead-letters", "form-submissions-dead-letters-sub"


@pytest.fixture
def parked(pubsub_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A fresh project's dead-letter topic and subscription holding one refused application and one
    refused customer answer, both refused by Ogust (the env of a shell of that project)."""
    from google.cloud import pubsub_v1

    project = f"demo-{uuid.uuid4().hex[:12]}"
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PUBSUB_EMULATOR_HOST", pubsub_emulator.host)
    topic = f"projects/{project}/topics/{TOPIC}"
    pubsub_v1.PublisherClient().create_topic(name=topic)
    subscriber = pubsub_v1.SubscriberClient()
    subscriber.create_subscription(
        request={"name": f"projects/{project}/subscriptions/{SUBSCRIPTION}", "topic": topic}
    )
    for example, method in (
        ("job-application/01-new-candidate.json", "setEmployee"),
        ("01-new-customer.json", "setCustomer"),
    ):
        submission = Submission.model_validate_json((SUBMISSIONS / example).read_bytes())
        refusal = OgustRejectedError(
            f"{method} refused: Le champ email est invalide",
            method=method,
            ogust_message="Le champ email est invalide",
        )
        PubSubPublisher().publish(topic, submission.to_json(), dead_letter_attributes(submission, refusal))
    return {
        "PUBSUB_EMULATOR_HOST": pubsub_emulator.host,
        "GOOGLE_CLOUD_PROJECT": project,
        "DEAD_LETTER_SUBSCRIPTION": SUBSCRIPTION,
    }


def reasons(env: dict[str, str], *args: str) -> dict[str, str]:
    """Response id → its French reason, as `dead-letters list --lang fr` prints them."""
    result = CliRunner().invoke(main, ["dead-letters", "list", "--lang", "fr", "--wait", "1", *args], env=env)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    return {
        line.split()[0]: lines[i + 1].strip()
        for i, line in enumerate(lines[:-1])
        if line.startswith("2_") and lines[i + 1].startswith("    ")
    }


def test_a_candidate_s_letter_speaks_of_the_fiche_intervenant_from_mapping_file(
    parked: dict[str, str],
) -> None:
    found = reasons({**parked, "MAPPING_FILE": str(JOB_APPLICATION)})
    assert found[CANDIDATE].startswith("Ogust a refusé la fiche intervenant.")
    # The candidate mapping does not know the customer form: a customer's words, as before.
    assert found[CUSTOMER].startswith("Ogust a refusé la fiche client.")


def test_the_mapping_option_says_the_entity_too(parked: dict[str, str]) -> None:
    found = reasons(parked, "--mapping", str(JOB_APPLICATION))
    assert found[CANDIDATE].startswith("Ogust a refusé la fiche intervenant.")


def test_a_customer_s_letter_keeps_the_fiche_client(parked: dict[str, str]) -> None:
    found = reasons({**parked, "MAPPING_FILE": str(SATISFACTION)})
    assert found[CUSTOMER].startswith("Ogust a refusé la fiche client.")
    assert "intervenant" not in found[CUSTOMER]
