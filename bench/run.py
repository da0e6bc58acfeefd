"""Run the benchmark: Ogust calls per scenario, warm latency and cold start against the bare
functions-framework function, peak memory, and a rate-limited backfill. Prints a table."""

from __future__ import annotations

import csv
import json
import math
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from bench._procs import (
    BARE_SOURCE,
    MAPPING,
    OURS_SOURCE,
    PRIVATE_KEY,
    PUBLIC_KEY,
    ROOT,
    Child,
    base_env,
    free_port,
    function_command,
    memory_kib,
    ours_env,
    process_tree,
    pss_kib,
    start_sandbox,
    wait_until_answered,
)
from bench._submissions import new_customer, signed, submission

TARGET = "receive_submission"
BARE_TARGET = "bare"

EXPECTED_CALLS: dict[str, dict[str, int]] = {
    "new customer": {"searchCustomer": 1, "setCustomer": 1},
    "existing, nothing new": {"searchCustomer": 1},
    "existing, other comment": {"searchCustomer": 1, "setCustomer": 1},
    "existing, other address only": {"searchCustomer": 1, "setAddress": 1},
    "existing, comment and address": {"searchCustomer": 1, "setCustomer": 1, "setAddress": 1},
}
"""The minimum by construction: decide() compares with the record the search returned."""

HEAVY_MODULES = ("google.cloud.secretmanager", "google.cloud.pubsub", "google.cloud.firestore", "grpc")
"""Clients a sync-mode instance with keys in the environment never needs: never imported at start."""

CSV_TITLES = [
    "Horodateur", "Civilité", "Nom", "Prénom", "Adresse e-mail", "Téléphone portable", "Adresse",
    "Code postal", "Ville", "Note globale (1 à 5)", "Commentaires",
]  # fmt: skip
"""The satisfaction questionnaire's response sheet, as Google Sheets exports it in French."""


@dataclass
class Config:
    """Sizes of each part; `quick()` is what the test suite runs."""

    warm: int = 1000
    warmup: int = 100
    cold: int = 7
    concurrent: int = 400
    threads: int = 16
    token_burst: int = 16
    backfill_rows: int = 1000
    backfill_workers: int = 8
    backfill_rate: float = 50.0
    backfill_latency_ms: int = 100
    dry_run_rows: tuple[int, ...] = (2500, 10_000)
    """Sizes of the `backfill --dry-run` runs: the time per row must not grow with the rows."""

    @classmethod
    def quick(cls) -> Config:
        return cls(warm=20, warmup=5, cold=1, concurrent=32, backfill_rows=20, dry_run_rows=(50, 200))


@dataclass
class Results:
    """Everything measured; times in milliseconds, memory in MiB."""

    config: dict[str, Any]
    machine: dict[str, str] = field(default_factory=dict)
    calls: dict[str, dict[str, int]] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    token_burst_get_token: int = -1
    token_run_get_token: int = -1
    token_run_requests: int = 0
    warm: dict[str, float] = field(default_factory=dict)
    cold: dict[str, float] = field(default_factory=dict)
    memory: dict[str, float] = field(default_factory=dict)
    backfill: dict[str, Any] = field(default_factory=dict)
    dry_runs: list[dict[str, Any]] = field(default_factory=list)
    imports: dict[str, Any] = field(default_factory=dict)


