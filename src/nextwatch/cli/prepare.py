"""``nextwatch prepare --input LOG --out DIR``: cut a playback log into a dataset directory (Contract 2)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from nextwatch.cli.options import non_negative_int, positive_int
from nextwatch.ingest import IngestConfig, load_log
from nextwatch.sequences.config import PROTOCOLS, PrepareConfig
from nextwatch.sequences.dataset_files import SPLITS, write_dataset
from nextwatch.sequences.prepare import prepare_dataset

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "prepare",
        help="cut a playback log into training samples, evaluation cases and inference windows",
        description="Read and validate a playback log, cut it into samples under a protocol, and write the "
        "dataset folder (samples, inference windows, train plays, vocabulary, dataset.json, ingestion report).",
    )
    parser.add_argument("--input", required=True, metavar="LOG", help="the playback log (parquet)")
    parser.add_argument("--out", required=True, metavar="DIR", help="the dataset folder to write")
    parser.add_argument("--window", type=positive_int, default=20, help="plays per input window (default 20)")
    parser.add_argument(
        "--protocol",
        choices=PROTOCOLS,
        default="seed",
        help="seed: the reference design's random split of windows; temporal: the last days are validation and "
        "test; leave-one-out: each viewer's last play is the test case (default seed)",
    )
    parser.add_argument("--seed", type=non_negative_int, default=42, help="seed of the seed protocol's split")
    parser.add_argument(
        "--stride",
        type=positive_int,
        default=None,
        help="plays between training targets under temporal and leave-one-out (default window + 1: "
        "non-overlapping; 1..window: overlapping windows, more samples)",
    )
    parser.add_argument("--val-days", type=positive_int, default=3, help="temporal: validation days (default 3)")
    parser.add_argument("--test-days", type=positive_int, default=7, help="temporal: test days (default 7)")
    parser.add_argument("--strict", action="store_true", help="stop at the log's first invalid row and name it")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    config = PrepareConfig(
        protocol=args.protocol,
        window=args.window,
        seed=args.seed,
        stride=args.stride,
        val_days=args.val_days,
        test_days=args.test_days,
    )
    loaded = load_log(args.input, IngestConfig(strict=args.strict))
    dataset = prepare_dataset(loaded.frame, config, loaded.report.to_dict())
    out = Path(args.out)
    write_dataset(out, dataset)
    print(format_summary(dataset.info, out))
    return 0


def format_summary(info: Any, out: Path) -> str:
    """Three lines: where the dataset went, the log's size, and the samples per split."""
    counts = ", ".join(f"{split} {info['counts'][split]:,}" for split in SPLITS)
    lines = [
        f"dataset ({info['protocol']}, window {info['config']['window']}) written to {out}",
        f"log: {info['rows']:,} plays, {info['viewers']:,} viewers, {info['shows']:,} shows",
        f"samples: {counts}",
    ]
    if "cold_start_cases" in info:
        cold = info["cold_start_cases"]
        lines.append(f"cold-start cases (no play before the period): val {cold['val']:,}, test {cold['test']:,}")
    if "too_short_viewers" in info:
        lines.append(f"viewers with fewer than 3 plays (not evaluated): {info['too_short_viewers']:,}")
    return "\n".join(lines)
