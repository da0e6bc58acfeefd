"""Property tests of what reads the outside: the tab's cells as the staff may have left them, and
the reasons built from whatever details an error carries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from shared.exactly_once._ledger import Attempt, LedgerEntry
from shared.tracking._catalog import ERROR_CLASSES, reason
from shared.tracking._states import state_of
from shared.tracking._tab import read

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
CELL = st.one_of(st.none(), TEXT, st.booleans(), st.integers(), st.floats(allow_nan=False))
IDS = st.sampled_from(["2_ABaOnudA", "2_ABaOnudB", "2_ABaOnudC", "", "  "])


class Cells:
    """A Sheets client that holds one range's values (what values.get would answer)."""

    def __init__(self, rows: list[list[Any]]) -> None:
        self.rows = rows

    def get_values(self, spreadsheet_id: str, range_: str) -> list[list[Any]]:
        return self.rows


@given(st.lists(st.tuples(st.lists(CELL, max_size=7), st.one_of(CELL, IDS), IDS), max_size=30))
def test_any_tab_reads_as_each_id_at_its_first_row_and_only_true_boxes_ticked(
    lines: list[tuple[list[Any], Any, str]],
) -> None:
    rows = []
    for cells, box, response_id in lines:
        padded = (cells + [None] * 7)[:6]
        rows.append([*padded, box, response_id])
    seen = read(Cells(rows), "s", 7)  # type: ignore[arg-type]
    first: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        key = str(row[7] or "").strip()
        if key and key not in first:
            first[key] = number
    assert seen.rows == first
    assert seen.ticked == {k: n for k, n in first.items() if rows[n - 2][6] is True}
    assert len(seen.duplicates) == sum(1 for r in rows if str(r[7] or "").strip()) - len(first)


OUTCOMES = st.sampled_from(
    [
        "created",
        "updated",
        "unchanged",
        "skipped",
        "failed",
        "rejected",
        "resent",
        "duplicate",
        "stale",
        "parked",
        "unreadable",
    ]
)


@given(st.lists(OUTCOMES, max_size=12))
def test_the_state_is_the_last_outcome_that_says_something(outcomes: list[str]) -> None:
    at = datetime(2026, 12, 3, 9, tzinfo=UTC)
    history = tuple(Attempt(at + timedelta(minutes=n), "script", o, at) for n, o in enumerate(outcomes))
    applied = any(o in ("created", "updated", "unchanged") for o in outcomes)
    entry = LedgerEntry("f", "r", submitted_at=at if applied else None, history=history)
    meaningful = [o for o in outcomes if o not in ("duplicate", "stale", "parked")]
    expected = meaningful[-1] if meaningful else ("unchanged" if applied else "pending")
    expected = "rejected" if expected == "unreadable" else expected
    assert state_of(entry) == expected


@given(
    st.sampled_from(sorted(ERROR_CLASSES)),
    st.dictionaries(
        st.sampled_from(
            ["field", "question", "value", "customerIds", "ogustMessage", "ogustMethod", "other"]
        ),
        st.one_of(TEXT, st.lists(TEXT, max_size=3)),
    ),
)
def test_any_details_give_a_reason_naming_what_they_hold(name: str, details: dict[str, Any]) -> None:
    text = reason(name, details, "fr")
    assert text
    value = details.get("value")
    if name in ("SubmissionRejected", "AmbiguousMatchError") and value:
        shown = ", ".join(value) if isinstance(value, list) else value
        assert f"« {shown} »" in text  # the answer given is what she must look for
