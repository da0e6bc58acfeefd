"""Read infra/terraform/*.tf offline with python-hcl2 (no provider, no registry) into plain dicts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import hcl2
from hcl2 import SerializationOptions

ROOT = Path(__file__).resolve().parents[2]
TERRAFORM = ROOT / "infra" / "terraform"
_OPTIONS = SerializationOptions(strip_string_quotes=True, explicit_blocks=False)
_LOCAL_REF = re.compile(r"^\$\{local\.([A-Za-z0-9_]+)\}$")


@dataclass
class Config:
    """Every top-level block of the module, merged across its files."""

    resources: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    files: dict[tuple[str, str], str] = field(default_factory=dict)
    locals: dict[str, Any] = field(default_factory=dict)
    variables: dict[str, dict[str, Any]] = field(default_factory=dict)
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    ephemeral: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    data: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)

    def of_type(self, kind: str) -> dict[str, dict[str, Any]]:
        """Resources of one type, by name."""
        return {name: body for (t, name), body in self.resources.items() if t == kind}

    def resource(self, kind: str, name: str) -> dict[str, Any]:
        return self.resources[(kind, name)]

    def resolve(self, value: Any) -> Any:
        """Follow a bare `${local.x}` reference to the local's value."""
        if isinstance(value, str) and (match := _LOCAL_REF.match(value)):
            return self.resolve(self.locals[match.group(1)])
        return value


def tf_files() -> list[Path]:
    return sorted(TERRAFORM.glob("*.tf"))


@cache
def load() -> Config:
    """Parse every .tf file of infra/terraform once per test session."""
    config = Config()
    for path in tf_files():
        with path.open(encoding="utf-8") as handle:
            document = hcl2.load(handle, serialization_options=_OPTIONS)
        for block in document.get("resource", []):
            for kind, named in block.items():
                for name, body in named.items():
                    assert (kind, name) not in config.resources, f"{kind}.{name} is declared twice"
                    config.resources[(kind, name)] = body
                    config.files[(kind, name)] = path.name
        for block in document.get("ephemeral", []):
            for kind, named in block.items():
                for name, body in named.items():
                    config.ephemeral[(kind, name)] = body
        for block in document.get("data", []):
            for kind, named in block.items():
                for name, body in named.items():
                    config.data[(kind, name)] = body
        for block in document.get("locals", []):
            config.locals.update({k: v for k, v in block.items() if k != "__comments__"})
        for block in document.get("variable", []):
            config.variables.update(block)
        for block in document.get("output", []):
            config.outputs.update(block)
    return config


def block(body: dict[str, Any], name: str) -> dict[str, Any]:
    """The one nested block `name` of a resource body (python-hcl2 gives blocks as one-item lists)."""
    value = body[name]
    assert isinstance(value, list), f"{name} is not a block: {value!r}"
    assert len(value) == 1, f"expected one {name} block, got {len(value)}"
    inner: dict[str, Any] = value[0]
    return inner
