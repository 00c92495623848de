"""MovieLens ratings (``userId,movieId,rating,timestamp``) as a playback log: one play per rating.

What each column becomes, and what is lost, is in docs/importers.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from nextwatch.errors import InvalidInputError, InvalidOptionError
from nextwatch.importers.playlog import (
    INT32_MAX,
    INT32_MIN,
    TIME_EXPECTED,
    FieldRule,
    ImportResult,
    assemble_log,
    integer_ids,
    read_table,
    require_columns,
    screen_rows,
    timestamps_to_micros,
)
from nextwatch.schema import WATCH_MINUTES_CAP

__all__ = ["NO_GENRE", "MovieLensConfig", "import_movielens", "int32_ids"]

# MovieLens writes this for a film without genres; such films get the default asset type.
NO_GENRE = "(no genres listed)"


@dataclass(frozen=True)
class MovieLensConfig:
    """How ratings become plays: every play lasts ``watch_minutes``; ``asset_type`` when no genre is known."""

    watch_minutes: int = 100  # a film's typical length; ratings carry no watch time
    asset_type: str = "VOD"
    strict: bool = False  # refuse the first bad row instead of dropping and counting

    def __post_init__(self) -> None:
        if not 1 <= self.watch_minutes <= WATCH_MINUTES_CAP:
            raise InvalidOptionError(
                f"watch_minutes must be between 1 and {WATCH_MINUTES_CAP}, got {self.watch_minutes}"
            )
        if not self.asset_type.strip():
            raise InvalidOptionError("asset_type must be a non-empty text such as 'VOD'")


def int32_ids(values: pl.Series) -> pl.Series:
    """Int32 ids where a value is an integer that fits int32, null elsewhere.

    >>> int32_ids(pl.Series(["7", "x", "9999999999"])).to_list()
    [7, None, None]
    """
    ids = integer_ids(values)
    fits = (ids >= INT32_MIN) & (ids <= INT32_MAX)
    return pl.select(pl.when(fits).then(ids).otherwise(None).cast(pl.Int32)).to_series()


def import_movielens(
    ratings_csv: str | Path, movies_csv: str | Path | None = None, config: MovieLensConfig | None = None
) -> ImportResult:
    """Turn a MovieLens ``ratings.csv`` (and optionally ``movies.csv``) into a log in the schema.

    userId -> user_id, movieId -> show_id and episode_id, timestamp (unix seconds, UTC) -> day and time,
    playback_session_id = rank of (timestamp, input row); asset_type = the film's first genre when ``movies_csv``
    is given, else ``config.asset_type``; the rating is dropped.

    ``7,1,4.0,86460`` (1970-01-02 00:01 UTC, the log's first day) becomes
    ``user_id=7, playback_session_id=1, show_id=1, asset_type='VOD', episode_id=1, day='1', time='00:01',
    watch_minutes=100``.
    """
    config = config or MovieLensConfig()
    source = Path(ratings_csv)
    raw = read_table(source)
    require_columns(raw, ["userId", "movieId", "timestamp"], source)
    parsed = {
        "user": int32_ids(raw["userId"]),
        "item": int32_ids(raw["movieId"]),
        "time": timestamps_to_micros(raw["timestamp"]),
    }
    rules = [
        FieldRule("user", "userId", "an integer user id (int32)"),
        FieldRule("item", "movieId", "an integer movie id (int32)"),
        FieldRule("time", "timestamp", TIME_EXPECTED),
    ]
    keep, dropped = screen_rows(raw, parsed, rules, source=source, strict=config.strict)
    kept = pl.DataFrame({"user_id": parsed["user"], "show_id": parsed["item"], "time_us": parsed["time"]}).filter(keep)
    if movies_csv is None:
        asset_types = pl.repeat(config.asset_type, kept.height, dtype=pl.String, eager=True)
    else:
        genres = first_genres(Path(movies_csv))
        asset_types = kept["show_id"].replace_strict(
            genres["movieId"], genres["asset_type"], default=config.asset_type, return_dtype=pl.String
        )
    kept = kept.with_columns(
        asset_type=asset_types,
        episode_id=pl.col("show_id"),
        watch_minutes=pl.lit(config.watch_minutes, dtype=pl.Int32),
    )
    frame, report = assemble_log(kept, source=source, input_rows=raw.height, dropped=dropped)
    return ImportResult(frame=frame, report=report)


def first_genres(movies_csv: Path) -> pl.DataFrame:
    """``movieId`` (Int32) -> ``asset_type``: the first of the film's ``|``-separated genres.

    ``1,Toy Story (1995),Adventure|Animation|Children`` -> ``(1, 'Adventure')``; a film listed twice keeps its first
    row; ``(no genres listed)`` and empty genres are left out (the film gets the default asset type).
    """
    raw = read_table(movies_csv)
    require_columns(raw, ["movieId", "genres"], movies_csv)
    ids = int32_ids(raw["movieId"])
    if ids.null_count():
        index = int(ids.is_null().arg_true()[0])
        raise InvalidInputError(
            f"{movies_csv} data row {index + 1} (1 = first row after the header), column 'movieId': "
            f"{raw['movieId'][index]!r} is not an integer movie id (int32); fix or remove the row"
        )
    first = raw["genres"].fill_null("").str.split("|").list.first().str.strip_chars()
    return (
        pl.DataFrame({"movieId": ids, "asset_type": first})
        .filter((pl.col("asset_type") != "") & (pl.col("asset_type") != NO_GENRE))
        .unique(subset="movieId", keep="first", maintain_order=True)
    )
