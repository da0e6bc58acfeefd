"""Read infra/terraform/*.tf offline with python-hcl2 (no provider, no registry) into plain dicts.

A resource repeated with `for_each` over a literal map (written in place or in a local) is read as
one resource per key, named by the key, with `each.key` and `each.value…` put in: the tests check
`google_service_account.worker` whether the module declares it alone or as
`google_service_account.identity["worker"]`, and a reference to that instance reads as a reference
to `google_service_account.worker`.
"""

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
_EACH = re.compile(r"\$\{each\.(key|value)((?:\.[A-Za-z0-9_]+)*)\}")
_INSTANCE = re.compile(r'\b([a-z][a-z0-9_]*)\.([A-Za-z0-9_]+)\["([A-Za-z0-9_-]+)"\]')


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
    _expand_for_each(config)
    return config


def _expand_for_each(config: Config) -> None:
    """Each resource with `for_each` over a literal map becomes one resource per key (see above)."""
    expanded: set[tuple[str, str]] = set()
    for (kind, name), body in list(config.resources.items()):
        instances = config.resolve(body.get("for_each"))
        if not isinstance(instances, dict):
            continue  # over a variable (the alert e-mails): one resource, as written
        del config.resources[(kind, name)]
        file = config.files.pop((kind, name))
        for key, value in instances.items():
            assert (kind, key) not in config.resources, f"{kind}.{key} is declared twice"
            instance = {k: v for k, v in body.items() if k != "for_each"}
            config.resources[(kind, key)] = _each(instance, key, value)
            config.files[(kind, key)] = file
        expanded.add((kind, name))

    def by_key(match: re.Match[str]) -> str:
        kind, name, key = match.groups()
        return f"{kind}.{key}" if (kind, name) in expanded else match.group(0)

    def rename(value: Any) -> Any:
        if isinstance(value, str):
            return _INSTANCE.sub(by_key, value)
        if isinstance(value, list):
            return [rename(v) for v in value]
        if isinstance(value, dict):
            return {k: rename(v) for k, v in value.items()}
        return value

    config.resources = {address: rename(body) for address, body in config.resources.items()}
    config.locals = rename(config.locals)
    config.outputs = rename(config.outputs)


def _each(value: Any, key: str, item: Any) -> Any:
    """`value` with `${each.key}` and `${each.value.a.b}` replaced by this instance's key and item."""
    if isinstance(value, list):
        return [_each(v, key, item) for v in value]
    if isinstance(value, dict):
        return {k: _each(v, key, item) for k, v in value.items()}
    if not isinstance(value, str):
        return value

    def part(match: re.Match[str]) -> Any:
        if match.group(1) == "key":
            return key
        found = item
        for attribute in filter(None, match.group(2).split(".")):
            found = found[attribute]
        return found

    whole = _EACH.fullmatch(value)
    if whole:
        return part(whole)  # `name = each.value.x`: the item's value itself, of whatever type
    replaced = _EACH.sub(lambda m: _inlined(part(m)), value)
    assert "each." not in replaced, f"cannot put each.key or each.value into {value!r}"
    return replaced


def _inlined(found: Any) -> str:
    """A value as it reads inside a template: a reference's own `${…}`, or the text itself."""
    assert not isinstance(found, dict | list), f"a map or list inside a template: {found!r}"
    return str(found)


def block(body: dict[str, Any], name: str) -> dict[str, Any]:
    """The one nested block `name` of a resource body (python-hcl2 gives blocks as one-item lists)."""
    value = body[name]
    assert isinstance(value, list), f"{name} is not a block: {value!r}"
    assert len(value) == 1, f"expected one {name} block, got {len(value)}"
    inner: dict[str, Any] = value[0]
    return inner
