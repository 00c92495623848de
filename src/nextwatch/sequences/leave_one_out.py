"""Protocol ``leave-one-out``: each viewer's last play is the test case, the one before it the validation case.

As RecBole, SASRec and GRU4Rec papers report it. For a viewer with ``n >= 3`` plays:

- test: target play ``n - 1``, input up to ``window`` plays before it;
- val: target play ``n - 2``, input up to ``window`` plays before it (it never holds the test play);
- train: windows over plays ``0..n-3`` as in ``temporal``: targets from play ``n - 3`` backwards every ``stride``.

``new_show_ids`` of a case is ``[target]`` when the viewer never played the target show before it, else ``[]``;
``seen_show_ids`` every show the viewer played before the target. Viewers with fewer than 3 plays are counted
(``too_short_viewers``) and left out of evaluation; their plays still give train windows (targets from their last
play backwards) and stay in the train plays.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import polars as pl

from nextwatch.sequences.cases import evaluation_cases, training_windows
from nextwatch.sequences.config import PrepareConfig
from nextwatch.sequences.windows import ProtocolOutput, ViewerIndex, row_mask

__all__ = ["MIN_PLAYS", "leave_one_out_samples"]

MIN_PLAYS: Final = 3


def leave_one_out_samples(log: pl.DataFrame, viewers: ViewerIndex, config: PrepareConfig) -> ProtocolOutput:
    """Train samples, then validation cases, then test cases, each ordered by viewer."""
    counts = viewers.counts
    evaluated = counts >= MIN_PLAYS
    usable = np.where(evaluated, counts - 2, counts)
    train = training_windows(log, viewers, usable, config)
    starts = viewers.starts[evaluated]
    last = viewers.ends[evaluated] - 1
    val = evaluation_cases(log, viewers, "val", starts, last - 1, last, config.window)
    test = evaluation_cases(log, viewers, "test", starts, last, last + 1, config.window)
    return ProtocolOutput(
        samples=pl.concat([train, val, test]),
        train_rows=row_mask(log.height, viewers.starts, viewers.starts + usable),
        info={"min_plays_for_evaluation": MIN_PLAYS, "too_short_viewers": int(np.count_nonzero(~evaluated))},
    )
