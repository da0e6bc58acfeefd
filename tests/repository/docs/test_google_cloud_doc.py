"""The Google facts live in docs/google-cloud.md: no tracked file points outside the repository for
them, and every `google-cloud.md §N` cited is a section of that page."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PAGE = ROOT / "docs" / "google-cloud.md"
# Test fixtures hold third-party data verbatim; this file names what it forbids.
EXEMPT_PREFIXES = ("tests/unit/infra/fixtures/",)
SELF = Path(__file__).resolve().relative_to(ROOT).as_posix()

# Notes kept outside the repository, which a reader of the project cannot open.
OUTSIDE = re.compile(
    r"\.\./shared/|shared/reference|reference/(?:google-cloud|anchors|ogust-api)\.md|anchors\.md"
)
MENTION = re.compile(r"(\S*?)google-cloud\.md")
CITATION = re.compile(r"google-cloud\.md\)?\]?(?:\([^)]*\))?\s*§\s*(\d+(?:\.\d+)*[a-z]?)")
SECTION = re.compile(r"^#+\s*§(\d+[a-z]?)\s", re.MULTILINE)


def sections() -> set[str]:
    return set(SECTION.findall(PAGE.read_text(encoding="utf-8")))


def tracked_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode("utf-8")
    return [p for p in listed.split("\0") if p and p != SELF and not p.startswith(EXEMPT_PREFIXES)]


def problems_in(path: str, text: str, known: set[str]) -> list[str]:
    found: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        where = f"{path}:{number}"
        if OUTSIDE.search(line):
            found.append(f"{where}: cites notes outside the repository: {line.strip()}")
        for prefix in MENTION.findall(line):
            # Elsewhere than docs/, the page is named by its path; in docs/ a relative link is fine.
            if not (prefix.endswith("docs/") or path.startswith("docs/")):
                found.append(f"{where}: names google-cloud.md without docs/: {line.strip()}")
        for section in CITATION.findall(line):
            if section not in known:
                found.append(f"{where}: docs/google-cloud.md has no §{section}")
    return found


def test_the_checker_flags_outside_notes_and_missing_sections() -> None:
    known = {"1", "2", "5"}
    assert problems_in("a.py", "see docs/google-cloud.md §5 and §2", known) == []
    assert problems_in("docs/x.md", "([google-cloud.md §5](google-cloud.md))", known) == []
    assert len(problems_in("a.gs", "(../shared/reference/google-cloud.md §1.5)", known)) == 3
    assert problems_in("a.py", "summarised in anchors.md §A.6", known) != []
    assert problems_in("a.js", "docs/google-cloud.md §9", known) == ["a.js:1: docs/google-cloud.md has no §9"]
    assert problems_in("a.gs", "(§2.4 of google-cloud.md)", known) != []


def test_the_page_has_numbered_sections() -> None:
    assert {str(n) for n in range(1, 13)} <= sections()


def test_no_tracked_file_cites_notes_outside_the_repository() -> None:
    known = sections()
    found: list[str] = []
    cited = 0
    for path in tracked_files():
        try:
            text = (ROOT / path).read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue  # binary files, and files deleted but not yet committed
        cited += len(CITATION.findall(text))
        found += problems_in(path, text, known)
    assert found == []
    assert cited >= 20  # the code does cite the page: the check is not vacuous
