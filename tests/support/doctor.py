"""`forms-to-ogust doctor --json` as the tests run it on the sandbox (no secret in what it prints), the
settings it reports when the account needs none, and the French customers it is run against."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from cli.main import main
from ogust_sandbox import Sandbox

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
QUOTE = EXAMPLES / "quote-request.yaml"  # lookup [email, mobile_phone], origin from customer.origin

DEFAULT_SETTINGS = {
    "OGUST_BODY_ENCODING": "json",
    "OGUST_TOKEN_TIMEZONE": "Europe/Paris",
    "OGUST_PAGE_SIZE": "100",
    "OGUST_TOKEN_ERROR_PATTERN": "",
    "OGUST_SEARCH_STATUS": "",
    "OGUST_IGNORED_FILTERS": "",
    "OGUST_ACCEPT_FULL_SCAN": "false",
    "OGUST_TEXT_ESCAPING": "none",
}


def env_of(sandbox: Sandbox, **extra: str) -> dict[str, str]:
    return {
        "OGUST_API_URL": sandbox.url,
        "OGUST_PUBLIC_KEY": sandbox.keys.public_key,
        "OGUST_PRIVATE_KEY": sandbox.keys.private_key,
        "OGUST_KEYS_SECRET": "",
        "MAPPING_FILE": "",
        **{name: "" for name in DEFAULT_SETTINGS},
        **extra,
    }


def doctor(sandbox: Sandbox, *args: str, **env: str) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(main, ["doctor", "--json", *args], env=env_of(sandbox, **env))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    report: dict[str, Any] = json.loads(result.stdout)
    for secret in (*sandbox.keys, *sandbox.tokens()):
        assert secret not in result.output  # stdout and stderr
    return result.exit_code, report


def check(report: dict[str, Any], check_id: str) -> dict[str, Any]:
    return next(c for c in report["checks"] if c["id"] == check_id)


def seed(sandbox: Sandbox, n: int = 3, **fields: str) -> None:
    """French customers: the first has e-mail and phone, the others are homonyms."""
    sandbox.seed_customer(
        {
            "last_name": "Lefèvre",
            "first_name": "Zoé",
            "email": "zoe.lefevre@example.fr",
            "mobile_phone": "0612345678",
            "status": "A",
            **fields,
        }
    )
    for i in range(n - 1):
        sandbox.seed_customer({"last_name": "d'Artagnan", "first_name": f"Jean-Pierre {i}", "status": "A"})
