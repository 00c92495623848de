"""``nextwatch experiments``: train lstm_1/2/3 with both objectives plus the baselines; write the table."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from nextwatch.cli.options import non_negative_int, positive_float, positive_int

__all__ = ["register", "run"]

_PRESETS = ("lstm_1", "lstm_2", "lstm_3")  # nextwatch.models.PRESETS; listed so --help does not import torch
_OBJECTIVES = ("last", "dense")


def _choices(allowed: tuple[str, ...]) -> Any:
    def parse(text: str) -> tuple[str, ...]:
        values = tuple(part.strip() for part in text.split(",") if part.strip())
        if not values or any(value not in allowed for value in values) or len(set(values)) != len(values):
            raise argparse.ArgumentTypeError(f"must be a comma-separated list of {', '.join(allowed)}, got {text!r}")
        return values

    return parse


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "experiments",
        help="train every preset with both objectives and the baselines; write the experiments table",
        description="Train lstm_1, lstm_2 and lstm_3 with the last and dense objectives and grade the baselines on "
        "one dataset; write OUT/experiments_<protocol>.md and .json.",
    )
    parser.add_argument("--data", type=Path, required=True, help="dataset directory written by `nextwatch prepare`")
    parser.add_argument("--out", type=Path, default=Path("reports"), help="report folder (default reports/)")
    parser.add_argument(
        "--artifacts", type=Path, default=Path("artifacts"), help="checkpoint folder (default artifacts/)"
    )
    parser.add_argument("--presets", type=_choices(_PRESETS), default=_PRESETS, help="default lstm_1,lstm_2,lstm_3")
    parser.add_argument("--objectives", type=_choices(_OBJECTIVES), default=_OBJECTIVES, help="default last,dense")
    parser.add_argument("--epochs", type=positive_int, default=10)
    parser.add_argument("--lr", type=positive_float, default=1e-3, help="Adam learning rate (default 0.001)")
    parser.add_argument("--batch-size", type=positive_int, default=512)
    parser.add_argument("--seed", type=non_negative_int, default=42)
    parser.add_argument("--threads", type=positive_int, help="torch intra-op threads (default: torch's choice)")
    parser.add_argument(
        "--train-eval-cases",
        type=non_negative_int,
        default=20_000,
        help="grade train on a seeded subsample of this many cases; 0 grades all (default 20000)",
    )
    parser.add_argument("--bootstrap", type=non_negative_int, default=1000, help="resamples for the test interval")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    parser.add_argument(
        "--reference-architecture",
        action="store_true",
        help="also train each preset without the repeat head: the reference design's model exactly",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from nextwatch.experiments import run_experiments, write_experiments
    from nextwatch.sequences.dataset_files import read_dataset
    from nextwatch.training import TrainingConfig

    dataset = read_dataset(args.data)
    training = TrainingConfig(
        epochs=args.epochs,
        learning_rate=args.lr,
        batch_size=args.batch_size,
        seed=args.seed,
        num_threads=args.threads,
        train_eval_cases=args.train_eval_cases or None,
        bootstrap_samples=args.bootstrap,
    )
    rows = run_experiments(
        dataset,
        args.artifacts,
        training,
        args.presets,
        args.objectives,
        progress=not args.no_progress,
        reference_architecture=args.reference_architecture,
    )
    markdown, report = write_experiments(rows, dataset, training, args.out)
    print(markdown.read_text(), end="")
    print(f"wrote {markdown} and {report}")
    return 0
