"""``nextwatch evaluate``: grade a checkpoint and the baselines on a dataset, as a table or one JSON object."""

from __future__ import annotations

import argparse
import json
from typing import Any

from nextwatch.cli.options import non_negative_int, positive_int
from nextwatch.errors import InvalidInputError

__all__ = ["register", "run", "split_list"]


def split_list(text: str) -> tuple[str, ...]:
    """``val,test`` -> ``("val", "test")``; each of train/val/test at most once."""
    splits = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [split for split in splits if split not in ("train", "val", "test")]
    if not splits or unknown or len(set(splits)) != len(splits):
        raise argparse.ArgumentTypeError(f"must be a comma-separated list of train, val, test, got {text!r}")
    return splits


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "evaluate",
        help="grade a checkpoint and the baselines on a dataset",
        description="Grade a trained checkpoint and the baselines (popular, popular_recent, repeat_recent, "
        "transitions) over the full catalogue of a prepared dataset.",
    )
    parser.add_argument("--checkpoint", required=True, help="checkpoint file written by `nextwatch train`")
    parser.add_argument("--data", required=True, help="dataset folder written by `nextwatch prepare`")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.add_argument("--splits", type=split_list, default=("val", "test"), help="splits to grade (val,test)")
    parser.add_argument(
        "--bootstrap", type=non_negative_int, default=1000, help="bootstrap resamples for test Recall@10 (0: none)"
    )
    parser.add_argument("--batch-size", type=positive_int, default=1024, help="cases scored at once")
    parser.add_argument("--seed", type=non_negative_int, default=0, help="seed of the bootstrap")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from nextwatch.checkpoint import build_model, load_checkpoint
    from nextwatch.evaluation.baselines import fit_baselines
    from nextwatch.evaluation.report import build_report, evaluate_dataset, format_table
    from nextwatch.evaluation.scoring import model_scorer
    from nextwatch.sequences.dataset_files import read_dataset

    checkpoint = load_checkpoint(args.checkpoint)
    dataset = read_dataset(args.data)
    if checkpoint.vocabulary != dataset.vocabulary:
        raise InvalidInputError(
            f"checkpoint {args.checkpoint} was trained on another vocabulary "
            f"({checkpoint.vocabulary.num_shows} shows, {checkpoint.vocabulary.num_asset_types} asset types) than "
            f"dataset {args.data} ({dataset.vocabulary.num_shows} shows, {dataset.vocabulary.num_asset_types} "
            "asset types): evaluate it on the dataset it was trained on, or train it again on this one"
        )
    scorers = {"model": model_scorer(build_model(checkpoint)), **fit_baselines(dataset)}
    metrics = evaluate_dataset(
        dataset, scorers, splits=args.splits, bootstrap=args.bootstrap, batch_size=args.batch_size, seed=args.seed
    )
    model = metrics.pop("model")
    report = build_report(model, metrics)
    if args.json:
        print(json.dumps(report, allow_nan=False))
    else:
        print(
            f"{checkpoint.name} on {args.data} ({dataset.protocol} protocol), full catalogue of "
            f"{dataset.vocabulary.num_shows} shows"
        )
        print(format_table(report, args.splits, model_name=checkpoint.name))
    return 0
