"""The sandbox's command line (`python -m ogust_sandbox`): it prints its URL and serves."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest


@pytest.mark.slow
def test_command_line_prints_the_url_and_serves() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "ogust_sandbox", "--port", "0", "--token-ttl", "60"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first_line = process.stdout.readline()
        url = first_line.split(": ", 1)[1].strip()
        assert url.endswith("/api/v2/apiogust.php")
        answer = httpx.post(url, params={"method": "getList"}, json={"key": "customer.origin"}, timeout=5.0)
        assert answer.json()["status"] == "KO"
    finally:
        process.terminate()
        process.wait(timeout=10)
