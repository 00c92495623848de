"""``prepare_dataset``: cut a clean log into the samples, inference windows and vocabulary of Contract 2."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

import numpy as np
import polars as pl

from nextwatch.sequences.config import PrepareConfig
from nextwatch.sequences.dataset_files import SPLITS, Dataset
from nextwatch.sequences.leave_one_out import leave_one_out_samples
from nextwatch.sequences.seed_protocol import seed_samples
from nextwatch.sequences.temporal_protocol import temporal_samples
from nextwatch.sequences.vocabulary import Vocabulary
from nextwatch.sequences.windows import (
    ProtocolOutput,
    ViewerIndex,
    distinct_shows,
    viewer_index,
    window_lists,
)

__all__ = ["DATASET_FORMAT_VERSION", "inference_windows", "prepare_dataset"]

DATASET_FORMAT_VERSION: Final = 1

_PROTOCOLS: Final[dict[str, Callable[[pl.DataFrame, ViewerIndex, PrepareConfig], ProtocolOutput]]] = {
    "seed": seed_samples,
    "temporal": temporal_samples,
    "leave-one-out": leave_one_out_samples,
}

_TRAIN_PLAY_COLUMNS: Final[dict[str, pl.DataType]] = {
    "user_id": pl.Int32(),
    "show_id": pl.Int32(),
    "asset_type": pl.String(),
    "watch_minutes": pl.Int32(),
    "day_number": pl.Int32(),
}


def prepare_dataset(
    log: pl.DataFrame, config: PrepareConfig | None = None, ingest_report: Mapping[str, Any] | None = None
) -> Dataset:
    """The dataset of ``log`` (a clean log, Contract 1) under ``config``'s protocol.

    ``ingest_report`` is what ``ingest_report.json`` will hold (``load_log(...).report.to_dict()``); for a frame
    built in memory it may be left out. A log that is empty or not in clean-log order is an InvalidInputError;
    period lengths the log's days cannot hold are an InvalidOptionError.
    """
    config = config or PrepareConfig()
    viewers = viewer_index(log)
    output = _PROTOCOLS[config.protocol](log, viewers, config)
    vocabulary = Vocabulary.build(log["show_id"].unique().to_list(), log["asset_type"].drop_nulls().unique().to_list())
    train_plays = log.filter(pl.Series(output.train_rows)).select(
        pl.col(name).cast(dtype) for name, dtype in _TRAIN_PLAY_COLUMNS.items()
    )
    split_counts = dict(output.samples["split"].value_counts().iter_rows())
    info: dict[str, Any] = {
        "format_version": DATASET_FORMAT_VERSION,
        "protocol": config.protocol,
        "config": config.to_dict(),
        "training_stride": config.training_stride if config.protocol != "seed" else config.window + 1,
        "counts": {split: int(split_counts.get(split, 0)) for split in SPLITS},
        "viewers": len(viewers),
        "shows": vocabulary.num_shows,
        "asset_types": vocabulary.num_asset_types,
        "rows": log.height,
        "train_plays": train_plays.height,
        **output.info,
    }
    report = dict(ingest_report) if ingest_report is not None else {"source": "in-memory log", "kept_rows": log.height}
    return Dataset(
        samples=output.samples,
        inference=inference_windows(log, viewers, config.window),
        train_plays=train_plays,
        vocabulary=vocabulary,
        info=info,
        ingest_report=report,
    )


def inference_windows(log: pl.DataFrame, viewers: ViewerIndex, window: int) -> pl.DataFrame:
    """One row per viewer: the last ``window`` plays of the whole log, oldest first, and every show seen, ascending.

    before (user_id, show_id):  (1, 10), (1, 20), (1, 10), (2, 30)   with window 2
    after:                      (1, [20, 10], seen [10, 20]), (2, [30], seen [30])
    """
    starts = np.maximum(viewers.starts, viewers.ends - window)
    seen = distinct_shows("seen_show_ids", log, viewers, viewers.starts, viewers.ends)
    return pl.DataFrame(
        [
            pl.Series("user_id", viewers.user_ids, dtype=pl.Int32),
            *(series.alias(name) for name, series in window_lists(log, starts, viewers.ends).items()),
            seen,
        ]
    )
