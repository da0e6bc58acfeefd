"""The mapping's keys for the tab: `tracking_tab` needs `reconcile`, `spreadsheet_id` is optional."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.errors import ConfigError
from shared.mapping import load_mapping
from tests.support.forms_fixtures import FORM_ID, satisfaction_mapping


def test_a_tab_names_its_spreadsheet_or_takes_the_linked_one(tmp_path: Path) -> None:
    linked = load_mapping(satisfaction_mapping(tmp_path, extra="    tracking_tab: true\n"))
    assert (linked.for_form(FORM_ID).tracking_tab, linked.for_form(FORM_ID).spreadsheet_id) == (True, None)
    named = "    tracking_tab: true\n    spreadsheet_id: 1ClasseurDeSuiviAgence\n"
    assert load_mapping(satisfaction_mapping(tmp_path, extra=named)).for_form(FORM_ID).spreadsheet_id == (
        "1ClasseurDeSuiviAgence"
    )


def test_a_tab_without_reconciliation_is_refused_naming_why(tmp_path: Path) -> None:
    path = satisfaction_mapping(tmp_path, extra="    tracking_tab: true\n")
    path.write_text(path.read_text(encoding="utf-8").replace("    reconcile: true\n", ""), encoding="utf-8")
    with pytest.raises(ConfigError, match="tracking_tab needs reconcile: true"):
        load_mapping(path)
