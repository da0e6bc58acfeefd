"""The backfill: old responses through the same path as live ones — a response export (CSV, French
or English, or a Forms API `responses.list` JSON) read as live answers, then each row applied (or
queued, or simulated in order for a dry run), idempotent, resumable and rate-limited.

    sources, csv_export, export_values, export_file   rows of an export → schema v1 submissions
    run                                                the rows → sink, counts, failed rows, state file
    dry_run                                            an Ogust that only pretends to write

Only the command-line tool uses it: the deployed functions never import it.
"""

from shared.backfill.csv_export import ERROR_COLUMNS, CsvExport
from shared.backfill.dry_run import SimulatedOgust
from shared.backfill.export_values import (
    CHOICE_SEPARATOR,
    DATE_ORDERS,
    AmbiguousDate,
    DateOrder,
    ImpossibleDate,
    live_date,
    live_time,
    read_timestamp,
    split_choices,
)
from shared.backfill.run import (
    DEFAULT_RATE,
    DEFAULT_WORKERS,
    BackfillReport,
    RateLimitedTransport,
    RateLimiter,
    RowResult,
    Sink,
    StateFile,
    direct_sink,
    dry_run_sink,
    line_order,
    offline_sink,
    publish_sink,
    run_backfill,
    write_failed,
)
from shared.backfill.sources import BadRow, Row, parse_timestamp, read_csv_export, read_forms_api_export

__all__ = [
    "CHOICE_SEPARATOR",
    "DATE_ORDERS",
    "DEFAULT_RATE",
    "DEFAULT_WORKERS",
    "ERROR_COLUMNS",
    "AmbiguousDate",
    "BackfillReport",
    "BadRow",
    "CsvExport",
    "DateOrder",
    "ImpossibleDate",
    "RateLimitedTransport",
    "RateLimiter",
    "Row",
    "RowResult",
    "SimulatedOgust",
    "Sink",
    "StateFile",
    "direct_sink",
    "dry_run_sink",
    "line_order",
    "live_date",
    "live_time",
    "offline_sink",
    "parse_timestamp",
    "publish_sink",
    "read_csv_export",
    "read_forms_api_export",
    "read_timestamp",
    "run_backfill",
    "split_choices",
    "write_failed",
]
