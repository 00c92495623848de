"""``nextwatch recommend``: one viewer's next shows from a checkpoint, as a table or JSON."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from nextwatch.cli.options import positive_int

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "recommend",
        help="a viewer's next shows",
        description="Print a viewer's best next shows. An unknown viewer gets the popular shows, marked cold start.",
    )
    parser.add_argument("--checkpoint", type=Path, required=True, help="checkpoint file (from nextwatch train)")
    parser.add_argument("--user", type=int, required=True, help="viewer id")
    parser.add_argument("-k", type=positive_int, help="how many shows (default 10, or all when fewer)")
    parser.add_argument("--exclude-seen", action="store_true", help="leave out shows the viewer has already played")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from nextwatch.recommend import Recommender

    recommender = Recommender.from_checkpoint(args.checkpoint)
    k = min(10, recommender.num_shows) if args.k is None else args.k
    answer = recommender.recommend(args.user, k=k, exclude_seen=args.exclude_seen)
    if args.json:
        print(json.dumps(answer.to_dict()))
        return 0
    source = "cold start: popular shows, score = popularity rank points" if answer.cold_start else "model"
    print(f"viewer {args.user} ({source})")
    print("rank\tshow_id\tscore")
    for rank, (show_id, score) in enumerate(zip(answer.show_ids, answer.scores, strict=True), start=1):
        print(f"{rank}\t{show_id}\t{score:.6g}")
    return 0
