"""`python -m sheets_sandbox`: serve a fake Sheets API until Ctrl-C (SHEETS_API_ENDPOINT points at it).

The `/_sandbox/` control API: POST `spreadsheets` {"spreadsheetId", "shared"}, `cell`
{"spreadsheetId", "tab", "cell": "G5", "value": true} (tick a box), `quota` {"reads", "writes"},
`faults` {"fault": "status", "status": 503, "method": …}, `reset`; GET `state`.
"""

from __future__ import annotations

import argparse

from sandbox_kit import wait_for_ctrl_c
from sheets_sandbox import SheetsSandbox


def main(argv: list[str] | None = None) -> None:
    """Parse the options, start the fake and wait for Ctrl-C."""
    parser = argparse.ArgumentParser(prog="python -m sheets_sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--spreadsheet", action="append", default=[], help="a spreadsheet id to hold")
    args = parser.parse_args(argv)
    with SheetsSandbox(host=args.host, port=args.port) as sandbox:
        for spreadsheet_id in args.spreadsheet:
            sandbox.add_spreadsheet(spreadsheet_id)
        print(f"Fake Sheets API on {sandbox.url} (Ctrl-C stops it)", flush=True)
        wait_for_ctrl_c()


if __name__ == "__main__":
    main()
