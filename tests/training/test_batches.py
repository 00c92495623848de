"""Batches: dense targets on hand-made windows, and shuffled batches that cover every sample once."""

import numpy as np
import torch

from nextwatch.sequences.dataset_files import Dataset
from nextwatch.training.batches import TrainingTensors, dense_targets, shuffled_batches


def test_dense_targets_shift_left_and_ignore_padding() -> None:
    """Each position's target is the next play, the last position's is the sample target; padding gets 0."""
    show_index = torch.tensor([[0, 0, 3, 5], [2, 4, 6, 8], [0, 0, 0, 7]])
    target_index = torch.tensor([9, 1, 2])
    assert dense_targets(show_index, target_index).tolist() == [[0, 0, 5, 9], [4, 6, 8, 1], [0, 0, 0, 2]]


def test_training_tensors_encode_windows_and_targets(tiny_dataset: Dataset) -> None:
    """Train samples become left-padded index matrices and target indices."""
    tensors = TrainingTensors.from_samples(tiny_dataset.split("train").head(2), tiny_dataset.vocabulary, 3)
    # Viewer 1 starts at show 200 (index 2): windows [200] -> 300 and [200, 300] -> 400.
    assert tensors.show_index.tolist() == [[0, 0, 2], [0, 2, 3]]
    assert tensors.target_index.tolist() == [3, 4]
    assert tensors.minutes.dtype == torch.float32


def test_shuffled_batches_cover_every_sample_once(tiny_dataset: Dataset) -> None:
    """One epoch of batches holds every sample exactly once; the last batch is the remainder."""
    tensors = TrainingTensors.from_samples(tiny_dataset.split("train"), tiny_dataset.vocabulary, 3)
    batches = list(shuffled_batches(tensors, 7, np.random.default_rng(0)))
    assert [len(b) for b in batches] == [7] * (len(tensors) // 7) + [len(tensors) % 7]
    rows = sorted(
        (tuple(s), t) for b in batches for s, t in zip(b.show_index.tolist(), b.target_index.tolist(), strict=True)
    )
    assert rows == sorted(
        (tuple(s), t) for s, t in zip(tensors.show_index.tolist(), tensors.target_index.tolist(), strict=True)
    )


def test_shuffle_order_follows_the_seed(tiny_dataset: Dataset) -> None:
    """The same seed gives the same batch order; another seed gives another."""
    tensors = TrainingTensors.from_samples(tiny_dataset.split("train"), tiny_dataset.vocabulary, 3)

    def order(seed: int) -> list[int]:
        return [t for b in shuffled_batches(tensors, 16, np.random.default_rng(seed)) for t in b.target_index.tolist()]

    assert order(1) == order(1)
    assert order(1) != order(2)
