"""`forms-to-ogust sandbox`: the local fake Ogust, so anyone can try the whole path."""

from __future__ import annotations

import threading

import click

from ogust_sandbox import Sandbox
from ogust_sandbox.service import DEFAULT_PRIVATE_KEY, DEFAULT_PUBLIC_KEY


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8765, show_default=True, help="Port to listen on.")
@click.option("--public-key", default=DEFAULT_PUBLIC_KEY, show_default=True, help="Public key it accepts.")
@click.option("--private-key", default=DEFAULT_PRIVATE_KEY, show_default=True, help="Private key it accepts.")
def sandbox(host: str, port: int, public_key: str, private_key: str) -> None:
    """Run the Ogust sandbox until Ctrl-C (customers live in memory)."""
    server = Sandbox(host=host, port=port, public_key=public_key, private_key=private_key)
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