def run(config: Config | None = None, *, out: Callable[[str], None] | None = None) -> Results:
    """Run every part against freshly started processes; `out` gets progress lines."""
    config = config or Config()
    say = out or (lambda _line: None)
    results = Results(config=asdict(config), machine=machine())
    say("import profile of main.py…")
    results.imports = import_profile()
    with start_sandbox() as sandbox:
        ogust_url = sandbox.url + "/api/v2/apiogust.php"
        control = httpx.Client(base_url=sandbox.url, timeout=30)
        say(f"cold starts ({config.cold} of each)…")
        results.cold = cold_starts(config.cold, ogust_url)
        reset(control)
        ours_port, bare_port = free_port(), free_port()
        ours = Child.spawn(
            function_command(OURS_SOURCE, TARGET, ours_port),
            ours_env(ogust_url),
            f"http://127.0.0.1:{ours_port}/",
        )
        bare = Child.spawn(
            function_command(BARE_SOURCE, BARE_TARGET, bare_port),
            base_env(),
            f"http://127.0.0.1:{bare_port}/",
        )
        with ours, bare:
            # A GET is refused (405) before any Ogust call: ready without having fetched a token.
            wait_until_answered(ours, "GET")
            wait_until_answered(bare, "GET")
            say(f"{config.token_burst} concurrent first requests…")
            results.token_burst_get_token = token_burst(control, ours.url, config.token_burst)
            say("Ogust calls per scenario…")
            results.calls, results.statuses = call_counts(control, ours.url)
            say(f"warm latency ({config.warm} requests to each, interleaved)…")
            results.warm = warm(ours.url, bare.url, config.warm, config.warmup)
            say(f"{config.concurrent} requests from {config.threads} threads…")
            concurrent(ours.url, config.concurrent, config.threads)
            results.token_run_get_token = counters(control)["getToken"]
            results.token_run_requests = (
                config.token_burst + len(EXPECTED_CALLS) + 1 + config.warm + config.warmup + config.concurrent
            )
            results.memory = memory(ours.pid, bare.pid)
        say(f"backfill of {config.backfill_rows} rows…")
        results.backfill = backfill(control, ogust_url, config)
        for rows in config.dry_run_rows:
            say(f"backfill --dry-run of {rows} rows…")
            results.dry_runs.append(dry_run(control, ogust_url, rows))
    return results


# ── Ogust call counts ───────────────────────────────────────────────────────────────────────────────


def counters(control: httpx.Client) -> Counter[str]:
    """The sandbox's calls per Ogust method so far."""
    return Counter(control.get("/_sandbox/calls").raise_for_status().json()["calls"])


def reset(control: httpx.Client, latency_ms: int = 0) -> None:
    """Empty sandbox (customers, tokens, counters), with `latency_ms` added to every Ogust call."""
    control.post("/_sandbox/reset").raise_for_status()
    control.post("/_sandbox/faults", json={"fault": "latency", "ms": latency_ms}).raise_for_status()


def token_burst(control: httpx.Client, url: str, n: int) -> int:
    """getToken calls when `n` first requests of a fresh instance all need a token at once."""
    reset(control, latency_ms=200)  # getToken still in flight when every request asks for a token
    before = counters(control)["getToken"]
    bodies = [new_customer(i, "burst") for i in range(n)]
    start = threading.Barrier(n)
    codes: list[int] = []

    def send(i: int) -> None:
        with httpx.Client(timeout=60) as client:
            start.wait()
            codes.append(client.post(url, content=bodies[i][0], headers=bodies[i][1]).status_code)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    control.post("/_sandbox/faults", json={"fault": "latency", "ms": 0}).raise_for_status()
    if codes.count(201) != n:
        raise RuntimeError(f"the burst answered {sorted(codes)}")
    return counters(control)["getToken"] - before


def call_counts(control: httpx.Client, url: str) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """Ogust calls of one submission per scenario (token already held), and the HTTP status."""
    email = "marie-helene.bench@exemple.fr"
    steps = {
        "new customer": submission(email),
        "existing, nothing new": submission(email),
        "existing, other comment": submission(email, comment="Toujours très bien."),
        "existing, other address only": submission(
            email, comment="Toujours très bien.", line="3 place Carnot"
        ),
        "existing, comment and address": submission(email, comment="Parfait.", line="5 rue Pasteur"),
    }
    calls: dict[str, dict[str, int]] = {}
    statuses: dict[str, int] = {}
    with httpx.Client(timeout=30) as client:
        for name, data in steps.items():
            body, headers = signed(data)
            before = counters(control)
            statuses[name] = client.post(url, content=body, headers=headers).status_code
            delta = counters(control) - before
            calls[name] = dict(sorted(delta.items()))
    return calls, statuses


