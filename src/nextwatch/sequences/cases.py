"""Training windows and evaluation cases of the ``temporal`` and ``leave-one-out`` protocols."""

from __future__ import annotations

import numpy as np
import polars as pl

from nextwatch.sequences.config import PrepareConfig
from nextwatch.sequences.windows import Rows, ViewerIndex, backward_targets, distinct_shows, sample_frame

__all__ = ["evaluation_cases", "training_windows"]


def training_windows(log: pl.DataFrame, viewers: ViewerIndex, usable: Rows, config: PrepareConfig) -> pl.DataFrame:
    """Train samples from each viewer's first ``usable`` plays: targets from the last usable play backwards every
    ``config.training_stride`` plays (position >= 1), each with up to ``config.window`` plays before it.

    With the default stride (window + 1) the windows do not overlap; a stride of 1..window makes them overlap.
    """
    viewer, position = backward_targets(usable - 1, config.training_stride)
    target_rows = viewers.starts[viewer] + position
    input_starts = viewers.starts[viewer] + np.maximum(position - config.window, 0)
    return sample_frame(log, "train", target_rows, input_starts)


def evaluation_cases(
    log: pl.DataFrame,
    viewers: ViewerIndex,
    split: str,
    viewer_starts: Rows,
    target_rows: Rows,
    period_ends: Rows,
    window: int,
) -> pl.DataFrame:
    """One case per target row: the input is up to ``window`` plays of the viewer before the target (possibly none),
    ``seen_show_ids`` every show the viewer played before the target, and ``new_show_ids`` the shows of the rows
    ``[target, period_end)`` the viewer never played before the target.

    ``viewer_starts`` is the first row of each case's viewer.
    """
    return sample_frame(
        log,
        split,
        target_rows,
        np.maximum(viewer_starts, target_rows - window),
        new_show_ids=distinct_shows("new_show_ids", log, viewers, target_rows, period_ends),
        seen_show_ids=distinct_shows("seen_show_ids", log, viewers, viewer_starts, target_rows),
    )
