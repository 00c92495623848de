"""``nextwatch generate``: write a synthetic playback log (and optionally its oracle)."""

from __future__ import annotations

import argparse
from pathlib import Path

from nextwatch.atomic_io import ensure_parent_dir
from nextwatch.cli.options import non_negative_int, positive_int
from nextwatch.schema import LOG_FILE_NAME
from nextwatch.synthetic import GeneratorConfig, generate_log, write_log, write_oracle

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    defaults = GeneratorConfig()
    parser = subparsers.add_parser(
        "generate",
        help="write a synthetic playback log",
        description="Simulate viewers watching TV and write their plays in the playback log schema.",
    )
    parser.add_argument("--users", type=positive_int, default=defaults.users, help="viewers (default %(default)s)")
    parser.add_argument("--days", type=positive_int, default=defaults.days, help="days (default %(default)s)")
    parser.add_argument("--shows", type=positive_int, default=defaults.shows, help="shows (default %(default)s)")
    parser.add_argument("--seed", type=non_negative_int, default=defaults.seed, help="seed (default %(default)s)")
    parser.add_argument("--out", type=Path, default=Path(LOG_FILE_NAME), help="log file (default %(default)s)")
    parser.add_argument(
        "--oracle", type=Path, default=None, metavar="FILE",
        help="also write the oracle's top 10 for every viewer's last play and 1%% of all plays",
    )  # fmt: skip
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    config = GeneratorConfig(users=args.users, days=args.days, shows=args.shows, seed=args.seed)
    # Fail on an unwritable path before minutes of simulation, not after.
    for path in (args.out, args.oracle):
        if path is not None:
            ensure_parent_dir(path)
    generated = generate_log(config, oracle=args.oracle is not None)
    write_log(generated.frame, args.out)
    if generated.oracle is not None:
        write_oracle(generated.oracle, args.oracle)
    return 0
