"""The one vocabulary of a submission's fate (`shared.lifecycle`): its words are the strings already
on the wire and in stored ledgers, a stored word reads back as it was written, and no status word
is spelt as a bare literal anywhere else."""

from __future__ import annotations

import ast
from collections import Counter
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import shared.lifecycle as lifecycle
from shared.exactly_once import Attempt, LedgerEntry, ledger_key
from shared.exactly_once._ledger import MemoryLedger, Version, _from_document, _to_document
from shared.lifecycle import (
    ANSWERED_AS,
    AgencyState,
    AttemptOutcome,
    Origin,
    Reported,
    ResponseState,
    Settled,
    Verdict,
    read_word,
    settled,
    verdict,
)

ROOT = Path(__file__).resolve().parents[2]
AT = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)

ENUMS: list[type[StrEnum]] = [
    value
    for value in vars(lifecycle).values()
    if isinstance(value, type) and issubclass(value, StrEnum) and value is not StrEnum
]
WORDS = {member.value for kind in ENUMS for member in kind}


def test_the_words_are_the_strings_answered_logged_and_stored_before() -> None:
    # Changing one of these changes the JSON answers, the log lines' `status` (the alerts match
    # them), the Apps Script's reading and every ledger already stored in Firestore.
    assert [o.value for o in Origin] == ["script", "reconcile", "backfill", "replay"]
    assert [v.value for v in Verdict] == ["apply", "duplicate", "stale"]
    assert [o.value for o in AttemptOutcome] == [
        "created",
        "updated",
        "unchanged",
        "skipped",
        "duplicate",
        "stale",
        "rejected",
        "failed",
        "parked",
        "unreadable",
        "resent",
    ]
    assert [s.value for s in Settled] == ["applied", "skipped", "parked"]
    assert [s.value for s in ResponseState] == [
        "applied",
        "skipped",
        "dead-lettered",
        "unreadable",
        "pending",
    ]
    assert [s.value for s in AgencyState] == [
        "created",
        "updated",
        "unchanged",
        "skipped",
        "pending",
        "failed",
        "rejected",
        "resent",
    ]
    assert {r.value for r in Reported} == {"queued", "retry-later", "dead-lettered", "reconciled", "planned"}


def test_a_duplicate_is_recorded_as_its_verdict_and_answered_as_before() -> None:
    assert ANSWERED_AS == {Verdict.DUPLICATE: "unchanged", Verdict.STALE: "skipped"}
    for decided in ANSWERED_AS:
        assert AttemptOutcome(decided) == decided.value  # what the ledger records


def test_a_ledger_stored_with_plain_strings_reads_back_as_the_words() -> None:
    stored = {
        "formId": "1Inscription",
        "responseId": "ACYDBNj-Élodie",
        "status": "duplicate",
        "source": "reconcile",
        "attempts": 2,
        "history": [
            {"at": AT, "source": "script", "outcome": "created", "submittedAt": AT},
            {"at": AT, "source": "reconcile", "outcome": "duplicate", "submittedAt": AT},
        ],
    }
    entry = _from_document(stored)
    assert entry is not None
    assert [(a.source, a.outcome) for a in entry.history] == [
        (Origin.SCRIPT, AttemptOutcome.CREATED),
        (Origin.RECONCILE, AttemptOutcome.DUPLICATE),
    ]
    assert all(isinstance(a.outcome, AttemptOutcome) for a in entry.history)
    written = _to_document(entry)
    assert [type(a["outcome"]) for a in written["history"]] == [str, str]  # plain strings in Firestore
    assert [a["outcome"] for a in written["history"]] == ["created", "duplicate"]


@given(st.text(max_size=20))
def test_a_stored_word_is_read_as_written_known_or_not(word: str) -> None:
    for kind in (Origin, AttemptOutcome):
        read = read_word(kind, word)
        assert read == word
        assert isinstance(read, kind) == (word in {m.value for m in kind})


