"""encode_windows: left padding, truncation to the newest plays, index mapping."""

import numpy as np
import polars as pl

from nextwatch.sequences.encoding import encode_windows, left_pad
from nextwatch.sequences.vocabulary import Vocabulary


def test_left_pad_keeps_newest_values() -> None:
    """A row longer than the window keeps its last values; shorter rows are padded on the left."""
    offsets = np.array([0, 0, 1, 5])
    values = np.array([9, 1, 2, 3, 4])
    assert left_pad(offsets, values, 3, 0, np.int64).tolist() == [[0, 0, 0], [0, 0, 9], [2, 3, 4]]


def test_encode_windows_maps_every_column() -> None:
    """Shows, asset types and minutes are encoded in the same padded positions."""
    vocab = Vocabulary.build([10, 20, 30], ["CHANNEL", "VOD"])
    rows = pl.DataFrame(
        {
            "show_ids": [[30], [10, 20, 30]],
            "asset_types": [["VOD"], ["CHANNEL", "VOD", "LOOKBACK"]],
            "watch_minutes": [[45], [1, 2, 3]],
        }
    )
    encoded = encode_windows(rows, vocab, 2)
    assert encoded.show_index.tolist() == [[0, 3], [2, 3]]
    assert encoded.asset_index.tolist() == [[0, 2], [2, 0]]
    assert encoded.minutes.tolist() == [[0.0, 45.0], [2.0, 3.0]]
    assert encoded.lengths.tolist() == [1, 2]
