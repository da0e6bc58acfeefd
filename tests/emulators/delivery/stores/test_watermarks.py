"""The watermarks' contract, in this process and in the Firestore emulator: per form, read back by
another instance, moved forward only (two reconciler runs may overlap)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.support.stores import Stores

AT = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)


def test_a_form_never_reconciled_has_no_watermark(stores: Stores) -> None:
    assert stores.watermarks().get("1FormulaireSatisfaction") is None


def test_a_watermark_moves_forward_only_and_is_read_back_by_another_instance(stores: Stores) -> None:
    marks = stores.watermarks()
    moved = marks.advance("1FormulaireSatisfaction", AT)
    assert (moved.form_id, moved.at) == ("1FormulaireSatisfaction", AT)
    assert stores.watermarks().advance("1FormulaireSatisfaction", AT - timedelta(minutes=5)).at == AT
    assert stores.watermarks().advance("1FormulaireSatisfaction", AT).at == AT
    later = stores.watermarks().advance("1FormulaireSatisfaction", AT + timedelta(seconds=1))
    assert later.at == AT + timedelta(seconds=1)
    mark = stores.watermarks().get("1FormulaireSatisfaction")
    assert mark is not None
    assert (mark.form_id, mark.at) == ("1FormulaireSatisfaction", AT + timedelta(seconds=1))


def test_each_form_has_its_own_watermark(stores: Stores) -> None:
    stores.watermarks().advance("1ContactDevisExemple2026", AT)
    stores.watermarks().advance("1FormulaireSatisfaction", AT + timedelta(days=1))
    devis = stores.watermarks().get("1ContactDevisExemple2026")
    assert devis is not None
    assert devis.at == AT
    assert stores.watermarks().get("1FormulaireInconnu") is None
