"""Check infra/terraform against the providers' schemas, offline.

`terraform validate` needs the providers, hence the registry. The prebuilt CDK bindings of each
provider on PyPI carry its schema instead: their wheel holds a jsii assembly (`package/.jsii`, JSON,
inside `_jsii/*.jsii.tgz`) with one config struct per resource, data source and ephemeral resource,
whose properties are the arguments and blocks, `optional` or not, each with a link to the
provider's documentation that names it as written in HCL (`…#service_account_email`).

    python -m tests.unit.infra.provider_schema     # or `make provider-schema`: regenerate the fixture

downloads the bindings listed in BINDINGS with `pip download --no-deps`, keeps only the types
infra/terraform uses, and writes FIXTURE (committed; the wheels are not). `check()` then reports, for
every provider version in the fixture, each unknown argument or block, each missing required one,
an argument written as a block (or the reverse) and a repeated single block.

Not covered: argument values and types, conflicting arguments, and ephemeral resources of a
provider version whose binding was generated without them (cdktf 0.20 does not generate ephemeral
resources: random 3.7.2 is checked for resources only; random 3.9.1 covers `ephemeral
"random_password"`).
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hcl2
from hcl2 import SerializationOptions

from tests.support.terraform import TERRAFORM

FIXTURE = Path(__file__).parent / "fixtures" / "provider_schema.json"


@dataclass(frozen=True)
class Binding:
    """A prebuilt provider binding on PyPI and the provider version it was generated from."""

    provider: str
    version: str
    package: str
    package_version: str


BINDINGS = (
    Binding("google", "6.25.0", "cdktf-cdktf-provider-google", "14.24.0"),
    Binding("google", "7.46.1", "cdktn-provider-google", "20.3.1"),
    Binding("random", "3.7.2", "cdktf-cdktf-provider-random", "12.0.1"),
    Binding("random", "3.9.1", "cdktn-provider-random", "15.0.1"),
    Binding("time", "0.13.1", "cdktf-cdktf-provider-time", "11.0.1"),
    Binding("time", "0.14.2", "cdktn-provider-time", "14.0.2"),
)
"""The oldest and the newest version each constraint of versions.tf admits that has a binding."""

KINDS = {"resources": "resource", "data-sources": "data", "ephemeral-resources": "ephemeral"}
"""The registry's documentation folder → the Terraform block keyword."""

META_ARGUMENTS = frozenset({"count", "for_each", "depends_on", "provider", "lifecycle"})
META_BLOCKS = frozenset({"lifecycle", "provisioner", "connection"})

_OPTIONS = SerializationOptions(strip_string_quotes=True, explicit_blocks=True, with_comments=False)
_REPRESENTS = re.compile(
    r"Represents a \{@link https://registry\.terraform\.io/providers/[\w-]+/(?P<provider>[\w-]+)/"
    r"(?P<version>[^/]+)/docs/(?P<kind>[a-z-]+)/\S+ (?P<type>\w+)\}"
)
_ANCHOR = re.compile(r"\{@link https://registry\.terraform\.io/providers/\S+#(?P<name>\w+) ")


# --- extraction from a jsii assembly --------------------------------------------------------------


def read_assembly(wheel: Path) -> dict[str, Any]:
    """The jsii assembly inside a binding's wheel (the `.jsii` JSON of its embedded npm tarball)."""
    with zipfile.ZipFile(wheel) as archive:
        (tarball,) = [n for n in archive.namelist() if n.endswith(".jsii.tgz")]
        with tarfile.open(fileobj=io.BytesIO(archive.read(tarball))) as tar:
            member = tar.extractfile("package/.jsii")
            assert member is not None, f"{wheel.name}: no package/.jsii"
            assembly: dict[str, Any] = json.load(member)
    return assembly


def provider_types(assembly: dict[str, Any]) -> dict[tuple[str, str], str]:
    """(block keyword, Terraform type) → the fqn of its config struct."""
    found: dict[tuple[str, str], str] = {}
    for spec in assembly["types"].values():
        match = _represents(spec)
        if not match or match["kind"] not in KINDS:
            continue
        config = [p for p in spec["initializer"]["parameters"] if p["name"] == "config"]
        if config:
            found[(KINDS[match["kind"]], match["type"])] = config[0]["type"]["fqn"]
    return found


