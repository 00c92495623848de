"""Sequences: vocabulary, protocols that cut a clean log into samples, and the dataset directory."""

from __future__ import annotations

from nextwatch.sequences.config import PROTOCOLS, PrepareConfig
from nextwatch.sequences.dataset_files import DATASET_FILES, SPLITS, Dataset, read_dataset, write_dataset
from nextwatch.sequences.prepare import prepare_dataset
from nextwatch.sequences.vocabulary import Vocabulary

__all__ = [
    "DATASET_FILES",
    "PROTOCOLS",
    "SPLITS",
    "Dataset",
    "PrepareConfig",
    "Vocabulary",
    "prepare_dataset",
    "read_dataset",
    "write_dataset",
]