# ── Timing ──────────────────────────────────────────────────────────────────────────────────────────


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def warm(ours_url: str, bare_url: str, n: int, warmup: int) -> dict[str, float]:
    """p50/p99 of whole requests, ours (a new customer each time) and bare (same body), interleaved."""
    bodies = [new_customer(i, "warm") for i in range(n + warmup)]
    ours_ms: list[float] = []
    own_ms: list[float] = []
    bare_ms: list[float] = []
    with httpx.Client(timeout=30) as ours, httpx.Client(timeout=30) as bare:
        for i, (body, headers) in enumerate(bodies):
            t0 = time.perf_counter()
            answer = bare.post(bare_url, content=body, headers=headers)
            t1 = time.perf_counter()
            mine = ours.post(ours_url, content=body, headers=headers)
            t2 = time.perf_counter()
            if answer.status_code != 200 or mine.status_code != 201:
                raise RuntimeError(f"warm request {i}: bare {answer.status_code}, ours {mine.status_code}")
            if i >= warmup:
                bare_ms.append((t1 - t0) * 1000)
                ours_ms.append((t2 - t1) * 1000)
                # The function's own work: the whole request minus its wait for Ogust (Server-Timing).
                waited = float(mine.headers.get("Server-Timing", "ogust;dur=0").partition(";dur=")[2])
                own_ms.append((t2 - t1) * 1000 - waited)
    out = {
        "ours_p50": percentile(ours_ms, 50),
        "ours_p99": percentile(ours_ms, 99),
        "bare_p50": percentile(bare_ms, 50),
        "bare_p99": percentile(bare_ms, 99),
        "own_p50": percentile(own_ms, 50),
        "own_p99": percentile(own_ms, 99),
        "n": float(n),
    }
    for p in ("p50", "p99"):
        out[f"ratio_{p}"] = out[f"ours_{p}"] / out[f"bare_{p}"]
        out[f"own_ratio_{p}"] = out[f"own_{p}"] / out[f"bare_{p}"]
    return out


def cold_starts(n: int, ogust_url: str) -> dict[str, float]:
    """Median seconds from spawn to the first answered request (ours: a real new customer)."""
    ours_s: list[float] = []
    bare_s: list[float] = []
    for i in range(n):
        body, headers = new_customer(i, "cold")
        port = free_port()
        with Child.spawn(
            function_command(BARE_SOURCE, BARE_TARGET, port), base_env(), f"http://127.0.0.1:{port}/"
        ) as bare:
            elapsed, answer = wait_until_answered(bare, "POST", content=body, headers=headers)
            if answer.status_code != 200:
                raise RuntimeError(f"bare cold start answered {answer.status_code}")
            bare_s.append(elapsed)
        port = free_port()
        with Child.spawn(
            function_command(OURS_SOURCE, TARGET, port), ours_env(ogust_url), f"http://127.0.0.1:{port}/"
        ) as ours:
            elapsed, answer = wait_until_answered(ours, "POST", content=body, headers=headers)
            if answer.status_code != 201:
                raise RuntimeError(f"our cold start answered {answer.status_code}: {answer.text}")
            ours_s.append(elapsed)
    out = {
        "ours_ms": statistics.median(ours_s) * 1000,
        "bare_ms": statistics.median(bare_s) * 1000,
        "n": float(n),
    }
    out["ratio"] = out["ours_ms"] / out["bare_ms"]
    return out


def concurrent(url: str, n: int, threads: int) -> None:
    """`n` new-customer requests from `threads` threads at once (load for the memory figure)."""
    bodies = [new_customer(i, "load") for i in range(n)]
    failures: list[int] = []
    lock = threading.Lock()
    position = iter(range(n))

    def worker() -> None:
        with httpx.Client(timeout=60) as client:
            while True:
                with lock:
                    i = next(position, None)
                if i is None:
                    return
                code = client.post(url, content=bodies[i][0], headers=bodies[i][1]).status_code
                if code != 201:
                    failures.append(code)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    if failures:
        raise RuntimeError(f"concurrent run: {len(failures)} failures, e.g. HTTP {failures[0]}")