def test_verdict_and_settled_differ_where_the_module_says() -> None:
    ledger = MemoryLedger()
    key = ledger_key("1Inscription", "r-1")
    applied = Version(AT, "d1")
    ledger.record(key, "1Inscription", "r-1", Attempt(AT, Origin.SCRIPT, AttemptOutcome.CREATED, AT), applied)
    entry = ledger.get(key)
    # The same time with other answers: another version for `verdict`, the same for `settled`.
    assert verdict(entry, Version(AT, "d2")) == Verdict.APPLY
    assert settled(entry, AT) == Settled.APPLIED
    # A version refused and parked: `settled` passes it by, `verdict` lets a replay through.
    refused = LedgerEntry(
        "1Inscription", "r-2", history=(Attempt(AT, Origin.SCRIPT, AttemptOutcome.REJECTED, AT),)
    )
    assert settled(refused, AT) == Settled.PARKED
    assert verdict(refused, Version(AT, "d1")) == Verdict.APPLY


# ── no bare status word outside the module ────────────────────────────────────────────────────

SCANNED = [
    *(p for p in ROOT.glob("shared/**/*.py") if p != ROOT / "shared" / "lifecycle.py"),
    ROOT / "cli" / "status_command.py",
    ROOT / "cli" / "backfill_command.py",
    ROOT / "cli" / "delivery_command.py",
    ROOT / "functions" / "forms_to_ogust" / "main.py",
]
OWN_VOCABULARY = ROOT / "shared" / "doctor"
"""The doctor's checks end as ok, warning, failed, unknown or skipped (`shared.doctor`'s own
`Verdict`): a check's verdict, not a submission's fate."""

NOT_A_STATUS: dict[tuple[str, str], tuple[int, str]] = {
    ("shared/delivery/reconcile.py", "created"): (1, "a Forms watch's state (created, renewed…)"),
    ("shared/delivery/reconcile.py", "reconcile"): (1, "a thread name"),
    ("shared/backfill/run.py", "backfill"): (1, "a thread name"),
    ("shared/tracking/_catalog.py", "applied"): (1, "an error detail's key (fields written)"),
    ("cli/backfill_command.py", "backfill"): (2, "the command's name and its progress bar's label"),
    ("cli/delivery_command.py", "replay"): (1, "the command's name"),
}
"""Words spelt like a status that are none, each with how often it appears and what it is."""

CATALOG_LOOKUPS = frozenset({"say", "text"})
"""Calls whose first argument is a message id of the catalog (`status.applied`…), not a status."""


def _bare_words(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    passed: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            passed.add(id(node.value))  # docstrings
        elif isinstance(node, ast.Dict):
            passed.update(id(k) for k in node.keys if k is not None)  # JSON field names
        elif isinstance(node, ast.Subscript):
            passed.add(id(node.slice))  # a field read by name
        elif isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            passed.update(id(n) for n in ast.walk(node.value))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in CATALOG_LOOKUPS
            and node.args
        ):
            passed.add(id(node.args[0]))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value in WORDS
        and id(node) not in passed
    ]


def test_no_status_word_is_a_bare_literal_outside_the_lifecycle() -> None:
    found: Counter[tuple[str, str]] = Counter()
    lines: dict[tuple[str, str], list[int]] = {}
    for path in SCANNED:
        if OWN_VOCABULARY in path.parents:
            continue
        relative = path.relative_to(ROOT).as_posix()
        for line, word in _bare_words(path):
            found[(relative, word)] += 1
            lines.setdefault((relative, word), []).append(line)
    unexpected = {
        f"{where}:{lines[(where, word)]}: {word!r}": n
        for (where, word), n in found.items()
        if NOT_A_STATUS.get((where, word), (0, ""))[0] != n
    }
    assert unexpected == {}, "use the member of shared.lifecycle instead of the string"
    assert set(NOT_A_STATUS) <= set(found), "an allowance no longer needed: remove it"


def test_the_scan_finds_a_bare_word(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""created"""\n'
        'body = {"status": "rejected", "created": 1}\n'
        'if outcome == "duplicate":\n    pass\n'
        'say("applied")\n',
        encoding="utf-8",
    )
    assert _bare_words(sample) == [(2, "rejected"), (3, "duplicate")]
