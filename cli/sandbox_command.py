"""`forms-to-ogust sandbox`: the local fake Ogust, so anyone can try the whole path."""

from __future__ import annotations

import threading

import click

from ogust_sandbox import Modes, Sandbox
from ogust_sandbox.service import DEFAULT_PRIVATE_KEY, DEFAULT_PUBLIC_KEY


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8765, show_default=True, help="Port to listen on.")
@click.option("--public-key", default=DEFAULT_PUBLIC_KEY, show_default=True, help="Public key it accepts.")
@click.option("--private-key", default=DEFAULT_PRIVATE_KEY, show_default=True, help="Private key it accepts.")
@click.option(
    "--realistic",
    is_flag=True,
    help="Start in the strict modes a first real account most likely needs (docs/first-run.md).",
)
@click.option(
    "--mode",
    "modes",
    multiple=True,
    metavar="NAME=VALUE",
    help="One strict mode, e.g. page_size_cap=50 or required_on_create=last_name,type (repeatable).",
)
def sandbox(
    host: str, port: int, public_key: str, private_key: str, realistic: bool, modes: tuple[str, ...]
) -> None:
    """Run the Ogust sandbox until Ctrl-C (customers live in memory)."""
    try:
        changes = dict(item.split("=", 1) for item in modes)
        chosen = (Modes.realistic() if realistic else Modes()).changed(changes)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--mode") from None
    server = Sandbox(modes=chosen, host=host, port=port, public_key=public_key, private_key=private_key)
    server.start()
    click.echo(f"Ogust sandbox listening: OGUST_API_URL={server.url}")
    click.echo(f"Keys: OGUST_PUBLIC_KEY={public_key} OGUST_PRIVATE_KEY={private_key}")
    click.echo(f"State and faults: {server.base_url}/_sandbox/state")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        server.stop()
