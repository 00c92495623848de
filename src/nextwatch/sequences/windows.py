"""The machinery every protocol shares: viewer offsets over the ordered log, and windows cut by row ranges.

Everything is offset arithmetic over numpy arrays, never a loop over viewers: viewer ``v`` owns the rows
``offsets[v]`` .. ``offsets[v + 1] - 1`` of the clean log (Contract 1 keeps each viewer's plays together, in order),
and a window is a half-open row range ``[start, end)`` inside one viewer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import polars as pl
import pyarrow as pa

from nextwatch.errors import InvalidInputError

__all__ = [
    "SAMPLE_SCHEMA",
    "ProtocolOutput",
    "ViewerIndex",
    "backward_targets",
    "distinct_shows",
    "list_series",
    "range_rows",
    "row_mask",
    "sample_frame",
    "viewer_index",
    "window_lists",
]

Rows = npt.NDArray[np.int64]

SAMPLE_SCHEMA: Final[dict[str, pl.DataType]] = {
    "user_id": pl.Int32(),
    "split": pl.String(),
    "target_show_id": pl.Int32(),
    "target_day": pl.Int32(),
    "show_ids": pl.List(pl.Int32()),
    "asset_types": pl.List(pl.String()),
    "watch_minutes": pl.List(pl.Int32()),
    "new_show_ids": pl.List(pl.Int32()),
    "seen_show_ids": pl.List(pl.Int32()),
}


@dataclass(frozen=True)
class ViewerIndex:
    """Where each viewer's plays lie in the ordered log: viewer ``v`` owns rows ``offsets[v]:offsets[v + 1]``.

    ``first_plays``: the rows, ascending, that are a viewer's first play of a show.
    """

    user_ids: npt.NDArray[np.int32]
    offsets: Rows
    first_plays: Rows

    @property
    def starts(self) -> Rows:
        return self.offsets[:-1]

    @property
    def ends(self) -> Rows:
        return self.offsets[1:]

    @property
    def counts(self) -> Rows:
        return np.diff(self.offsets)

    def __len__(self) -> int:
        return len(self.user_ids)


@dataclass(frozen=True)
class ProtocolOutput:
    """What a protocol cuts from a log: the samples, which log rows training may learn from, and facts for
    ``dataset.json`` (period boundaries, cold-start and too-short counts)."""

    samples: pl.DataFrame
    train_rows: npt.NDArray[np.bool_]
    info: dict[str, Any]


def row_mask(rows: int, starts: Rows, ends: Rows) -> npt.NDArray[np.bool_]:
    """A mask over ``rows`` log rows, true on every row of the ranges ``[starts, ends)``.

    >>> row_mask(6, np.array([0, 3]), np.array([2, 4])).tolist()
    [True, True, False, True, False, False]
    """
    _, inside = range_rows(starts, ends)
    mask = np.zeros(rows, dtype=bool)
    mask[inside] = True
    return mask


def viewer_index(log: pl.DataFrame) -> ViewerIndex:
    """Check that ``log`` is a non-empty clean log in Contract 1 order and find each viewer's rows.

    >>> log = pl.DataFrame({"user_id": [3, 3, 5], "show_id": [7, 7, 7], "day_number": [1, 2, 1]})
    >>> index = viewer_index(log.with_columns(minute_of_day=pl.lit(0)))
    >>> index.offsets.tolist(), index.first_plays.tolist()
    ([0, 2, 3], [0, 2])
    """
    missing = [name for name in ("user_id", "show_id", "day_number", "minute_of_day") if name not in log.columns]
    if missing:
        raise InvalidInputError(
            f"the log lacks column(s) {', '.join(missing)}: read it with nextwatch.ingest.load_log or order_log"
        )
    if log.height == 0:
        raise InvalidInputError("the log has no plays: a dataset needs at least one")
    users = log["user_id"].to_numpy()
    change = np.flatnonzero(users[1:] != users[:-1]) + 1
    offsets = np.concatenate(([0], change, [len(users)])).astype(np.int64)
    user_ids = users[offsets[:-1]].astype(np.int32)
    moment = log["day_number"].to_numpy().astype(np.int64) * 1440 + log["minute_of_day"].to_numpy()
    same_viewer = users[1:] == users[:-1]
    if np.any(np.diff(user_ids) <= 0) or np.any((np.diff(moment) < 0) & same_viewer):
        raise InvalidInputError(
            "the log is not in clean-log order (user_id, day_number, minute_of_day): "
            "read it with nextwatch.ingest.load_log or order it with nextwatch.ingest.order_log"
        )
    # user_id * 2**32 + (show_id + 2**31) is unique per (viewer, show) pair and fits an Int64.
    pair = log["user_id"].cast(pl.Int64) * 2**32 + (log["show_id"].cast(pl.Int64) + 2**31)
    first_plays = np.flatnonzero(pair.is_first_distinct().to_numpy()).astype(np.int64)
    return ViewerIndex(user_ids=user_ids, offsets=offsets, first_plays=first_plays)


def backward_targets(last: Rows, stride: int) -> tuple[Rows, Rows]:
    """Training targets: per viewer, positions ``last, last - stride, ...`` while >= 1, returned oldest first.

    Position 0 is never a target: it has no play before it. Returns ``(viewer, position)`` arrays.

    >>> viewer, position = backward_targets(np.array([5, 0, 1]), 2)
    >>> viewer.tolist(), position.tolist()
    ([0, 0, 0, 2], [1, 3, 5, 1])
    """
    per_viewer = np.where(last >= 1, (last - 1) // stride + 1, 0)
    viewer = np.repeat(np.arange(len(last), dtype=np.int64), per_viewer)
    first_of_viewer = np.repeat(np.cumsum(per_viewer) - per_viewer, per_viewer)
    from_newest = per_viewer[viewer] - 1 - (np.arange(len(viewer), dtype=np.int64) - first_of_viewer)
    return viewer, last[viewer] - from_newest * stride


def list_series(name: str, offsets: Rows, values: pl.Series, inner: pl.DataType) -> pl.Series:
    """A list column whose row ``i`` holds ``values[offsets[i]:offsets[i + 1]]`` (empty rows allowed)."""
    flat = values.cast(inner).to_arrow()
    lists = pa.LargeListArray.from_arrays(pa.array(offsets, type=pa.int64()), flat)
    return pl.Series(name, lists).cast(pl.List(inner))


def range_rows(starts: Rows, ends: Rows) -> tuple[Rows, Rows]:
    """Offsets of the ranges laid end to end, and every row of every range in order."""
    lengths = ends - starts
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    rows = np.repeat(starts - offsets[:-1], lengths) + np.arange(offsets[-1], dtype=np.int64)
    return offsets, rows


def window_lists(log: pl.DataFrame, starts: Rows, ends: Rows) -> dict[str, pl.Series]:
    """The ``show_ids``, ``asset_types`` and ``watch_minutes`` lists of the row ranges ``[starts, ends)``."""
    offsets, rows = range_rows(starts, ends)
    gather = pl.Series(rows)
    return {
        "show_ids": list_series("show_ids", offsets, log["show_id"].gather(gather), pl.Int32()),
        "asset_types": list_series("asset_types", offsets, log["asset_type"].gather(gather), pl.String()),
        "watch_minutes": list_series("watch_minutes", offsets, log["watch_minutes"].gather(gather), pl.Int32()),
    }


def distinct_shows(name: str, log: pl.DataFrame, viewers: ViewerIndex, starts: Rows, ends: Rows) -> pl.Series:
    """Per row range ``[starts, ends)``, the shows whose first play by the viewer lies in it, ascending.

    With ``starts`` the viewer's first row that is every show played before ``ends`` (``seen_show_ids``); with a
    period's rows it is the shows first played in the period (``new_show_ids``). First plays are a sorted row
    list, so each range is a slice of it: the cost is the number of distinct (viewer, show) pairs, not of rows.
    """
    low = np.searchsorted(viewers.first_plays, starts)
    high = np.searchsorted(viewers.first_plays, ends)
    offsets, positions = range_rows(low, high)
    shows = log["show_id"].gather(pl.Series(viewers.first_plays[positions])).to_numpy().astype(np.int64)
    # Sorting (range, show) keys sorts the shows within each range at once (polars' list.sort is per list).
    case = np.repeat(np.arange(len(starts), dtype=np.int64), high - low)
    keys = np.sort(case * 2**32 + (shows + 2**31))
    ascending = pl.Series((keys & 0xFFFFFFFF) - 2**31)
    return list_series(name, offsets, ascending, pl.Int32())


def sample_frame(
    log: pl.DataFrame,
    split: str | pl.Series,
    target_rows: Rows,
    input_starts: Rows,
    new_show_ids: pl.Series | None = None,
    seen_show_ids: pl.Series | None = None,
) -> pl.DataFrame:
    """Samples whose input is the rows ``[input_starts, target_rows)`` and whose target is the row ``target_rows``."""
    gather = pl.Series(target_rows)
    count = len(target_rows)
    columns: dict[str, pl.Series] = {
        "user_id": log["user_id"].gather(gather).cast(pl.Int32),
        "split": pl.repeat(split, count, dtype=pl.String(), eager=True) if isinstance(split, str) else split,
        "target_show_id": log["show_id"].gather(gather).cast(pl.Int32).alias("target_show_id"),
        "target_day": log["day_number"].gather(gather).cast(pl.Int32).alias("target_day"),
        **window_lists(log, input_starts, target_rows),
        "new_show_ids": _or_nulls("new_show_ids", new_show_ids, count),
        "seen_show_ids": _or_nulls("seen_show_ids", seen_show_ids, count),
    }
    return pl.DataFrame([series.alias(name) for name, series in columns.items()])


def _or_nulls(name: str, series: pl.Series | None, count: int) -> pl.Series:
    if series is None:
        return pl.repeat(None, count, dtype=pl.List(pl.Int32()), eager=True).alias(name)
    return series.alias(name)
