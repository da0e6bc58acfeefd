"""docs/suivi-ogust.md, the office staff's page: in French, without jargon, reachable from the other
guides, and saying what the e-mails really say (the Terraform policy, the Apps Script digest)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.terraform import block, load

ROOT = Path(__file__).resolve().parents[3]
PAGE = ROOT / "docs" / "suivi-ogust.md"
TEXT = PAGE.read_text(encoding="utf-8")

# The tab's columns and states, as issue #20 names them.
COLUMNS = ("Date", "Personne", "État", "Client Ogust", "Motif", "Dernière tentative", "Renvoyer")
STATES = (
    "créé",
    "mis à jour",
    "inchangé",
    "ignoré",
    "en attente",
    "nouvel essai prévu",
    "refusé",
    "renvoyé",
)
# One paragraph per reason a refusal can have, each ending on what to do.
REASONS = (
    "Une réponse obligatoire manque",
    "Une réponse n'a pas le bon format",
    "Deux clients Ogust ont la même adresse e-mail",
    "Ogust refuse les données",
    "Ogust est indisponible",
)


def test_every_column_of_the_tab_is_explained() -> None:
    for column in COLUMNS:
        assert re.search(rf"^\| \*\*{re.escape(column)}\*\* \|", TEXT, re.MULTILINE), column


def test_every_state_has_its_meaning_and_what_to_do() -> None:
    rows = {
        m[0]: m[1:] for m in re.findall(r"^\| \*\*([^*]+)\*\* \| ([^|]+) \| ([^|]+) \|$", TEXT, re.MULTILINE)
    }
    for state in STATES:
        assert state in rows, state
        meaning, todo = rows[state]
        assert meaning.strip(), state
        assert todo.strip(), state


@pytest.mark.parametrize("reason", REASONS)
def test_each_reason_says_what_to_do(reason: str) -> None:
    paragraph = TEXT.split(f"**{reason}.**", 1)[1].split("\n\n", 1)[0]
    assert "Renvoyer" in paragraph or "rien à faire" in paragraph, reason


def test_resending_and_the_seven_days_are_explained() -> None:
    assert "## Renvoyer une réponse" in TEXT
    assert "dans les 5 minutes" in TEXT
    assert "## Après 7 jours" in TEXT
    after = TEXT.split("## Après 7 jours", 1)[1].split("\n## ", 1)[0]
    assert "refusé" in after
    assert "Renvoyer" in after


def test_the_page_speaks_no_jargon() -> None:
    words = ("dead", "letter", "ledger", "HTTP", "replay", "resendDead", "webhook", "Pub/Sub", "reconcil")
    words += ("mapping", "fallback", "lookup", "Cloud Function", "terminal")
    for word in words:
        assert word.lower() not in TEXT.lower(), word


def test_the_page_is_linked_from_the_readme_and_the_operators_guides() -> None:
    for guide in ("README.md", "docs/operations.md", "docs/deployment.md"):
        assert "suivi-ogust.md" in (ROOT / guide).read_text(encoding="utf-8"), guide


def test_what_the_page_says_of_the_per_answer_email_is_what_terraform_sends() -> None:
    policy = load().resource("google_monitoring_alert_policy", "refused_answer")
    documentation = block(policy, "documentation")
    # The subject up to the form's title, as the page quotes it.
    subject = documentation["subject"].split("« $${", 1)[0]
    assert f"« {subject}« … » »" in TEXT
    period = block(block(policy, "alert_strategy"), "notification_rate_limit")["period"]
    assert period == "300s"
    assert "toutes les 5 minutes" in TEXT
    assert "plus de 20 par jour" in TEXT
    for label in ("formulaire", "envoyee_le", "motif", "lien"):
        assert f"log.extracted_label.{label}" in documentation["content"]


def test_what_the_page_says_of_the_digest_is_what_the_apps_script_sends() -> None:
    alerts = (ROOT / "apps_script" / "Alerts.gs").read_text(encoding="utf-8")
    (prefix,) = re.findall(r"const DIGEST_SUBJECT_PREFIX = '([^']+) ';", alerts)
    assert f"`{prefix}`" in TEXT
    config = (ROOT / "apps_script" / "Config.gs").read_text(encoding="utf-8")
    assert re.search(r"mailsPerDay: 5,", config)
    assert "cinq fois par jour" in TEXT