def import_profile(top: int = 8) -> dict[str, Any]:
    """`python -X importtime -c "import main"` in functions/forms_to_ogust with our settings: the
    biggest imports (cumulative ms) and which of HEAVY_MODULES got loaded (there should be none)."""
    code = "import sys, main; print(' '.join(sorted(sys.modules)))"
    done = subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        [sys.executable, "-X", "importtime", "-c", code],
        env=ours_env("http://127.0.0.1:9/api/v2/apiogust.php"),
        cwd=OURS_SOURCE.parent,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    modules = done.stdout.split()
    cumulative: list[tuple[str, float]] = []
    for line in done.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            name = parts[2].rstrip()
            depth = (len(name) - len(name.lstrip())) // 2
            cumulative.append((f"{'  ' * depth}{name.strip()}", int(parts[1]) / 1000))
    return {
        "total_ms": next((ms for name, ms in cumulative if name == "main"), 0.0),
        "top": sorted(cumulative, key=lambda item: -item[1])[:top],
        "heavy_loaded": [
            m for m in modules if m.startswith(HEAVY_MODULES) and m.split(".")[0] in ("google", "grpc")
        ],
        "modules": len(modules),
    }


# ── Memory ──────────────────────────────────────────────────────────────────────────────────────────


def memory(ours_pid: int, bare_pid: int) -> dict[str, float]:
    """Peak RSS (VmHWM) per process of each function's tree, their sum, and the current PSS sum."""
    out: dict[str, float] = {}
    for name, pid in (("ours", ours_pid), ("bare", bare_pid)):
        tree = process_tree(pid)
        peaks = [memory_kib(p).get("VmHWM", 0) / 1024 for p in tree]
        out[f"{name}_processes"] = float(len(tree))
        out[f"{name}_arbiter_peak"] = peaks[0]
        out[f"{name}_worker_peak"] = max(peaks[1:], default=0.0)
        out[f"{name}_peak_sum"] = sum(peaks)
        out[f"{name}_pss_now"] = sum(pss_kib(p) for p in tree) / 1024
    return out


# ── Backfill ────────────────────────────────────────────────────────────────────────────────────────


def write_csv(path: Path, rows: int) -> None:
    """A French response-sheet export of the satisfaction questionnaire, one unique e-mail a row."""
    start = datetime(2025, 1, 6, 8, 0, 0)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(CSV_TITLES)
        for i in range(rows):
            stamp = start + timedelta(minutes=47 * i)  # 10,000 rows end in November 2025: all past
            writer.writerow(
                [
                    stamp.strftime("%d/%m/%Y %H:%M:%S"), "Madame" if i % 2 else "Monsieur", f"Lefèvre-{i}",
                    "Zoé" if i % 2 else "Jean-Pierre", f"backfill.{i}@exemple.fr",
                    f"06 12 {i // 100 % 100:02d} {i % 100:02d} 78", f"{i % 90 + 1}, rue de l'Église", "94240",
                    "L'Haÿ-les-Roses", str(i % 5 + 1), "Très bien, merci à l'équipe." if i % 3 else "",
                ]
            )  # fmt: skip


def max_per_window(times: list[float], window: float = 1.0) -> int:
    """The most arrivals in any half-open window [t, t + window)."""
    ordered = sorted(times)
    best, lo = 0, 0
    for hi, t in enumerate(ordered):
        while ordered[lo] <= t - window:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