def _represents(spec: dict[str, Any]) -> re.Match[str] | None:
    """The provider, version, kind and type a binding's class stands for; None for other classes."""
    return _REPRESENTS.match(spec.get("docs", {}).get("summary", "")) if spec["kind"] == "class" else None


def _struct_of(type_ref: dict[str, Any], types: dict[str, Any]) -> tuple[str, bool] | None:
    """The nested struct a property holds, and whether it is a list of them; None: a plain argument."""
    if "fqn" in type_ref:
        spec = types.get(type_ref["fqn"])
        return (type_ref["fqn"], False) if spec and spec.get("datatype") else None
    if "collection" in type_ref and type_ref["collection"]["kind"] == "array":
        inner = _struct_of(type_ref["collection"]["elementtype"], types)
        return (inner[0], True) if inner else None
    if "union" in type_ref:
        for option in type_ref["union"]["types"]:
            if inner := _struct_of(option, types):
                return inner
    return None


def _hcl_name(prop: dict[str, Any]) -> str:
    """The name as written in HCL: the anchor of the documentation link, else camelCase → snake_case."""
    docs = prop.get("docs", {})
    match = _ANCHOR.search(docs.get("remarks", "") + " " + docs.get("summary", ""))
    return match["name"] if match else re.sub(r"(?<!^)(?=[A-Z])", "_", prop["name"]).lower()


def struct_schema(fqn: str, types: dict[str, Any], seen: tuple[str, ...] = ()) -> dict[str, Any]:
    """{"arguments": {name: required}, "blocks": {name: {"required", "list", "arguments", "blocks"}}}."""
    assert fqn not in seen, f"recursive schema at {fqn}"
    arguments: dict[str, bool] = {}
    blocks: dict[str, Any] = {}
    for prop in types[fqn].get("properties", []):
        name, required = _hcl_name(prop), not prop.get("optional", False)
        nested = _struct_of(prop["type"], types)
        if nested is None:
            arguments[name] = required
        else:
            inner = struct_schema(nested[0], types, (*seen, fqn))
            blocks[name] = {"required": required, "list": nested[1], **inner}
    return {"arguments": dict(sorted(arguments.items())), "blocks": dict(sorted(blocks.items()))}


def extract(assembly: dict[str, Any], wanted: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """The schemas of the `wanted` (keyword, type) pairs, and which keywords the binding covers."""
    available = provider_types(assembly)
    covered = sorted({kind for kind, _ in available})
    schemas: dict[str, dict[str, Any]] = {kind: {} for kind in covered}
    for kind, name in sorted(set(wanted)):
        if kind in covered:
            fqn = available.get((kind, name))
            schemas[kind][name] = struct_schema(fqn, assembly["types"]) if fqn else None
    return {"covers": covered, **schemas}


# --- the configuration ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """One resource, data or ephemeral block of the configuration."""

    kind: str
    type: str
    name: str
    body: dict[str, Any]
    file: str

    @property
    def provider(self) -> str:
        return self.type.split("_", 1)[0]

    @property
    def address(self) -> str:
        prefix = "" if self.kind == "resource" else f"{self.kind}."
        return f"{prefix}{self.type}.{self.name}"


def blocks(directory: Path) -> list[Block]:
    """Every resource, data and ephemeral block of the .tf files in `directory`."""
    found = []
    for path in sorted(directory.glob("*.tf")):
        with path.open(encoding="utf-8") as handle:
            document = hcl2.load(handle, serialization_options=_OPTIONS)
        for kind in KINDS.values():
            for entry in document.get(kind, []):
                for type_name, named in entry.items():
                    for name, body in named.items():
                        found.append(Block(kind, type_name, name, body, path.name))
    return found


def used_types(directory: Path) -> dict[str, set[tuple[str, str]]]:
    """provider → the (keyword, type) pairs the configuration uses."""
    used: dict[str, set[tuple[str, str]]] = {}
    for item in blocks(directory):
        used.setdefault(item.provider, set()).add((item.kind, item.type))
    return used


# --- the check ---------------------------------------------------------------------------------------


def _is_block(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, dict) and v.get("__is_block__") for v in value)
    )


