"""``nextwatch describe``: print a playback log's statistics (and the oracle's recall, given its file)."""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

import polars as pl

from nextwatch.describe import describe_log, read_log
from nextwatch.errors import InvalidInputError
from nextwatch.synthetic import oracle_recall

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "describe", help="print a playback log's statistics", description="Print a playback log's statistics."
    )
    parser.add_argument("log", type=Path, metavar="LOG", help="playback log (parquet)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.add_argument(
        "--oracle", type=Path, default=None, metavar="FILE", help="oracle file from `generate --oracle`: add its recall"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    frame = read_log(args.log)
    result: dict[str, Any] = describe_log(frame).to_dict()
    if args.oracle is not None:
        result["oracle"] = oracle_recall(frame, _read_oracle(args.oracle))
    if args.json:
        print(json.dumps(_json_safe(result)))
    else:
        print(_table(result))
    return 0


def _read_oracle(path: Path) -> pl.DataFrame:
    try:
        return pl.read_parquet(path)
    except (OSError, pl.exceptions.PolarsError) as error:
        raise InvalidInputError(f"cannot read oracle file {path}: {error}") from error


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _table(result: dict[str, Any], indent: str = "") -> str:
    lines = []
    width = 32 - len(indent)
    for key, value in result.items():
        if isinstance(value, dict):
            lines.append(f"{indent}{key}:")
            lines.append(_table(value, indent + "  "))
        elif isinstance(value, float):
            lines.append(f"{indent}{key:<{width}}{value:,.4f}")
        elif value is None:
            lines.append(f"{indent}{key:<{width}}-")
        else:
            lines.append(f"{indent}{key:<{width}}{value:,}")
    return "\n".join(lines)