def backfill(control: httpx.Client, ogust_url: str, config: Config) -> dict[str, Any]:
    """`forms-to-ogust backfill` of a CSV against a sandbox adding latency to every call."""
    reset(control, latency_ms=config.backfill_latency_ms)
    with tempfile.TemporaryDirectory(prefix="bench-backfill-") as tmp:
        export = Path(tmp) / "reponses.csv"
        write_csv(export, config.backfill_rows)
        command = [sys.executable, "-c", "from cli.main import main; main()", "backfill", str(MAPPING)]
        command += [str(export), "--format", "csv", "--rate", str(config.backfill_rate)]
        command += ["--workers", str(config.backfill_workers), "--state", str(Path(tmp) / "state"), "--json"]
        command += ["--local-ledger"]  # nothing else delivers to the bench's sandbox
        env = {
            **base_env(),
            "OGUST_API_URL": ogust_url,
            "OGUST_PUBLIC_KEY": PUBLIC_KEY,
            "OGUST_PRIVATE_KEY": PRIVATE_KEY,
        }
        started = time.perf_counter()
        done = subprocess.run(  # noqa: S603 (our own interpreter and arguments)
            command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=3600, check=False
        )
        elapsed = time.perf_counter() - started
    arrivals = control.get("/_sandbox/arrivals").raise_for_status().json()["arrivals"]
    calls = dict(sorted(counters(control).items()))
    reset(control)
    if done.returncode != 0:
        raise RuntimeError(f"backfill exited {done.returncode}: {done.stderr[-2000:]}")
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    return {
        "rows": config.backfill_rows,
        "seconds": elapsed,
        "per_second": config.backfill_rows / elapsed,
        "summary": {k: v for k, v in summary.items() if isinstance(v, int) and not isinstance(v, bool)},
        "calls": calls,
        "max_requests_in_1s": max_per_window(arrivals),
        "rate": config.backfill_rate,
        "workers": config.backfill_workers,
        "latency_ms": config.backfill_latency_ms,
    }


def dry_run(control: httpx.Client, ogust_url: str, rows: int) -> dict[str, Any]:
    """`forms-to-ogust backfill --dry-run` of `rows` new people against an instant sandbox: each row
    is searched for in Ogust and among the customers the run simulated so far."""
    reset(control)
    with tempfile.TemporaryDirectory(prefix="bench-dry-run-") as tmp:
        export = Path(tmp) / "reponses.csv"
        write_csv(export, rows)
        command = [sys.executable, "-c", "from cli.main import main; main()", "backfill", str(MAPPING)]
        command += [str(export), "--format", "csv", "--rate", "100000", "--workers", "8"]
        command += ["--dry-run", "--json"]
        env = {**base_env(), "OGUST_API_URL": ogust_url, "OGUST_PUBLIC_KEY": PUBLIC_KEY}
        env["OGUST_PRIVATE_KEY"] = PRIVATE_KEY
        started = time.perf_counter()
        done = subprocess.run(  # noqa: S603 (our own interpreter and arguments)
            command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=3600, check=False
        )
        elapsed = time.perf_counter() - started
    calls = counters(control)
    writes = sum(n for method, n in calls.items() if method.startswith("set"))
    reset(control)
    if done.returncode != 0:
        output = (done.stderr + done.stdout)[-2000:]
        raise RuntimeError(f"backfill --dry-run exited {done.returncode}: {output}")
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    return {
        "rows": rows,
        "seconds": elapsed,
        "ms_per_row": 1000 * elapsed / rows,
        "created": summary["created"],
        "ogust_writes": writes,
    }


# ── Report ──────────────────────────────────────────────────────────────────────────────────────────


def machine() -> dict[str, str]:
    """Where the figures come from."""
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    import os
    import platform

    return {
        "cpus": str(os.cpu_count()),
        "cpu": model,
        "python": platform.python_version(),
        "date": datetime.now().strftime("%Y-%m-%d %H:%M"),
    }


