"""The mapping's checked form: validated once when the deploy artifact is built, loaded at start.

Reading and validating the YAML costs an instance's start PyYAML's import, the build of the
mapping models' validators and the validation itself (about a fifth of what our code adds to a
cold start, docs/performance.md). The artifact build (`scripts/build_artifact.py`) validates the
mapping anyway, so it also writes the result, pickled, beside it (`mapping.yaml.checked`); at start
`load_checked_mapping` takes that result instead of validating again.

The checked form is only trusted when it is provably the same mapping checked by the same code:
its header holds the SHA-256 of the YAML's bytes, of the sources of `shared/`, the Python
version and pydantic's. Any difference (the YAML edited after the build, another Python), an
unreadable file or none at all: the YAML is read and validated as before, so a bad mapping still
stops the instance with the same errors. The pickle comes from the same artifact as the code that
reads it (the same trust as `main.py`); it is never read from anywhere else.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path
from typing import Any

from shared.logs import log
from shared.mapping.model import MappingFile

SUFFIX = ".checked"
"""The checked form of `mapping.yaml` is `mapping.yaml.checked`, beside it."""
FORMAT = 1
_CODE = Path(__file__).resolve().parents[1]
"""`shared/`: a change to any of its sources may change what the mapping validates to."""


def checked_path(mapping: Path) -> Path:
    return mapping.with_name(mapping.name + SUFFIX)


def header(yaml_bytes: bytes) -> dict[str, Any]:
    """What the checked form must have been built from to be trusted now."""
    import pydantic

    code = hashlib.sha256()
    for source in sorted(_CODE.rglob("*.py")):
        code.update(source.relative_to(_CODE).as_posix().encode() + b"\0" + source.read_bytes() + b"\0")
    return {
        "format": FORMAT,
        "mapping": hashlib.sha256(yaml_bytes).hexdigest(),
        "code": code.hexdigest(),
        "python": list(sys.version_info[:2]),
        "pydantic": pydantic.VERSION,
    }


def write_checked(mapping: Path, out: Path) -> None:
    """Validate `mapping` (MappingError/ConfigError as at start) and write its checked form to `out`.

    Run with PYTHONHASHSEED=0 (`build_checked` does): pydantic keeps each model's set fields in a
    `set`, whose order, and so the pickle's bytes, would otherwise change from one build to the
    next, and the artifact's SHA-256 with them."""
    from shared.mapping.load import load_mapping

    checked = load_mapping(mapping)
    data = pickle.dumps((header(mapping.read_bytes()), checked), protocol=pickle.HIGHEST_PROTOCOL)
    out.write_bytes(data)


def build_checked(mapping: Path, out: Path) -> None:
    """`write_checked` in a child interpreter with a fixed hash seed (a deterministic file)."""
    import subprocess  # only the artifact build runs it

    root = _CODE.parent
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(root)}
    done = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "shared.mapping.checked", str(mapping), str(out)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if done.returncode != 0:
        raise RuntimeError(f"writing the mapping's checked form failed:\n{done.stderr.strip()}")


def load_checked_mapping(path: str | Path) -> MappingFile:
    """The mapping at `path`: its checked form when it matches, otherwise the YAML validated now."""
    mapping = Path(path)
    checked = checked_path(mapping)
    if not checked.is_file():
        return _validated(mapping)
    why = "it does not match the mapping, the code or the Python that reads it"
    try:
        stored, found = pickle.loads(checked.read_bytes())  # noqa: S301 (built with this artifact)
        if stored == header(mapping.read_bytes()) and isinstance(found, MappingFile):
            return found
    except Exception as exc:
        why = f"it is unreadable ({type(exc).__name__})"
    log("WARNING", f"{checked.name} ignored: {why}; the mapping is validated from its YAML")
    return _validated(mapping)


def _validated(mapping: Path) -> MappingFile:
    from shared.mapping.load import load_mapping  # only when the YAML must be read: PyYAML and all

    return load_mapping(mapping)


if __name__ == "__main__":  # python -m shared.mapping.checked MAPPING OUT (used by build_checked)
    write_checked(Path(sys.argv[1]), Path(sys.argv[2]))
