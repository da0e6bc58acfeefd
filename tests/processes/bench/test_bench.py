"""The benchmark at a small size: exact Ogust call counts (they do not depend on the machine) and
that every timing figure was produced. Timings themselves are never asserted here."""

from __future__ import annotations

import math

import pytest

from bench.run import (
    EXPECTED_CALLS,
    HEAVY_MODULES,
    Config,
    Results,
    import_profile,
    max_per_window,
    run,
    table,
)


@pytest.fixture(scope="module")
def results() -> Results:
    return run(Config.quick())


@pytest.mark.slow
def test_each_scenario_costs_the_minimum_ogust_calls(results: Results) -> None:
    assert results.calls == EXPECTED_CALLS
    assert results.statuses == {
        "new customer": 201,
        "existing, nothing new": 200,
        "existing, other comment": 200,
        "existing, other address only": 200,
        "existing, comment and address": 200,
    }


@pytest.mark.slow
def test_one_get_token_per_instance_even_for_a_burst_of_first_requests(results: Results) -> None:
    assert results.token_burst_get_token == 1
    assert results.token_run_get_token == 1


@pytest.mark.slow
def test_a_dry_run_simulates_every_row_and_writes_nothing(results: Results) -> None:
    assert [(d["created"], d["ogust_writes"]) for d in results.dry_runs] == [
        (rows, 0) for rows in Config.quick().dry_run_rows
    ]


@pytest.mark.slow
def test_backfill_costs_one_search_and_one_set_per_new_row(results: Results) -> None:
    rows = Config.quick().backfill_rows
    assert results.backfill["calls"] == {"getToken": 1, "searchCustomer": rows, "setCustomer": rows}
    assert results.backfill["summary"]["created"] == rows
    assert results.backfill["summary"]["failed"] == 0


@pytest.mark.slow
def test_every_timing_and_memory_figure_is_produced(results: Results) -> None:
    figures = [
        *results.warm.values(),
        *results.cold.values(),
        results.memory["ours_peak_sum"],
        results.memory["bare_peak_sum"],
        results.backfill["per_second"],
    ]
    assert all(math.isfinite(value) and value > 0 for value in figures)
    assert results.backfill["max_requests_in_1s"] > 0
    assert results.memory["ours_processes"] >= 1
    assert [d["rows"] for d in results.dry_runs] == list(Config.quick().dry_run_rows)
    assert all(d["seconds"] > 0 for d in results.dry_runs)
    printed = table(results)
    assert "warm p99" in printed
    assert "cold start" in printed
    assert "backfill --dry-run: ms/row at" in printed


@pytest.mark.slow
def test_sync_mode_imports_no_google_cloud_client_at_start() -> None:
    profile = import_profile()
    assert profile["heavy_loaded"] == [], f"imported at start: {profile['heavy_loaded']} ({HEAVY_MODULES})"


def test_max_per_window_counts_a_half_open_second() -> None:
    assert max_per_window([0.0, 0.5, 0.99, 1.0, 1.5]) == 3
    assert max_per_window([]) == 0
