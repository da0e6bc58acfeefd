"""The settings file `make deploy` writes (`.forms-to-ogust.env`): what `status`, `dead-letters`,
`logs`, `backfill` and `doctor` need to reach the deployment, so that nobody exports variables by hand.

`NAME=value` lines, shell-quoted, `#` comments; names and addresses only, never a secret value. The
file is read from $FORMS_TO_OGUST_SETTINGS, else from the current directory; a variable already set in
the environment wins over the file.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Mapping, MutableMapping
from pathlib import Path

from shared.errors import ConfigError

SETTINGS_FILE = ".forms-to-ogust.env"
SETTINGS_VARIABLE = "FORMS_TO_OGUST_SETTINGS"
_LINE = re.compile(r"^(?P<name>[A-Z][A-Z0-9_]*)=(?P<value>.*)$")


def settings_path(env: Mapping[str, str], cwd: Path | None = None) -> Path | None:
    """The settings file to read: $FORMS_TO_OGUST_SETTINGS (which must exist), else ./.forms-to-ogust.env."""
    named = env.get(SETTINGS_VARIABLE, "").strip()
    if named:
        path = Path(named)
        if not path.is_file():
            raise ConfigError(f"{SETTINGS_VARIABLE}={named}: no such settings file")
        return path
    here = (cwd or Path.cwd()) / SETTINGS_FILE
    return here if here.is_file() else None


def read_settings(path: Path) -> dict[str, str]:
    """The file's settings; a line that is no `NAME=value` is refused with its number."""
    values: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        found = _LINE.match(text)
        try:
            parts = shlex.split(found["value"], comments=True) if found else None
        except ValueError:
            parts = None
        if found is None or parts is None or len(parts) > 1:
            raise ConfigError(f"{path}:{number}: expected NAME=value (as `make deploy` writes it)")
        values[found["name"]] = parts[0] if parts else ""
    return values


def write_settings(path: Path, values: Mapping[str, str], header: str) -> bool:
    """Write the file (sorted, so a rerun gives the same bytes); whether it changed."""
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    lines += [f"{name}={shlex.quote(value)}" for name, value in sorted(values.items())]
    text = "\n".join(lines) + "\n"
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def load_settings(environ: MutableMapping[str, str] | None = None, cwd: Path | None = None) -> list[str]:
    """Put the file's settings into the environment, without replacing what is already set; the
    names it set (so that a caller running several commands in one process can take them back)."""
    env = os.environ if environ is None else environ
    path = settings_path(env, cwd)
    if path is None:
        return []
    added = []
    for name, value in read_settings(path).items():
        if not env.get(name, "").strip():
            env[name] = value
            added.append(name)
    return added
