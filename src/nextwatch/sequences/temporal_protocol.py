"""Protocol ``temporal``: grade on later days, as a streaming service does; no input or target crosses a period.

With the log's days ``first_day..last_day``, the test period is the last ``test_days`` days
(``day_number > last_day - test_days``) and the validation period the ``val_days`` days before it; training learns
only from plays before the validation period.

- Train: each viewer's plays before the validation period, targets from the last of them backwards every
  ``stride`` plays (default ``window + 1``: non-overlapping windows), each with up to ``window`` plays before it.
- Each viewer who plays in a period is one case of that period: the input is the viewer's last ``window`` plays
  before the period starts (empty for a viewer new in that period: a cold-start case, counted), the target is the
  viewer's first play in the period (repeats allowed), ``new_show_ids`` the shows the viewer plays in the period but
  never before it, ``seen_show_ids`` the shows the viewer played before it. Test inputs may hold validation-period
  plays (they are earlier); nothing from the test period is in a validation case or a train sample.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl

from nextwatch.errors import InvalidOptionError
from nextwatch.sequences.cases import evaluation_cases, training_windows
from nextwatch.sequences.config import PrepareConfig
from nextwatch.sequences.windows import ProtocolOutput, Rows, ViewerIndex

__all__ = ["temporal_samples"]


def temporal_samples(log: pl.DataFrame, viewers: ViewerIndex, config: PrepareConfig) -> ProtocolOutput:
    """Train samples, then validation cases, then test cases, each ordered by viewer."""
    day = log["day_number"].to_numpy()
    first_day, last_day = int(day.min()), int(day.max())
    test_start = last_day - config.test_days + 1
    val_start = test_start - config.val_days
    if val_start <= first_day:
        raise InvalidOptionError(
            f"the log spans days {first_day}..{last_day}: too few for --val-days {config.val_days} and "
            f"--test-days {config.test_days}, which leave no day to train on; use shorter periods"
        )
    before_val = _first_row_on_or_after(day, viewers, val_start)
    before_test = _first_row_on_or_after(day, viewers, test_start)
    train = training_windows(log, viewers, before_val - viewers.starts, config)
    val, val_cold = _period(log, viewers, "val", before_val, before_test, config.window)
    test, test_cold = _period(log, viewers, "test", before_test, viewers.ends, config.window)
    return ProtocolOutput(
        samples=pl.concat([train, val, test]),
        train_rows=day < val_start,
        info={
            "periods": {
                "train": {"first_day": first_day, "last_day": val_start - 1},
                "val": {"first_day": val_start, "last_day": test_start - 1},
                "test": {"first_day": test_start, "last_day": last_day},
            },
            "cold_start_cases": {"val": val_cold, "test": test_cold},
        },
    )


def _first_row_on_or_after(day: npt.NDArray[np.int32], viewers: ViewerIndex, start_day: int) -> Rows:
    """Per viewer, the first row on or after ``start_day`` (its end row if none): each viewer's days ascend."""
    before = np.concatenate(([0], np.cumsum(day < start_day, dtype=np.int64)))
    return viewers.starts + before[viewers.ends] - before[viewers.starts]


def _period(
    log: pl.DataFrame, viewers: ViewerIndex, split: str, period_starts: Rows, period_ends: Rows, window: int
) -> tuple[pl.DataFrame, int]:
    """The cases of one period (viewers with a play in it) and how many of them are cold starts."""
    playing = np.flatnonzero(period_ends > period_starts)
    targets = period_starts[playing]
    starts = viewers.starts[playing]
    cases = evaluation_cases(log, viewers, split, starts, targets, period_ends[playing], window)
    return cases, int(np.count_nonzero(targets == starts))
