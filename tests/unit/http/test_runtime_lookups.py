"""The function refuses to start with a lookup key whose search filter Ogust ignores, unless a full
scan per lookup is accepted (OGUST_IGNORED_FILTERS, OGUST_ACCEPT_FULL_SCAN)."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.errors import ConfigError
from shared.http.runtime import Runtime

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def worker_env(**extra: str) -> dict[str, str]:
    return {
        "OGUST_API_URL": "http://127.0.0.1:1/api/v2/apiogust.php",
        "OGUST_PUBLIC_KEY": "01234567890123456789",
        "OGUST_PRIVATE_KEY": "0123456789ABCDEF",
        "MAPPING_FILE": str(EXAMPLES / "quote-request.yaml"),  # lookup: [email, mobile_phone]
        "DEAD_LETTER_TOPIC": "form-submissions-dead-letters",
        "GOOGLE_CLOUD_PROJECT": "demo-forms-to-ogust",
        **extra,
    }


def test_a_lookup_by_an_ignored_filter_refuses_to_start() -> None:
    with pytest.raises(ConfigError) as caught:
        Runtime.from_env(worker_env(OGUST_IGNORED_FILTERS="mobile_phone"), role="worker")
    message = str(caught.value)
    assert "lookup mobile_phone" in message
    assert "OGUST_ACCEPT_FULL_SCAN=true" in message


def test_accepting_the_full_scan_starts() -> None:
    env = worker_env(OGUST_IGNORED_FILTERS="mobile_phone", OGUST_ACCEPT_FULL_SCAN="true")
    assert Runtime.from_env(env, role="worker").settings.ogust_options.accept_full_scan


def test_an_ignored_filter_no_form_looks_up_by_starts() -> None:
    Runtime.from_env(worker_env(OGUST_IGNORED_FILTERS="landline"), role="worker")
