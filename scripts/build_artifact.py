"""Build the deploy artifact: the zip Cloud Functions builds, and nothing else.

    python -m scripts.build_artifact --mapping my-form.yaml --out infra/terraform/build/function.zip

The zip's root is what Cloud Functions expects of a Python function, plus the code and mapping it
imports:

    main.py  requirements.txt  mapping.yaml  mapping.yaml.checked  shared/…

It validates the mapping first (`shared.mapping.load_mapping`) and refuses to build when it has
errors. The zip is deterministic (sorted entries, fixed timestamps and permissions), so its SHA-256,
which names the object Terraform uploads, changes only when the code, the requirements or the
mapping change. Tests build it with this same script and run it under functions-framework.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FUNCTION_DIR = ROOT / "functions" / "forms_to_ogust"
SHARED_DIR = ROOT / "shared"
DEFAULT_OUT = ROOT / "infra" / "terraform" / "build" / "function.zip"

MAPPING_NAME = "mapping.yaml"
"""Name of the mapping inside the artifact; Terraform sets MAPPING_FILE to it."""
CHECKED_NAME = MAPPING_NAME + ".checked"
"""The mapping as validated by the build, which the function loads at start when it still matches."""

REQUIRED_FUNCTION_FILES = ("main.py", "requirements.txt")
"""What Cloud Functions needs at the artifact's root; other top-level *.py files of the function come too."""

SHARED_SUFFIXES = frozenset({".py", ".typed", ".po"})
"""From shared/, only Python sources (and the py.typed marker) and the message catalogs (.po): no
caches, data or notes."""

_EXCLUDED_PARTS = frozenset({"__pycache__", "tests", "ogust_sandbox", "cli"})
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold
_FILE_MODE = 0o100644 << 16  # regular file, rw-r--r--


class BuildError(Exception):
    """The artifact cannot be built; the message says why."""


def artifact_files(mapping: Path) -> dict[str, Path]:
    """Archive name → source file, for everything that goes into the artifact."""
    files: dict[str, Path] = {}
    for name in REQUIRED_FUNCTION_FILES:
        if not (FUNCTION_DIR / name).is_file():
            raise BuildError(f"missing {(FUNCTION_DIR / name).relative_to(ROOT)}")
    for source in sorted(FUNCTION_DIR.iterdir()):
        if source.is_file() and (source.suffix == ".py" or source.name == "requirements.txt"):
            files[source.name] = source
    if (FUNCTION_DIR / "shared").exists() or (FUNCTION_DIR / MAPPING_NAME).exists():
        raise BuildError(f"{FUNCTION_DIR.relative_to(ROOT)} must not hold its own shared/ or {MAPPING_NAME}")
    for source in _shared_sources():
        files[source.relative_to(ROOT).as_posix()] = source
    files[MAPPING_NAME] = mapping
    return files


def _shared_sources() -> Iterator[Path]:
    for path in sorted(SHARED_DIR.rglob("*")):
        relative = path.relative_to(ROOT)
        if not path.is_file() or _EXCLUDED_PARTS.intersection(relative.parts):
            continue
        if path.suffix in SHARED_SUFFIXES:
            yield path


def validate_mapping(mapping: Path) -> None:
    """Load the mapping as the function will; BuildError lists every problem with its line."""
    # Imported here so that `--help` works even where the function's dependencies are not installed.
    from shared.errors import ConfigError
    from shared.mapping import load_mapping

    try:
        load_mapping(mapping)
    except ConfigError as exc:
        raise BuildError(f"the mapping has errors, nothing was built:\n{exc}") from None


def write_zip(files: dict[str, Path], out: Path) -> str:
    """Write a deterministic zip of `files`; return its SHA-256 (hex)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with zipfile.ZipFile(partial, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.external_attr = _FILE_MODE
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever the building machine
            archive.writestr(info, files[name].read_bytes(), compresslevel=9)
    partial.replace(out)
    return hashlib.sha256(out.read_bytes()).hexdigest()


def build(mapping: Path, out: Path) -> str:
    """Validate the mapping, then write the artifact to `out`; return its SHA-256."""
    if not mapping.is_file():
        raise BuildError(f"mapping file not found: {mapping}")
    validate_mapping(mapping)
    from shared.mapping import build_checked

    files = artifact_files(mapping)
    with tempfile.TemporaryDirectory() as scratch:
        # The validated mapping, loaded at start instead of the YAML (shared/mapping/checked.py).
        checked = Path(scratch) / CHECKED_NAME
        build_checked(mapping, checked)
        files[CHECKED_NAME] = checked
        return write_zip(files, out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mapping", required=True, type=Path, help="the mapping YAML to deploy")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"the zip to write (default: {DEFAULT_OUT})"
    )
    args = parser.parse_args(argv)
    try:
        digest = build(args.mapping, args.out)
    except BuildError as exc:
        print(f"build_artifact: {exc}", file=sys.stderr)
        return 1
    print(f"{args.out}  sha256={digest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
