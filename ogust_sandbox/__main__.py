"""`python -m ogust_sandbox`: serve a fake Ogust until Ctrl-C."""

from __future__ import annotations

import argparse

from ogust_sandbox.handle import Sandbox
from ogust_sandbox.modes import Modes
from ogust_sandbox.service import DEFAULT_PRIVATE_KEY, DEFAULT_PUBLIC_KEY, DEFAULT_TOKEN_TTL
from sandbox_kit import wait_for_ctrl_c


def main(argv: list[str] | None = None) -> None:
    """Parse the options, start the sandbox and wait for Ctrl-C."""
    parser = argparse.ArgumentParser(prog="python -m ogust_sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--public-key", default=DEFAULT_PUBLIC_KEY)
    parser.add_argument("--private-key", default=DEFAULT_PRIVATE_KEY)
    parser.add_argument("--token-ttl", type=float, default=DEFAULT_TOKEN_TTL, help="seconds (default 600)")
    parser.add_argument(
        "--realistic",
        action="store_true",
        help="start in the strict modes a first real account most likely needs (docs/ogust-api.md §9)",
    )
    parser.add_argument(
        "--mode",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="one strict mode, e.g. page_size_cap=50 or required_on_create=last_name,type (repeatable)",
    )
    args = parser.parse_args(argv)
    try:
        changes = dict(item.split("=", 1) for item in args.mode)
        modes = (Modes.realistic() if args.realistic else Modes()).changed(changes)
    except ValueError as exc:
        parser.error(f"--mode: {exc}")
    sandbox = Sandbox(
        modes=modes,
        host=args.host,
        port=args.port,
        public_key=args.public_key,
        private_key=args.private_key,
        token_ttl=args.token_ttl,
    )
    with sandbox:
        print(f"Ogust sandbox: {sandbox.url}", flush=True)
        print(
            f"Control API:   {sandbox.base_url}/_sandbox/state | calls | arrivals | modes | reset | faults"
            " | customers | lists",
            flush=True,
        )
        wait_for_ctrl_c()


if __name__ == "__main__":
    main()
