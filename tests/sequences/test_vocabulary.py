"""Vocabulary: sorted ids, index 0 for padding, clear errors for unknown shows."""

from pathlib import Path

import numpy as np
import pytest

from nextwatch.errors import InvalidInputError, UnknownShowError
from nextwatch.sequences.vocabulary import Vocabulary


def test_indices_follow_sorted_order_from_one() -> None:
    """The smallest show id gets index 1; padding keeps 0."""
    vocab = Vocabulary.build([7, 3, 5, 3], ["VOD", "CHANNEL", "VOD"])
    assert vocab.show_index([3, 5, 7]).tolist() == [1, 2, 3]
    assert vocab.asset_index(["CHANNEL", "VOD", "NEW"]).tolist() == [1, 2, 0]
    assert vocab.show_id_of(np.array([3, 1])).tolist() == [7, 3]


def test_unknown_show_is_named() -> None:
    """A show id outside the vocabulary raises an error naming it."""
    with pytest.raises(UnknownShowError, match=r"\[4\]"):
        Vocabulary.build([3, 5], ["VOD"]).show_index([3, 4])


def test_round_trip_through_json(tmp_path: Path) -> None:
    """Written and read back, a vocabulary is equal to itself."""
    vocab = Vocabulary.build([2, 1], ["VOD"])
    vocab.write(tmp_path / "vocabulary.json")
    assert Vocabulary.read(tmp_path / "vocabulary.json") == vocab


def test_other_format_version_is_refused() -> None:
    """A vocabulary of another format version is an InvalidInputError."""
    with pytest.raises(InvalidInputError, match="format_version"):
        Vocabulary.from_dict({"format_version": 99, "show_ids": [1], "asset_types": []})