def table(r: Results) -> str:
    """The figures as a Markdown table, each with its target and whether it is met."""

    def ok(met: bool) -> str:
        return "met" if met else "**missed**"

    rows: list[tuple[str, str, str, str]] = []
    for name, got in r.calls.items():
        want = EXPECTED_CALLS[name]
        shown = " + ".join(f"{m} {n}" for m, n in got.items()) or "none"
        rows.append(
            (
                f"Ogust calls: {name}",
                f"{sum(got.values())} ({shown})",
                str(sum(want.values())),
                ok(got == want),
            )
        )
    rows.append(
        (
            f"getToken, {r.token_run_requests} requests on one instance",
            str(r.token_run_get_token),
            "1",
            ok(r.token_run_get_token == 1),
        )
    )
    rows.append(
        (
            f"getToken, {r.config['token_burst']} concurrent first requests",
            str(r.token_burst_get_token),
            "1",
            ok(r.token_burst_get_token == 1),
        )
    )
    w = r.warm
    for p in ("p50", "p99"):
        rows.append(
            (
                f"warm {p} (ours / bare, ms, n={int(w['n'])})",
                f"{w[f'ours_{p}']:.2f} / {w[f'bare_{p}']:.2f} = {w[f'ratio_{p}']:.2f}×",
                "≤ 1.5×",
                ok(w[f"ratio_{p}"] <= 1.5),
            )
        )
    for p in ("p50", "p99"):
        rows.append(
            (
                f"warm {p} without the wait for the sandbox (ours − Ogust / bare, ms)",
                f"{w[f'own_{p}']:.2f} / {w[f'bare_{p}']:.2f} = {w[f'own_ratio_{p}']:.2f}×",
                "≤ 1.5×",
                ok(w[f"own_ratio_{p}"] <= 1.5),
            )
        )
    c = r.cold
    rows.append(
        (
            f"cold start, median of {int(c['n'])} (ours / bare, ms)",
            f"{c['ours_ms']:.0f} / {c['bare_ms']:.0f} = {c['ratio']:.2f}×",
            "≤ 1.5×",
            ok(c["ratio"] <= 1.5),
        )
    )
    m = r.memory
    rows.append(
        (
            f"peak RSS, ours ({int(m['ours_processes'])} processes: arbiter + worker)",
            f"{m['ours_peak_sum']:.1f} MiB ({m['ours_arbiter_peak']:.1f} + {m['ours_worker_peak']:.1f}); "
            f"PSS now {m['ours_pss_now']:.1f}",
            "< 150 MiB",
            ok(m["ours_peak_sum"] < 150),
        )
    )
    rows.append(
        (
            "peak RSS, bare (same process model)",
            f"{m['bare_peak_sum']:.1f} MiB ({m['bare_arbiter_peak']:.1f} + {m['bare_worker_peak']:.1f})",
            "(reference)",
            "",
        )
    )
    b = r.backfill
    rows.append(
        (
            f"backfill {b['rows']} rows, +{b['latency_ms']} ms/call, "
            f"--workers {b['workers']} --rate {b['rate']:g}",
            f"{b['per_second']:.1f} submissions/s ({b['seconds']:.1f} s)",
            "≥ 20/s",
            ok(b["per_second"] >= 20),
        )
    )
    rows.append(
        (
            "backfill: most Ogust requests in any 1 s",
            str(b["max_requests_in_1s"]),
            f"≤ {b['rate']:g}",
            ok(b["max_requests_in_1s"] <= b["rate"]),
        )
    )
    calls = " + ".join(f"{k} {v}" for k, v in b["calls"].items())
    rows.append(("backfill: Ogust calls", calls, "", ""))
    for d in r.dry_runs:
        rows.append(
            (
                f"backfill --dry-run {d['rows']} rows (instant Ogust, 8 workers)",
                f"{d['seconds']:.1f} s, {d['ms_per_row']:.2f} ms/row, {d['ogust_writes']} Ogust writes",
                "linear in the rows",
                "",
            )
        )
    if len(r.dry_runs) >= 2:
        small, big = r.dry_runs[0], r.dry_runs[-1]
        growth = big["ms_per_row"] / small["ms_per_row"]
        rows.append(
            (
                f"backfill --dry-run: ms/row at {big['rows']} ÷ at {small['rows']}",
                f"{growth:.2f}",
                "< 2 (quadratic: ≈ 4)",
                ok(growth < 2),
            )
        )
    head = ("Measure", "Result", "Target", "")
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(4)]
    lines = [
        "| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) + " |" for row in [head, *rows]
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    imp = r.imports
    lines.append(
        f"\n`import main`: {imp['total_ms']:.0f} ms under -X importtime, {imp['modules']} modules; "
        f"Google clients imported: {', '.join(imp['heavy_loaded']) or 'none'}. Biggest (cumulative ms):"
    )
    lines += [f"    {ms:7.1f}  {name}" for name, ms in imp["top"]]
    mc = r.machine
    lines.append(f"\n{mc['cpus']} CPUs ({mc['cpu']}), Python {mc['python']}, {mc['date']}")
    return "\n".join(lines)
