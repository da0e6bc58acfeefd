"""Child processes for the benchmark: the Ogust sandbox, our function and the bare one.

Both functions run with the same command (`python -m functions_framework --source … --target …
--host 127.0.0.1 --port …`): gunicorn's arbiter loads main.py, then forks one gthread worker.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import sys
import tempfile
from pathlib import Path

from scripts.processes import ROOT, Child, free_port, wait_until_answered

__all__ = ["ROOT", "Child", "free_port", "wait_until_answered"]  # re-exported for bench
OURS_SOURCE = ROOT / "functions" / "forms_to_ogust" / "main.py"
BARE_SOURCE = ROOT / "bench" / "bare" / "main.py"
PUBLIC_KEY, PRIVATE_KEY = "01234567890123456789", "0123456789ABCDEF"
WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"  # noqa: S105 (a local benchmark's own secret)
MAPPING = ROOT / "examples" / "satisfaction.yaml"

_FOREIGN_SETTINGS = (
    "DELIVERY_MODE", "OGUST_KEYS_SECRET", "WEBHOOK_SECRET_NAME", "SUBMISSIONS_TOPIC", "DEAD_LETTER_TOPIC",
    "LEDGER", "OGUST_API_URL", "OGUST_PUBLIC_KEY", "OGUST_PRIVATE_KEY", "WEBHOOK_SECRET", "MAPPING_FILE",
    "FUNCTION_TARGET", "FUNCTION_SOURCE", "PORT", "THREADS", "WORKERS",
)  # fmt: skip


def base_env() -> dict[str, str]:
    """This environment without any of the function's settings (both functions start from it)."""
    env = {k: v for k, v in os.environ.items() if k not in _FOREIGN_SETTINGS}
    env["PYTHONPATH"] = str(ROOT)
    return env


def ours_env(ogust_url: str) -> dict[str, str]:
    """The bare environment plus our settings (sync mode, keys from the environment)."""
    return {
        **base_env(),
        "OGUST_API_URL": ogust_url,
        "OGUST_PUBLIC_KEY": PUBLIC_KEY,
        "OGUST_PRIVATE_KEY": PRIVATE_KEY,
        "WEBHOOK_SECRET": WEBHOOK_SECRET,
        "MAPPING_FILE": str(deployed_mapping()),
    }


@functools.cache
def deployed_mapping() -> Path:
    """The example mapping as the deploy artifact holds it: beside its checked form, which the
    function loads at start instead of validating the YAML (shared/mapping/checked.py)."""
    from shared.mapping import build_checked

    folder = Path(tempfile.mkdtemp(prefix="bench-mapping-"))
    atexit.register(shutil.rmtree, folder, True)
    mapping = folder / "mapping.yaml"
    mapping.write_bytes(MAPPING.read_bytes())
    build_checked(mapping, mapping.with_name(mapping.name + ".checked"))
    return mapping


def function_command(source: Path, target: str, port: int) -> list[str]:
    """How Cloud Functions' Python runtime starts a function (the same for ours and the bare one)."""
    return [
        sys.executable, "-m", "functions_framework", "--source", str(source), "--target", target,
        "--host", "127.0.0.1", "--port", str(port),
    ]  # fmt: skip


def start_sandbox(port: int | None = None) -> Child:
    """`python -m ogust_sandbox` with the benchmark's keys, once it answers."""
    port = port or free_port()
    args = [sys.executable, "-m", "ogust_sandbox", "--port", str(port)]
    args += ["--public-key", PUBLIC_KEY, "--private-key", PRIVATE_KEY]
    child = Child.spawn(args, base_env(), f"http://127.0.0.1:{port}")
    try:
        wait_until_answered(child, "GET", path="/_sandbox/calls", limit=30)
    except BaseException:
        child.stop()
        raise
    return child


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants (gunicorn's arbiter and its workers)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                todo += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
    return found


def memory_kib(pid: int) -> dict[str, int]:
    """VmHWM (peak RSS) and VmRSS of one process, in KiB, from /proc/<pid>/status."""
    out: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            out[key] = int(value.split()[0])
    return out


def pss_kib(pid: int) -> int:
    """Proportional set size (shared pages split between the processes sharing them)."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0