def _occurrences(body: dict[str, Any]) -> Iterator[tuple[str, Any, bool]]:
    """(name, value, written as a block) for each argument and block of a body, dynamic blocks unrolled."""
    for key, value in body.items():
        if key.startswith("__"):
            continue
        if key == "dynamic" and _is_block(value):
            for entry in value:
                for name, spec in entry.items():
                    if not name.startswith("__"):
                        yield name, spec.get("content", [{}]), True
            continue
        yield key, value, _is_block(value)


def _check_body(body: dict[str, Any], schema: dict[str, Any], where: str, top: bool) -> Iterator[str]:
    arguments, nested = schema["arguments"], schema["blocks"]
    seen: dict[str, int] = {}
    for name, value, as_block in _occurrences(body):
        if top and (name in META_ARGUMENTS or (as_block and name in META_BLOCKS)):
            continue
        seen[name] = seen.get(name, 0) + (len(value) if as_block else 1)
        if name in arguments:
            if as_block:
                yield f"{where}: {name} is an argument, written as a block"
        elif name in nested:
            if not as_block:
                if isinstance(value, dict | list):  # `name = {…}` for a block: tolerated, checked inside
                    for inner in value if isinstance(value, list) else [value]:
                        if isinstance(inner, dict):
                            yield from _check_body(inner, nested[name], f"{where}.{name}", top=False)
                continue
            for inner in value:
                yield from _check_body(inner, nested[name], f"{where}.{name}", top=False)
        else:
            yield f"{where}: unknown argument or block {name!r}"
    for name, required in arguments.items():
        if required and name not in seen:
            yield f"{where}: missing required argument {name!r}"
    for name, spec in nested.items():
        if spec["required"] and name not in seen:
            yield f"{where}: missing required block {name!r}"
        if not spec["list"] and seen.get(name, 0) > 1:
            yield f"{where}: block {name!r} may appear only once"


def check(directory: Path = TERRAFORM, fixture: dict[str, Any] | None = None) -> list[str]:
    """Every schema problem of the configuration in `directory`, for every provider version."""
    fixture = fixture if fixture is not None else load_fixture()
    problems = []
    for item in blocks(directory):
        versions = fixture["providers"].get(item.provider)
        if not versions:
            problems.append(f"{item.address} ({item.file}): no schema of provider {item.provider!r}")
            continue
        for version, schemas in versions.items():
            label = f"{item.provider} {version}"
            if item.kind not in schemas["covers"]:
                continue  # this binding has no such blocks at all (see the module docstring)
            schema = schemas[item.kind].get(item.type, "absent")
            if schema == "absent":
                problems.append(f"{item.address}: not in the fixture for {label}: run `make provider-schema`")
            elif schema is None:
                problems.append(f"{item.address}: {item.type} does not exist in {label}")
            else:
                where = f"{item.address} ({item.file}, {label})"
                problems.extend(_check_body(item.body, schema, where, top=True))
    return problems


def load_fixture() -> dict[str, Any]:
    fixture: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return fixture


# --- regeneration ------------------------------------------------------------------------------------


def regenerate(directory: Path = TERRAFORM, out: Path = FIXTURE) -> dict[str, Any]:
    """Download each binding, extract the types `directory` uses, write `out`."""
    used = used_types(directory)
    providers: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for binding in BINDINGS:
            spec = f"{binding.package}=={binding.package_version}"
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", spec, "--dest", tmp],
                check=True,
            )
            (wheel,) = Path(tmp).glob(f"{binding.package.replace('-', '_')}-{binding.package_version}-*.whl")
            assembly = read_assembly(wheel)
            versions = {m["version"] for s in assembly["types"].values() if (m := _represents(s))}
            assert versions == {binding.version}, f"{spec} describes {versions}, not {binding.version}"
            schemas = extract(assembly, used.get(binding.provider, set()))
            providers.setdefault(binding.provider, {})[binding.version] = {"binding": spec, **schemas}
    fixture = {
        "about": "Provider schemas of the types infra/terraform uses; `make provider-schema` regenerates.",
        "providers": providers,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(fixture, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return fixture


if __name__ == "__main__":
    written = regenerate()
    problems = check(fixture=written)
    print(f"{FIXTURE}: written")
    print("\n".join(problems) if problems else "infra/terraform matches every provider schema")
    raise SystemExit(1 if problems else 0)
