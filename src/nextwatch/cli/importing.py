"""``nextwatch import movielens|events``: turn another shape of log into ``playback_sessions.parquet``."""

from __future__ import annotations

import argparse
from typing import Any

from nextwatch.cli.options import positive_int
from nextwatch.importers import EventsConfig, MovieLensConfig, import_events, import_movielens, write_import
from nextwatch.importers.events import DURATION_UNITS
from nextwatch.schema import LOG_FILE_NAME, WATCH_MINUTES_CAP

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "import",
        help="turn MovieLens ratings or an event export into a playback log",
        description="Turn another shape of log into the playback log schema (see docs/importers.md).",
    )
    sources = parser.add_subparsers(dest="source", required=True, metavar="SOURCE")

    movielens = sources.add_parser("movielens", help="MovieLens ratings.csv (one play per rating)")
    movielens.add_argument("--ratings", required=True, help="ratings.csv: userId,movieId,rating,timestamp")
    movielens.add_argument("--movies", help="movies.csv: asset_type becomes each film's first genre")
    movielens.add_argument(
        "--watch-minutes", type=_minutes, default=MovieLensConfig.watch_minutes, help="minutes per play (100)"
    )
    _add_common(movielens)

    events = sources.add_parser("events", help="any CSV or parquet log with a user, an item and a time per row")
    events.add_argument("--input", required=True, help="the .csv, .tsv or .parquet file")
    events.add_argument("--user", required=True, help="column of user ids")
    events.add_argument("--item", required=True, help="column of item ids (numbered 1..N as show_id)")
    events.add_argument("--time", required=True, help="column of unix seconds or ISO-8601 times (no zone = UTC)")
    events.add_argument("--duration", help="column of play durations (else every play lasts --watch-minutes)")
    events.add_argument("--duration-unit", choices=DURATION_UNITS, default="seconds", help="unit of --duration")
    events.add_argument("--type", help="column of asset types (else every play is VOD)")
    events.add_argument(
        "--watch-minutes", type=_minutes, default=EventsConfig.watch_minutes, help="minutes per play without --duration"
    )
    _add_common(events)
    parser.set_defaults(run=run)


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", default=LOG_FILE_NAME, help=f"output log (default {LOG_FILE_NAME})")
    parser.add_argument(
        "--strict", action="store_true", help="stop at the first bad row instead of dropping and counting it"
    )


def _minutes(text: str) -> int:
    value = positive_int(text)
    if value > WATCH_MINUTES_CAP:
        raise argparse.ArgumentTypeError(f"must be at most {WATCH_MINUTES_CAP} minutes, got {text}")
    return value


def run(args: argparse.Namespace) -> int:
    if args.source == "movielens":
        result = import_movielens(
            args.ratings, args.movies, MovieLensConfig(watch_minutes=args.watch_minutes, strict=args.strict)
        )
    else:
        config = EventsConfig(
            user_col=args.user,
            item_col=args.item,
            time_col=args.time,
            duration_col=args.duration,
            type_col=args.type,
            duration_unit=args.duration_unit,
            watch_minutes=args.watch_minutes,
            strict=args.strict,
        )
        result = import_events(args.input, config)
    written = write_import(result, args.out)
    print(f"nextwatch import {args.source}: {result.report.summary()} -> {', '.join(map(str, written))}")
    return 0
