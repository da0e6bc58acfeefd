"""Signed submissions for the benchmark, built from examples/submissions/01-new-customer.json."""

from __future__ import annotations

import copy
import itertools
import json
from typing import Any

from bench._procs import ROOT, WEBHOOK_SECRET
from shared.webhook import signed_headers

TEMPLATE: dict[str, Any] = json.loads(
    (ROOT / "examples" / "submissions" / "01-new-customer.json").read_text(encoding="utf-8")
)
_serial = itertools.count(1)


def submission(
    email: str, *, comment: str | None = None, line: str | None = None, response_id: str | None = None
) -> dict[str, Any]:
    """The example submission with another e-mail, and optionally another comment or address line."""
    data = copy.deepcopy(TEMPLATE)
    data["responseId"] = response_id or f"2_bench{next(_serial):08d}"
    by_title = {answer["title"]: answer for answer in data["answers"]}
    by_title["Adresse e-mail"]["value"] = email
    if comment is not None:
        by_title["Commentaires"]["value"] = comment
    if line is not None:
        by_title["Adresse"]["value"] = line
    return data


def signed(data: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    """The body as the Apps Script sends it, and its Standard Webhooks headers."""
    body = json.dumps(data, ensure_ascii=False).encode()
    headers = signed_headers(WEBHOOK_SECRET, f"msg_{data['responseId']}", body)
    return body, {**headers, "Content-Type": "application/json"}


def new_customer(n: int, tag: str = "new") -> tuple[bytes, dict[str, str]]:
    """A signed submission for a person Ogust does not know yet (a unique e-mail)."""
    return signed(submission(f"bench.{tag}.{n}@exemple.fr"))
