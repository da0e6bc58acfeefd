"""`python -m bench [--quick] [--json FILE]`: run the benchmark and print the table."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from bench.run import Config, run, table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="the small sizes the test suite uses")
    parser.add_argument("--warm", type=int, help="warm requests to each function")
    parser.add_argument("--cold", type=int, help="cold starts of each function")
    parser.add_argument("--backfill-rows", type=int)
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args(argv)
    config = Config.quick() if args.quick else Config()
    for name in ("warm", "cold", "backfill_rows"):
        if getattr(args, name) is not None:
            setattr(config, name, getattr(args, name))
    results = run(config, out=lambda line: print(line, file=sys.stderr, flush=True))
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(asdict(results), indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
