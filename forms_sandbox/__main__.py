"""`python -m forms_sandbox`: serve a fake Forms API until Ctrl-C (FORMS_API_ENDPOINT points at it)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from forms_sandbox.handle import FormsSandbox, form_from_apps_script_export
from sandbox_kit import wait_for_ctrl_c


def pubsub_notifier() -> Any:
    """Watch notifications published with google-cloud-pubsub (PUBSUB_EMULATOR_HOST is honoured)."""
    from google.cloud import pubsub_v1  # type: ignore[attr-defined]

    publisher = pubsub_v1.PublisherClient()

    def notify(topic: str, attributes: dict[str, str]) -> None:
        publisher.publish(topic, b"", **attributes).result(timeout=30)

    return notify


def main(argv: list[str] | None = None) -> None:
    """Parse the options, start the fake and wait for Ctrl-C."""
    parser = argparse.ArgumentParser(prog="python -m forms_sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument(
        "--form",
        action="append",
        default=[],
        type=Path,
        help="a form to serve: an Apps Script exportFormDescription() JSON or a forms.get JSON",
    )
    parser.add_argument(
        "--notify-pubsub",
        action="store_true",
        help="publish watch notifications to their Pub/Sub topic (set PUBSUB_EMULATOR_HOST locally)",
    )
    args = parser.parse_args(argv)
    sandbox = FormsSandbox(
        host=args.host, port=args.port, notify=pubsub_notifier() if args.notify_pubsub else None
    )
    for path in args.form:
        data = json.loads(path.read_text(encoding="utf-8"))
        is_export = data.get("items") and isinstance(data["items"][0].get("itemId"), int)
        sandbox.add_form(form_from_apps_script_export(data) if is_export else data)
    with sandbox:
        print(f"Forms API sandbox: {sandbox.url}", flush=True)
        print(
            f"Control API:       {sandbox.url}/_sandbox/state | calls | reset | forms | share | responses"
            " | responses/edit | faults | clock | page_cap",
            flush=True,
        )
        wait_for_ctrl_c()


if __name__ == "__main__":
    main()
