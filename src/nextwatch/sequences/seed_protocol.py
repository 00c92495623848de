"""Protocol ``seed``: the reference design's windows, exactly, split 70/10/20 at random with a seed.

For a viewer with ``n`` plays (positions ``0..n-1`` in log order) and window ``w`` (20 by default):

- the inference window is the last ``min(n, w)`` plays (a one-play viewer has one);
- the training targets are the plays ``n - w - 2``, then every ``w + 1`` plays back (``n-22, n-43, n-64, ...`` for
  ``w = 20``) while the position is >= 1, each with up to ``w`` plays before it as input; the earliest window may be
  shorter. Play ``n - w - 1`` (``n - 21``) is in no sample: it sits between the inference window and the newest
  training window, as in the reference design.

The samples are then shuffled with ``numpy.random.default_rng(seed).permutation`` and cut in that order:
``floor(0.7 * N)`` train, ``floor(0.1 * N)`` val (both with integer arithmetic, ``N * 70 // 100`` and
``N * 10 // 100``), the rest test. Windows never overlap, so a play is in at most one sample.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import polars as pl

from nextwatch.sequences.config import PrepareConfig
from nextwatch.sequences.windows import ProtocolOutput, ViewerIndex, backward_targets, row_mask, sample_frame

__all__ = ["SEED_SPLIT_PERCENT", "seed_samples", "seed_split"]

SEED_SPLIT_PERCENT: Final = {"train": 70, "val": 10, "test": 20}


def seed_split(count: int, seed: int) -> pl.Series:
    """The split of each of ``count`` samples: a seeded permutation cut into 70 % / 10 % / the rest.

    >>> seed_split(10, 42).value_counts(sort=True).rows()
    [('train', 7), ('test', 2), ('val', 1)]
    """
    train = count * SEED_SPLIT_PERCENT["train"] // 100
    val = count * SEED_SPLIT_PERCENT["val"] // 100
    order = np.random.default_rng(seed).permutation(count)
    code = np.empty(count, dtype=np.int8)
    code[order[:train]] = 0
    code[order[train : train + val]] = 1
    code[order[train + val :]] = 2
    names = pl.Series(["train", "val", "test"], dtype=pl.String)
    return names.gather(pl.Series(code)).alias("split")


def seed_samples(log: pl.DataFrame, viewers: ViewerIndex, config: PrepareConfig) -> ProtocolOutput:
    """Every training window of every viewer, each with its split; ordered by viewer, then oldest target first.

    The train plays are the inputs and targets of the train samples.

    A 23-play viewer (window 20) gives one sample, target position 1 with input ``[0]``; a 22-play viewer none.
    """
    window = config.window
    viewer, position = backward_targets(viewers.counts - window - 2, window + 1)
    target_rows = viewers.starts[viewer] + position
    input_starts = viewers.starts[viewer] + np.maximum(position - window, 0)
    split = seed_split(len(target_rows), config.seed)
    is_train = (split == "train").to_numpy()
    train_rows = row_mask(log.height, input_starts[is_train], target_rows[is_train] + 1)
    samples = sample_frame(log, split, target_rows, input_starts)
    return ProtocolOutput(samples=samples, train_rows=train_rows, info={"split_percent": dict(SEED_SPLIT_PERCENT)})
