"""``nextwatch export``: the top-k of every viewer in a checkpoint, one parquet row per viewer."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from nextwatch.cli.options import positive_int

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "export",
        help="recommendations for every known viewer to parquet",
        description="Write user_id, show_ids (best first) and scores for every viewer in the checkpoint.",
    )
    parser.add_argument("--checkpoint", type=Path, required=True, help="checkpoint file (from nextwatch train)")
    parser.add_argument("--out", type=Path, required=True, help="parquet file to write (atomically)")
    parser.add_argument("-k", type=positive_int, help="shows per viewer (default 10, or all when fewer)")
    parser.add_argument("--batch-size", type=positive_int, default=1024, help="viewers scored at once (default 1024)")
    parser.add_argument("--exclude-seen", action="store_true", help="leave out shows each viewer has already played")
    parser.add_argument(
        "--threads", type=positive_int, help="torch threads (default: torch's choice; 1 is faster on a busy CPU)"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from nextwatch.recommend import Recommender, export_recommendations

    if args.threads is not None:
        import torch

        torch.set_num_threads(args.threads)
    started = time.perf_counter()
    recommender = Recommender.from_checkpoint(args.checkpoint)
    k = min(10, recommender.num_shows) if args.k is None else args.k
    rows = export_recommendations(
        recommender,
        args.out,
        k=k,
        exclude_seen=args.exclude_seen,
        batch_size=args.batch_size,
        progress=False if args.no_progress else None,
    )
    seconds = time.perf_counter() - started
    print(f"wrote {rows} viewers x top {k} to {args.out} in {seconds:.1f} s", file=sys.stderr)
    return 0
