"""``nextwatch train``: train an LSTM preset on a dataset directory and write ``OUT/NAME.pth`` with its metrics."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from nextwatch.cli.options import non_negative_float, non_negative_int, positive_float, positive_int

__all__ = ["register", "run"]

_PRESETS = ("lstm_1", "lstm_2", "lstm_3")  # nextwatch.models.PRESETS; listed here so --help does not import torch
_MODEL_OVERRIDES = (
    "num_layers",
    "show_embedding_dim",
    "asset_embedding_dim",
    "hidden_dim",
    "dropout",
    "minutes_scaling",
    "repeat_head",
)


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "train",
        help="train an LSTM on a prepared dataset",
        description="Train an LSTM preset on a dataset directory (from `nextwatch prepare`); keep the epoch with "
        "the best validation Recall@10; write OUT/NAME.pth, OUT/NAME.metrics.json and OUT/NAME.curve.png.",
    )
    parser.add_argument("--data", type=Path, required=True, help="dataset directory written by `nextwatch prepare`")
    parser.add_argument("--preset", choices=_PRESETS, default="lstm_2", help="model size (default lstm_2)")
    parser.add_argument("--out", type=Path, default=Path("artifacts"), help="output folder (default artifacts/)")
    parser.add_argument("--name", help="run name, the files' stem (default: the preset name)")
    training = parser.add_argument_group("training (defaults: the reference's)")
    training.add_argument("--epochs", type=positive_int, default=10)
    training.add_argument("--lr", type=positive_float, default=1e-3, help="Adam learning rate (default 0.001)")
    training.add_argument("--batch-size", type=positive_int, default=512)
    training.add_argument(
        "--objective",
        choices=("last", "dense"),
        default="last",
        help="last: loss on the target after the window (reference); dense: loss at every position",
    )
    training.add_argument("--seed", type=non_negative_int, default=42)
    training.add_argument("--grad-clip", type=non_negative_float, default=1.0, help="max gradient norm; 0 turns it off")
    training.add_argument("--weight-decay", type=non_negative_float, default=0.0)
    training.add_argument("--lr-schedule", choices=("constant", "cosine"), default="constant")
    training.add_argument("--warmup-steps", type=non_negative_int, default=0)
    training.add_argument("--early-stopping", type=positive_int, metavar="N", help="stop after N epochs without gain")
    training.add_argument("--threads", type=positive_int, help="torch intra-op threads (default: torch's choice)")
    training.add_argument("--eval-batch-size", type=positive_int, default=1024)
    training.add_argument(
        "--train-eval-cases",
        type=non_negative_int,
        default=20_000,
        help="grade train on a seeded subsample of this many cases; 0 grades all (default 20000)",
    )
    training.add_argument("--no-progress", action="store_true", help="no progress bar")
    model = parser.add_argument_group("model overrides (default: the preset's)")
    model.add_argument("--num-layers", type=positive_int)
    model.add_argument("--show-embedding-dim", type=positive_int)
    model.add_argument("--asset-embedding-dim", type=positive_int)
    model.add_argument("--hidden-dim", type=positive_int)
    model.add_argument("--dropout", type=non_negative_float)
    model.add_argument("--minutes-scaling", choices=("log1p", "none"))
    model.add_argument(
        "--no-repeat-head",
        dest="repeat_head",
        action="store_const",
        const=False,
        help="the reference architecture exactly: no repeat/explore mixture (docs/training.md)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from nextwatch.models.lstm import preset_config
    from nextwatch.sequences.dataset_files import read_dataset
    from nextwatch.training import TrainingConfig, train_model

    config = TrainingConfig(
        epochs=args.epochs,
        learning_rate=args.lr,
        batch_size=args.batch_size,
        objective=args.objective,
        seed=args.seed,
        grad_clip_norm=args.grad_clip or None,
        weight_decay=args.weight_decay,
        lr_schedule=args.lr_schedule,
        warmup_steps=args.warmup_steps,
        early_stopping_patience=args.early_stopping,
        eval_batch_size=args.eval_batch_size,
        num_threads=args.threads,
        train_eval_cases=args.train_eval_cases or None,
    )
    dataset = read_dataset(args.data)
    overrides = {name: getattr(args, name) for name in _MODEL_OVERRIDES if getattr(args, name) is not None}
    model_config = preset_config(
        args.preset, dataset.vocabulary.num_shows, dataset.vocabulary.num_asset_types, **overrides
    )
    result = train_model(
        dataset, model_config, config, args.out, args.name or args.preset, progress=not args.no_progress
    )
    print(
        summary_line(
            result.checkpoint.name,
            result.checkpoint.best_epoch,
            len(result.checkpoint.history),
            result.metrics,
            result.seconds,
        )
    )
    print(f"checkpoint: {result.checkpoint_path} (metrics {result.metrics_path}, curve {result.curve_path})")
    return 0


def summary_line(
    name: str, best_epoch: int, epochs_run: int, metrics: dict[str, dict[str, float | None]], seconds: float
) -> str:
    """One line: best epoch, val and test Recall@10 (with the test interval), new-show recall when graded."""
    val, test = metrics["val"], metrics["test"]
    line = f"{name}: best epoch {best_epoch} of {epochs_run} in {seconds:.1f}s"
    line += f"; val recall@10 {_number(val.get('recall@10'))}"
    line += f", test recall@10 {_number(test.get('recall@10'))}"
    if test.get("recall@10_low") is not None:
        line += f" [{_number(test.get('recall@10_low'))}, {_number(test.get('recall@10_high'))}]"
    if test.get("new_recall@10") is not None:
        line += f", test new_recall@10 {_number(test.get('new_recall@10'))}"
    return line


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.4f}"
