"""Statistics of a playback log: how big it is, how viewers watch, how concentrated popularity is.

Percentiles are linear interpolation between order statistics (numpy's and polars' ``"linear"``, numpy's
default): the q-percentile of sorted values v[0..n-1] is v[i] + f * (v[i+1] - v[i]) with i + f = q * (n - 1).
"""

from __future__ import annotations

import math
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Final

import polars as pl

from nextwatch.errors import InvalidInputError

__all__ = ["DESCRIBE_COLUMNS", "LogStats", "describe_log", "read_log"]

# The columns the statistics use; episode_id is not needed.
DESCRIBE_COLUMNS: Final = ("user_id", "playback_session_id", "show_id", "asset_type", "day", "time", "watch_minutes")
LEFT_RUNNING_MINUTES: Final = 1440


@dataclass(frozen=True)
class LogStats:
    """A log's statistics; shares are fractions in [0, 1]. ``binge_rate`` is None when no viewer has two plays."""

    rows: int
    viewers: int
    shows: int
    days: int  # distinct days with at least one play
    plays_per_viewer_p10: float
    plays_per_viewer_p20: float
    plays_per_viewer_p50: float
    plays_per_viewer_p90: float
    asset_type_shares: dict[str, float]  # asset type -> share of plays, by name
    binge_rate: float | None
    new_show_rate: float
    watch_minutes_p50: float
    watch_minutes_p90: float
    watch_minutes_over_1440_share: float
    top_1pct_show_share: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def read_log(path: str | os.PathLike[str]) -> pl.DataFrame:
    """Read a log's parquet file with the columns ``describe_log`` needs, or raise InvalidInputError."""
    try:
        frame = pl.read_parquet(Path(path))
    except (OSError, pl.exceptions.PolarsError) as error:
        raise InvalidInputError(f"cannot read log {os.fspath(path)}: {error}") from error
    for name in DESCRIBE_COLUMNS:
        if name not in frame.columns:
            raise InvalidInputError(f"log {os.fspath(path)} has no column {name!r}: see nextwatch.schema.LOG_COLUMNS")
    return frame


def describe_log(frame: pl.DataFrame) -> LogStats:
    """Statistics of a log in the schema (its own order does not matter).

    Each viewer's plays are ordered by (int(day), time as hh*60+mm, playback_session_id). The binge rate is the
    share of a viewer's consecutive pairs of plays that are of the same show. The new-show rate is the share of
    plays whose show the viewer had not played earlier in the log; a viewer's first play counts as new. The top
    1% share is the plays of the ceil(1% of distinct shows) most played shows over all plays.

    >>> frame = pl.DataFrame({"user_id": [1, 1], "playback_session_id": [1, 1], "show_id": [5, 5],
    ...     "asset_type": ["VOD", "VOD"], "day": ["1", "1"], "time": ["20:00", "20:40"], "watch_minutes": [40, 30]})
    >>> (describe_log(frame).binge_rate, describe_log(frame).new_show_rate)
    (1.0, 0.5)
    """
    if frame.height == 0:
        raise InvalidInputError("the log has no rows")
    ordered = _ordered(frame)
    rows = ordered.height
    per_viewer = ordered.group_by("user_id").len()["len"].cast(pl.Float64)
    same_as_previous = (ordered["show_id"] == ordered["show_id"].shift(1)) & (
        ordered["user_id"] == ordered["user_id"].shift(1)
    )
    pairs = rows - per_viewer.len()
    new_plays = ordered.select(pl.struct("user_id", "show_id").is_first_distinct().sum()).item()
    show_plays = ordered.group_by("show_id").len()["len"].sort(descending=True)
    top = math.ceil(0.01 * show_plays.len())
    assets = ordered.group_by("asset_type").len().sort("asset_type", nulls_last=True)
    minutes = ordered["watch_minutes"].cast(pl.Float64)
    return LogStats(
        rows=rows,
        viewers=per_viewer.len(),
        shows=show_plays.len(),
        days=ordered["day_number"].n_unique(),
        plays_per_viewer_p10=_percentile(per_viewer, 0.10),
        plays_per_viewer_p20=_percentile(per_viewer, 0.20),
        plays_per_viewer_p50=_percentile(per_viewer, 0.50),
        plays_per_viewer_p90=_percentile(per_viewer, 0.90),
        asset_type_shares={
            str(name) if name is not None else "(missing)": count / rows for name, count in assets.iter_rows()
        },
        binge_rate=int(same_as_previous.sum()) / pairs if pairs else None,
        new_show_rate=int(new_plays) / rows,
        watch_minutes_p50=_percentile(minutes, 0.50),
        watch_minutes_p90=_percentile(minutes, 0.90),
        watch_minutes_over_1440_share=int((minutes > LEFT_RUNNING_MINUTES).sum()) / rows,
        top_1pct_show_share=int(show_plays.head(top).sum()) / rows,
    )


def _ordered(frame: pl.DataFrame) -> pl.DataFrame:
    """The log with ``day_number`` and ``minute_of_day``, sorted by viewer, then time, then session id."""
    hours_minutes = pl.col("time").str.split_exact(":", 1)
    derived = frame.with_columns(
        pl.col("day").cast(pl.Int32, strict=False).alias("day_number"),
        (
            hours_minutes.struct.field("field_0").cast(pl.Int32, strict=False) * 60
            + hours_minutes.struct.field("field_1").cast(pl.Int32, strict=False)
        ).alias("minute_of_day"),
    )
    for column, derived_column, what in (("day", "day_number", "a whole number"), ("time", "minute_of_day", "hh:mm")):
        bad = derived.filter(pl.col(derived_column).is_null())
        if bad.height:
            raise InvalidInputError(f"column {column!r} must be {what}, got {bad[column][0]!r}")
    return derived.sort("user_id", "day_number", "minute_of_day", "playback_session_id", maintain_order=True)


def _percentile(values: pl.Series, q: float) -> float:
    result = values.quantile(q, interpolation="linear")
    assert result is not None
    return float(result)
