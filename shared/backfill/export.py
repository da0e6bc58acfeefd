"""The export a backfill reads, whatever its format: its rows, what the checks before a run need of
it (the questions it holds, what its reader noticed), and its failed rows written back in its own
format, ready to fix and backfill again."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from shared.backfill.csv_export import CsvExport
from shared.backfill.export_values import DateOrder
from shared.backfill.run import RowResult, write_failed
from shared.backfill.sources import Row, read_forms_api_export
from shared.mapping import FormDescription
from shared.webhook import Submission

ExportFormat = Literal["csv", "forms-api"]


@dataclass(frozen=True)
class Export:
    """A read export: its rows, the questions it holds and where they were found."""

    kind: ExportFormat
    rows: list[Row]
    titles: list[str]
    """The question titles the export holds: a CSV's columns, or every answer's and the form's."""
    item_ids: list[int]
    source: str
    """Where the questions were looked for, as a finding names it: `the columns of Réponses.csv`."""
    notes: list[str] = field(default_factory=list)
    """What the CSV reader could not do (a date order guessed, a cell kept as text)."""
    csv: CsvExport | None = None

    @classmethod
    def read(
        cls,
        path: Path,
        form_id: str,
        *,
        kind: str | None = None,
        form: FormDescription | None = None,
        date_order: DateOrder | None = None,
    ) -> Export:
        """Read the whole file: a `.json` is a Forms API `responses.list` export unless `kind`
        says otherwise (`csv` or `forms-api`), anything else a CSV export (`date_order` applies to
        a CSV only)."""
        if kind not in (None, "csv", "forms-api"):
            raise ValueError(f"unknown export format {kind!r}: csv or forms-api")
        if (kind or ("forms-api" if path.suffix.lower() == ".json" else "csv")) == "csv":
            export = CsvExport.read(path, form_id, form=form, date_order=date_order)
            source = f"the columns of {path.name}"
            return cls("csv", export.rows, export.titles, export.item_ids, source, export.notes, export)
        rows = list(read_forms_api_export(path, form, form_id))
        answers = [a for _, r in rows if isinstance(r, Submission) for a in r.answers]
        titles = sorted({a.title for a in answers} | ({i.title for i in form.items} if form else set()))
        ids = sorted({a.item_id for a in answers})
        return cls("forms-api", rows, titles, ids, f"the responses of {path.name}")

    def write_failed(self, path: Path, failed: Sequence[RowResult]) -> None:
        """The failed rows and why: a CSV's as exported plus the reasons, in its own format; a
        Forms API export's as a table of the rows and the reasons."""
        write_failed(path, list(failed), self.csv)
