"""Pytest plugin: the Pub/Sub and Firestore emulators of the installed Google Cloud SDK.

Each runs in its own process group on a free loopback port for the whole session and is stopped by
killing the group, so no Java process outlives the tests. Without the SDK (or Java) the tests that
need an emulator are skipped with the reason, except in CI (`CI=true`), where that is a failure.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts.processes import free_port

DEFAULT_SDK_ROOT = Path("/usr/lib/google-cloud-sdk")
START_TIMEOUT = 60.0


def sdk_root() -> Path | None:
    """The Google Cloud SDK's root: CLOUDSDK_ROOT_DIR, the Debian package's path, or `gcloud info`."""
    for candidate in (os.environ.get("CLOUDSDK_ROOT_DIR"), str(DEFAULT_SDK_ROOT)):
        if candidate and (Path(candidate) / "platform").is_dir():
            return Path(candidate)
    gcloud = shutil.which("gcloud")
    if gcloud:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(
                [gcloud, "info", "--format=value(installation.sdk_root)"],
                capture_output=True,
                text=True,
                timeout=30,
                check=True,
            ).stdout.strip()
            if out and (Path(out) / "platform").is_dir():
                return Path(out)
    return None


def unavailable(reason: str) -> None:
    """Skip loudly on a developer machine; fail in CI, where the emulator is part of the contract."""
    message = f"EMULATOR TESTS NOT RUN: {reason}. Install the Google Cloud SDK emulators and Java 17+."
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


class Emulator:
    """One emulator process group on 127.0.0.1:port."""

    def __init__(self, name: str, command: list[str], port: int, log: Path) -> None:
        self.name = name
        self.port = port
        self.host = f"127.0.0.1:{port}"
        self._log = log
        self._log_file = log.open("wb")
        self._process = subprocess.Popen(
            command, stdout=self._log_file, stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                break
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"http://{self.host}/", timeout=1) as response,
            ):
                if response.status == 200:
                    return
            time.sleep(0.1)
        self.stop()
        tail = self._log.read_text(errors="replace")[-2000:]
        unavailable(f"the {self.name} emulator did not start within {START_TIMEOUT:.0f} s:\n{tail}")

    def stop(self) -> None:
        """Kill the whole process group (the launcher script and its java child)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._process.pid, signal.SIGTERM)
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):  # a child that ignored SIGTERM
            os.killpg(self._process.pid, signal.SIGKILL)
        self._log_file.close()


def _start(name: str, relative: str, args: list[str], tmp: Path) -> Iterator[Emulator]:
    root = sdk_root()
    if root is None:
        unavailable("the Google Cloud SDK is not installed (no gcloud, no /usr/lib/google-cloud-sdk)")
    assert root is not None
    binary = root / relative
    if not binary.exists():
        unavailable(f"the {name} emulator is not installed ({binary} is missing)")
    if shutil.which("java") is None:
        unavailable(f"the {name} emulator needs Java, and `java` is not on PATH")
    port = free_port()
    emulator = Emulator(
        name, [str(binary), *args, "--host=127.0.0.1", f"--port={port}"], port, tmp / f"{name}.log"
    )
    try:
        emulator.wait_ready()
        yield emulator
    finally:
        emulator.stop()


@pytest.fixture(scope="session")
def pubsub_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    """The Pub/Sub emulator (`cloud-pubsub-emulator`), for the whole session."""
    yield from _start(
        "pubsub",
        "platform/pubsub-emulator/bin/cloud-pubsub-emulator",
        [],
        tmp_path_factory.mktemp("pubsub"),
    )


@pytest.fixture(scope="session")
def firestore_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    """The Firestore emulator (`cloud_firestore_emulator start`), for the whole session."""
    yield from _start(
        "firestore",
        "platform/cloud-firestore-emulator/cloud_firestore_emulator",
        ["start"],
        tmp_path_factory.mktemp("firestore"),
    )
