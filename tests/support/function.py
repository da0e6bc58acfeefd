"""The function under test in this process, in sync mode on the Ogust sandbox: its file, the settings
and webhook secret it runs with, a signed POST as the Apps Script sender makes it, and the example
submissions. (Functions started as processes are `functions.py`.)"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient

from ogust_sandbox import Sandbox
from shared.webhook import signed_headers

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "functions" / "forms_to_ogust" / "main.py"
SECRET = "whsec_" + base64.b64encode(b"secret-de-test-pour-le-webhook!!").decode()
WRONG_SECRET = "whsec_" + base64.b64encode(b"ce-n-est-pas-le-bon-secret-!!!!!").decode()
"""A well-formed webhook secret that is not the function's: what a sender with the wrong secret signs with."""
EXAMPLES = ROOT / "examples" / "submissions"


def example(name: str, **changes: Any) -> dict[str, Any]:
    """An example submission as a dict, with top-level fields or answers (by title) replaced."""
    data: dict[str, Any] = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    answers = changes.pop("answers", {})
    data.update(changes)
    for answer in data["answers"]:
        if answer["title"] in answers:
            answer["value"] = answers[answer["title"]]
    return data


SETTINGS_TO_CLEAR = (
    "OGUST_KEYS_SECRET",
    "WEBHOOK_SECRET_NAME",
    "GOOGLE_CLOUD_PROJECT",
    "DELIVERY_MODE",
    "LEDGER",
)
"""Settings of the shell running the tests that would take the function off the sandbox or sync mode."""


def sync_env(sandbox: Sandbox, **extra: str) -> dict[str, str]:
    """The receiver in sync mode on `sandbox`: its keys, the test webhook secret, the example mapping."""
    return {
        **sandbox.settings,
        "WEBHOOK_SECRET": SECRET,
        "MAPPING_FILE": str(ROOT / "examples" / "satisfaction.yaml"),
        "OGUST_TIMEOUT_SECONDS": "2",
        **extra,
    }


Post = Callable[..., Any]


def signed_poster(client: FlaskClient) -> Post:
    """POST a submission signed as the Apps Script sender signs it; header overrides break one thing."""

    def send(
        payload: dict[str, Any] | bytes,
        *,
        secret: str = SECRET,
        timestamp: int | None = None,
        **header_overrides: str,
    ) -> Any:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        msg_id = "msg_" + (payload.get("responseId", "x") if isinstance(payload, dict) else "raw")
        headers = signed_headers(secret, msg_id, body, timestamp=timestamp)
        headers.update({k.replace("_", "-"): v for k, v in header_overrides.items()})
        headers = {k: v for k, v in headers.items() if v is not None}
        return client.post("/", data=body, headers={**headers, "Content-Type": "application/json"})

    return send
