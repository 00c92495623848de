"""``nextwatch validate LOG [--strict] [--json]``: check a playback log and print where every row went."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from nextwatch.ingest import IngestConfig, IngestReport, load_log

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check a playback log against the schema and report dropped, duplicate and capped rows",
        description="Check a playback log against the schema; print the ingestion report (exit 2 on a bad file).",
    )
    parser.add_argument("log", metavar="LOG", help="the playback log (parquet)")
    parser.add_argument("--strict", action="store_true", help="stop at the first invalid row and name it")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    loaded = load_log(args.log, IngestConfig(strict=args.strict))
    if args.json:
        print(json.dumps(loaded.report.to_dict(), indent=2))
    else:
        sys.stdout.write(format_report(loaded.report))
    return 0


def format_report(report: IngestReport) -> str:
    """A small table of the report; reasons with no rows are left out."""
    rows: list[tuple[str, str]] = [
        ("log", report.source),
        ("total rows", f"{report.total_rows:,}"),
        ("kept rows", f"{report.kept_rows:,}"),
        ("dropped invalid rows", f"{report.dropped_rows:,}"),
    ]
    rows += [(f"  {reason}", f"{count:,}") for reason, count in report.dropped.items() if count]
    rows += [
        ("duplicate rows dropped", f"{report.duplicate_rows:,}"),
        (f"watch_minutes capped at {report.watch_minutes_cap}", f"{report.capped_watch_minutes:,}"),
    ]
    if report.unknown_asset_types:
        kinds = ", ".join(f"{name} ({count:,})" for name, count in report.unknown_asset_types.items())
        rows.append(("other asset types kept", kinds))
    if report.ignored_columns:
        rows.append(("extra columns ignored", ", ".join(report.ignored_columns)))
    width = max(len(label) for label, _ in rows)
    return "".join(f"{label:<{width}}  {value}\n" for label, value in rows)
