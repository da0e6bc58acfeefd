"""The backfill: old responses through the same path as live ones — a response export (CSV, French
or English, or a Forms API `responses.list` JSON) read as live answers, then each row applied (or
queued, or simulated in order for a dry run), idempotent, resumable and rate-limited.

    export                                             an export file → its rows, its failed rows back
    sources, csv_export, export_values, export_file   rows of an export → schema v1 submissions
    options                                            what the command asks → the sink and the pace
    run                                                the rows → sink, counts, failed rows, state file
    dry_run                                            an Ogust that only pretends to write

Only the command-line tool uses it: the deployed functions never import it. Its surface is what
the `backfill` command needs; the tests import the pieces from their modules.
"""

from shared.backfill.export import Export
from shared.backfill.export_values import DATE_ORDERS, DateOrder
from shared.backfill.options import Backfill, BackfillOptions
from shared.backfill.run import DEFAULT_RATE, DEFAULT_WORKERS, BackfillReport

__all__ = [
    "DATE_ORDERS",
    "DEFAULT_RATE",
    "DEFAULT_WORKERS",
    "Backfill",
    "BackfillOptions",
    "BackfillReport",
    "DateOrder",
    "Export",
]
