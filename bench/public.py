"""The public benchmark: MovieLens latest-small, baselines and lstm_2 under leave-one-out and temporal.

    PYTHONPATH=src python bench/public.py [--data-dir DIR] [--max-epochs 20] [--patience 3]

Reads ``ratings.csv`` from ``shared/data/ml-latest-small`` beside or above the repository (read only), writes
``docs/public_benchmark.md`` and ``reports/public_benchmark.json``. The imported log and the checkpoints go to a
temporary folder (``--work-dir`` to keep them). Prints one line per stage and the total time.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from nextwatch.benchmarks.public import BenchmarkResult, PublicBenchmarkConfig, default_data_dir, run_public_benchmark
from nextwatch.benchmarks.report_page import render_markdown_file, write_report
from nextwatch.cli.options import positive_int
from nextwatch.errors import NextwatchError

REPO_ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/public.py", description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="folder with MovieLens latest-small ratings.csv")
    parser.add_argument("--markdown", type=Path, default=REPO_ROOT / "docs" / "public_benchmark.md")
    parser.add_argument("--json", type=Path, default=REPO_ROOT / "reports" / "public_benchmark.json")
    parser.add_argument("--work-dir", type=Path, help="keep the imported log and checkpoints here")
    parser.add_argument("--max-epochs", type=positive_int, default=PublicBenchmarkConfig.max_epochs)
    parser.add_argument("--patience", type=positive_int, default=PublicBenchmarkConfig.patience)
    parser.add_argument("--batch-size", type=positive_int, default=PublicBenchmarkConfig.batch_size)
    parser.add_argument("--test-days", type=positive_int, default=PublicBenchmarkConfig.temporal_test_days)
    parser.add_argument("--val-days", type=positive_int, default=PublicBenchmarkConfig.temporal_val_days)
    parser.add_argument("--threads", type=positive_int, help="torch threads (default: torch's own choice)")
    parser.add_argument(
        "--render-only",
        action="store_true",
        help="do not run: render the markdown page again from the JSON report (after a change to the page's text)",
    )
    parser.add_argument("--progress", action="store_true", help="show training progress bars")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    config = PublicBenchmarkConfig(
        max_epochs=args.max_epochs,
        patience=args.patience,
        batch_size=args.batch_size,
        temporal_test_days=args.test_days,
        temporal_val_days=args.val_days,
        progress=args.progress,
        num_threads=args.threads,
    )
    command = "PYTHONPATH=src python bench/public.py" + "".join(
        f" {shlex.quote(arg)}" for arg in (sys.argv[1:] if argv is None else argv)
    )
    started = time.perf_counter()
    if args.render_only:
        try:
            stored = json.loads(args.json.read_text())
            render_markdown_file(BenchmarkResult.from_dict(stored), args.markdown, stored["command"])
        except (OSError, ValueError, KeyError, NextwatchError) as error:
            print(f"bench/public.py: error: cannot render from {args.json}: {error}", file=sys.stderr)
            return 2
        print(f"wrote {args.markdown} from {args.json}")
        return 0
    try:
        data_dir = args.data_dir or default_data_dir(REPO_ROOT)
        with tempfile.TemporaryDirectory(prefix="nextwatch-public-") as scratch:
            work_dir = args.work_dir or Path(scratch)
            result = run_public_benchmark(data_dir / "ratings.csv", work_dir, config)
        write_report(result, args.markdown, args.json, command)
    except NextwatchError as error:
        print(f"bench/public.py: error: {error}", file=sys.stderr)
        return 2
    for row in result.rows:
        print(
            f"{row.protocol:>13} {row.model:<18} recall@10 {row.test['recall@10']:.4f} "
            f"excl. seen {row.test_excluding_seen['recall@10']:.4f} ndcg@10 excl. seen "
            f"{row.test_excluding_seen['ndcg@10']:.4f} train {row.train_seconds:7.1f} s  viewers {row.test_viewers}"
        )
    print(f"wrote {args.markdown} and {args.json} in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
