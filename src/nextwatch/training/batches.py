"""Training samples as pre-encoded tensors, cut into shuffled batches by index: no per-sample Python objects."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import polars as pl
import torch

from nextwatch.sequences.encoding import encode_windows
from nextwatch.sequences.vocabulary import PAD_INDEX, Vocabulary

__all__ = ["Batch", "TrainingTensors", "dense_targets", "shuffled_batches"]


@dataclass(frozen=True)
class Batch:
    """One batch of left-padded windows and the index of each window's next show."""

    show_index: torch.Tensor  # (batch, window) int64
    asset_index: torch.Tensor  # (batch, window) int64
    minutes: torch.Tensor  # (batch, window) float32, raw
    target_index: torch.Tensor  # (batch,) int64

    def __len__(self) -> int:
        return int(self.target_index.shape[0])


@dataclass(frozen=True)
class TrainingTensors:
    """Every training sample, encoded once: the whole split as four tensors."""

    show_index: torch.Tensor  # (samples, window) int64, left padded
    asset_index: torch.Tensor  # (samples, window) int64
    minutes: torch.Tensor  # (samples, window) float32
    target_index: torch.Tensor  # (samples,) int64

    def __len__(self) -> int:
        return int(self.target_index.shape[0])

    @classmethod
    def from_samples(cls, samples: pl.DataFrame, vocabulary: Vocabulary, window: int) -> TrainingTensors:
        windows = encode_windows(samples, vocabulary, window)
        return cls(
            show_index=torch.from_numpy(windows.show_index),
            asset_index=torch.from_numpy(windows.asset_index),
            minutes=torch.from_numpy(windows.minutes),
            target_index=torch.from_numpy(vocabulary.show_index(samples["target_show_id"].to_numpy())),
        )

    def batch(self, rows: torch.Tensor) -> Batch:
        # index_select, not tensor[rows]: on CPU advanced indexing of these 2-D tensors measured ~30 ms a batch,
        # index_select ~0.02 ms (bench/train.py's batch ms/step column).
        return Batch(
            self.show_index.index_select(0, rows),
            self.asset_index.index_select(0, rows),
            self.minutes.index_select(0, rows),
            self.target_index.index_select(0, rows),
        )


def shuffled_batches(tensors: TrainingTensors, batch_size: int, rng: np.random.Generator) -> Iterator[Batch]:
    """Batches over a fresh permutation drawn from ``rng``; the last batch may be smaller (nothing is dropped)."""
    order = torch.from_numpy(rng.permutation(len(tensors)))
    for start in range(0, len(order), batch_size):
        yield tensors.batch(order[start : start + batch_size])


def dense_targets(show_index: torch.Tensor, target_index: torch.Tensor) -> torch.Tensor:
    """The next show after every position: the window shifted left, then the sample's target; padding stays 0.

    Position ``t`` predicts the play at ``t + 1`` and the last position predicts the target. A padding position
    (input 0) gets target 0, which the loss ignores.

    >>> dense_targets(torch.tensor([[0, 0, 5, 7]]), torch.tensor([9])).tolist()
    [[0, 0, 7, 9]]
    """
    shifted = torch.cat([show_index[:, 1:], target_index.unsqueeze(1)], dim=1)  # (batch, window)
    return shifted.masked_fill(show_index == PAD_INDEX, PAD_INDEX)
