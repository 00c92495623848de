"""Turn list columns of raw ids into left-padded index matrices for the models.

Left padding (index 0 before the oldest play) keeps the newest play at ``[:, -1]`` for every row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl
import pyarrow as pa

from nextwatch.sequences.vocabulary import PAD_INDEX, Vocabulary

__all__ = ["EncodedWindows", "encode_windows", "left_pad", "list_column_parts"]


@dataclass(frozen=True)
class EncodedWindows:
    """Input windows as index matrices, ``(rows, window)``, left padded with 0; minutes are raw (unscaled)."""

    show_index: npt.NDArray[np.int64]
    asset_index: npt.NDArray[np.int64]
    minutes: npt.NDArray[np.float32]
    lengths: npt.NDArray[np.int64]

    def __len__(self) -> int:
        return int(self.show_index.shape[0])


def list_column_parts(column: pl.Series) -> tuple[npt.NDArray[np.int64], pl.Series]:
    """Offsets ``(rows + 1,)`` and the flat values of a list column (nulls are empty lists)."""
    array = column.fill_null([]).to_arrow()
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if isinstance(array, pa.LargeListArray | pa.ListArray):
        offsets = np.asarray(array.offsets, dtype=np.int64)
        offsets = offsets - offsets[0]
        values = pl.Series(column.name, array.flatten())
        return offsets, values
    raise TypeError(f"column {column.name} is not a list column")


def left_pad(
    offsets: npt.NDArray[np.int64], values: npt.NDArray[Any], window: int, fill: Any, dtype: Any
) -> npt.NDArray[Any]:
    """Rows of a flat list as a ``(rows, window)`` matrix: the last ``window`` values of each, left padded.

    >>> left_pad(np.array([0, 2, 5]), np.array([1, 2, 3, 4, 5]), 3, 0, np.int64).tolist()
    [[0, 1, 2], [3, 4, 5]]
    """
    lengths = np.diff(offsets)
    keep = np.minimum(lengths, window)
    out = np.full((len(lengths), window), fill, dtype=dtype)
    total = int(keep.sum())
    if total == 0:
        return out
    row = np.repeat(np.arange(len(lengths)), keep)
    within = np.arange(total) - np.repeat(np.cumsum(keep) - keep, keep)
    column = window - np.repeat(keep, keep) + within
    source = np.repeat(offsets[1:] - keep, keep) + within
    out[row, column] = np.asarray(values)[source]
    return out


def encode_windows(frame: pl.DataFrame, vocabulary: Vocabulary, window: int) -> EncodedWindows:
    """Encode the ``show_ids``, ``asset_types`` and ``watch_minutes`` list columns of ``frame``.

    Rows longer than ``window`` keep their newest ``window`` plays. Unknown asset types map to padding.

    >>> vocab = Vocabulary.build([10, 20], ["VOD"])
    >>> rows = pl.DataFrame({"show_ids": [[20, 10]], "asset_types": [["VOD", "VOD"]], "watch_minutes": [[5, 7]]})
    >>> encode_windows(rows, vocab, 3).show_index.tolist()
    [[0, 2, 1]]
    """
    offsets, show_values = list_column_parts(frame["show_ids"])
    _, asset_values = list_column_parts(frame["asset_types"])
    _, minute_values = list_column_parts(frame["watch_minutes"])
    show_index = vocabulary.show_index(show_values.to_numpy())
    asset_lookup = {name: i + 1 for i, name in enumerate(vocabulary.asset_types)}
    asset_index = (
        asset_values.cast(pl.String).replace_strict(asset_lookup, default=PAD_INDEX, return_dtype=pl.Int64).to_numpy()
    )
    minutes = minute_values.cast(pl.Float32).to_numpy()
    return EncodedWindows(
        show_index=left_pad(offsets, show_index, window, PAD_INDEX, np.int64),
        asset_index=left_pad(offsets, asset_index, window, PAD_INDEX, np.int64),
        minutes=left_pad(offsets, minutes, window, 0.0, np.float32),
        lengths=np.minimum(np.diff(offsets), window),
    )
