"""The README's `make run`: both servers as real processes, examples created then updated."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_run_local_creates_then_updates() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scripts.run_local"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "01-new-customer.json             → HTTP 201 created" in out
    assert "02-same-person-again.json        → HTTP 200 updated   comment, main_address.line" in out
    assert "03-another-person.json           → HTTP 201 created" in out
    assert "4 write(s) to Ogust: setCustomer, setCustomer, setAddress, setCustomer" in out
