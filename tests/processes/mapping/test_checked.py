"""The mapping's checked form: validated by the artifact build, loaded at start only when it is the
same mapping checked by the same code; anything else and the YAML decides, as before."""

from __future__ import annotations

import json
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from shared.mapping import build_checked, load_checked_mapping, load_mapping
from shared.mapping.checked import checked_path, header
from shared.mapping.load import MappingError

ROOT = Path(__file__).resolve().parents[3]
SATISFACTION = ROOT / "examples" / "satisfaction.yaml"


@pytest.fixture
def deployed(tmp_path: Path) -> Path:
    """The example mapping and its checked form, as the artifact holds them."""
    mapping = tmp_path / "mapping.yaml"
    shutil.copyfile(SATISFACTION, mapping)
    build_checked(mapping, checked_path(mapping))
    return mapping


def test_the_checked_form_is_the_validated_mapping_and_spares_pyyaml(deployed: Path) -> None:
    assert load_checked_mapping(deployed) == load_mapping(deployed)
    code = (
        "import sys; from shared.mapping import load_checked_mapping;"
        f"m = load_checked_mapping({str(deployed)!r});"
        "print('yaml' in sys.modules, 'shared.mapping.load' in sys.modules, m.forms[0].form_id)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.split() == ["False", "False", load_mapping(deployed).forms[0].form_id]


def test_a_mapping_edited_after_the_build_is_read_from_its_yaml(
    deployed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edited = deployed.read_text(encoding="utf-8").replace(
        "Questionnaire de satisfaction", "Questionnaire de satisfaction — l'été"
    )
    assert edited != deployed.read_text(encoding="utf-8")
    deployed.write_text(edited, encoding="utf-8")
    assert load_checked_mapping(deployed) == load_mapping(deployed)
    assert "l'été" in load_checked_mapping(deployed).forms[0].name
    assert "mapping.yaml.checked ignored: it does not match" in capsys.readouterr().out


def test_a_mapping_made_invalid_after_the_build_still_stops_the_start(deployed: Path) -> None:
    deployed.write_text(deployed.read_text(encoding="utf-8") + "\nforms_inconnu: 1\n", encoding="utf-8")
    with pytest.raises(MappingError, match="forms_inconnu"):
        load_checked_mapping(deployed)


def test_a_checked_form_of_other_code_or_another_python_is_not_trusted(
    deployed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stored, mapping = pickle.loads(checked_path(deployed).read_bytes())  # noqa: S301 (our own test file)
    assert stored == header(deployed.read_bytes())
    other = load_mapping(ROOT / "examples" / "quote-request.yaml")
    for changed in ({**stored, "python": [3, 99]}, {**stored, "code": "0" * 64}, {**stored, "format": 0}):
        checked_path(deployed).write_bytes(pickle.dumps((changed, other)))
        assert load_checked_mapping(deployed) == mapping, json.dumps(changed)
    assert capsys.readouterr().out.count("ignored") == 3


@pytest.mark.parametrize("content", [b"", b"pas un pickle", pickle.dumps(["en-tête", "incomplet", 3])])
def test_an_unreadable_checked_form_leaves_the_yaml_to_decide(
    deployed: Path, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    checked_path(deployed).write_bytes(content)
    assert load_checked_mapping(deployed) == load_mapping(deployed)
    assert "mapping.yaml.checked ignored: it is unreadable" in capsys.readouterr().out


def test_without_a_checked_form_the_yaml_is_validated(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    shutil.copyfile(SATISFACTION, mapping)
    assert load_checked_mapping(mapping) == load_mapping(SATISFACTION)


def test_a_mapping_with_errors_has_no_checked_form(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("version: 1\nforms: [\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="checked form failed"):
        build_checked(mapping, checked_path(mapping))
    assert not checked_path(mapping).exists()
