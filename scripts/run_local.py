"""`make run`: the whole path on this machine, with no Google or Ogust account.

Starts the Ogust sandbox and the function (functions-framework, as Cloud Functions runs it) as
separate processes, sends the example submissions signed as the Apps Script sender signs them,
and shows what each one did in Ogust.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import secrets
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import httpx

from scripts.processes import Child, NotAnswering, free_port, wait_until_answered
from shared.webhook import signed_headers

ROOT = Path(__file__).resolve().parents[1]
MAIN = ROOT / "functions" / "forms_to_ogust" / "main.py"
PUBLIC_KEY, PRIVATE_KEY = "01234567890123456789", "0123456789ABCDEF"


@contextmanager
def running(args: list[str], env: dict[str, str], url: str, name: str) -> Iterator[None]:
    """A child that answers HTTP for the duration of the block."""
    with Child.spawn(args, env, url, output=None) as child:
        try:
            wait_until_answered(child, limit=30, interval=0.1)
        except NotAnswering as exc:
            raise SystemExit(f"{name} did not start: {exc}") from None
        yield


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mapping", default=str(ROOT / "examples" / "satisfaction.yaml"))
    parser.add_argument("--submissions", default=str(ROOT / "examples" / "submissions"))
    parser.add_argument("--keep", action="store_true", help="keep both servers running after the examples")
    args = parser.parse_args(argv)

    sandbox_port, function_port = free_port(), free_port()
    ogust_url = f"http://127.0.0.1:{sandbox_port}/api/v2/apiogust.php"
    function_url = f"http://127.0.0.1:{function_port}/"
    webhook_secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    env = {
        **os.environ,
        "OGUST_API_URL": ogust_url,
        "OGUST_PUBLIC_KEY": PUBLIC_KEY,
        "OGUST_PRIVATE_KEY": PRIVATE_KEY,
        "WEBHOOK_SECRET": webhook_secret,
        "MAPPING_FILE": args.mapping,
        "PYTHONUNBUFFERED": "1",
    }
    sandbox_cmd = [sys.executable, "-m", "ogust_sandbox", "--port", str(sandbox_port)]
    sandbox_cmd += ["--public-key", PUBLIC_KEY, "--private-key", PRIVATE_KEY]
    function_cmd = [sys.executable, "-m", "functions_framework", "--source", str(MAIN)]
    function_cmd += ["--target", "receive_submission", "--host", "127.0.0.1", "--port", str(function_port)]

    with (
        running(sandbox_cmd, env, f"http://127.0.0.1:{sandbox_port}/_sandbox/state", "the Ogust sandbox"),
        running(function_cmd, env, function_url, "the function"),
    ):
        print(f"\nOgust sandbox on {ogust_url}\nFunction on {function_url}\n", flush=True)
        failures = 0
        for path in sorted(Path(args.submissions).glob("*.json")):
            failures += send(function_url, webhook_secret, path)
        show_customers(f"http://127.0.0.1:{sandbox_port}/_sandbox/state")
        if args.keep:
            print(f"\nServers keep running (Ctrl-C stops them). Webhook secret: {webhook_secret}", flush=True)
            with suppress(KeyboardInterrupt):
                signal.pause()
    return 1 if failures else 0


def send(function_url: str, secret: str, path: Path) -> int:
    """POST one example signed; return 1 when the function did not accept it."""
    body = path.read_bytes()
    response_id = json.loads(body)["responseId"]
    headers = {**signed_headers(secret, f"msg_{response_id}", body), "Content-Type": "application/json"}
    response = httpx.post(function_url, content=body, headers=headers, timeout=60)
    answer: dict[str, Any] = response.json()
    detail = ", ".join(answer.get("changed") or []) or answer.get("error", "")
    print(f"{path.name:32} → HTTP {response.status_code} {answer.get('status', ''):9} {detail}", flush=True)
    return 0 if response.is_success else 1


def show_customers(state_url: str) -> None:
    state = httpx.get(state_url, timeout=10).json()
    print("\nCustomers now in the (sandbox) Ogust:", flush=True)
    for c in state["customers"]:
        a = c.get("main_address") or {}
        print(
            f"  #{c['id_customer']} {c['title']} {c['first_name']} {c['last_name']} <{c['email']}> "
            f"{c['mobile_phone']} | {a.get('line', '')}, {a.get('zip', '')} {a.get('city', '')}"
            f"\n      comment: {c['comment']}",
            flush=True,
        )
    writes = state.get("writes", [])
    print(f"\n{len(writes)} write(s) to Ogust: {', '.join(w['method'] for w in writes)}", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
