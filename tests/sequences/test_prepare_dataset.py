"""prepare_dataset: inference windows, vocabulary, dataset.json, the file round trip, and bad logs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from nextwatch.errors import InvalidInputError
from nextwatch.sequences.config import PROTOCOLS, PrepareConfig
from nextwatch.sequences.dataset_files import read_dataset, write_dataset
from nextwatch.sequences.prepare import prepare_dataset
from nextwatch.sequences.windows import SAMPLE_SCHEMA

MakeLog = Callable[..., pl.DataFrame]

PLAYS = [(1, 10, 1), (1, 20, 2), (1, 10, 3), (2, 30, 9), (3, 40, 1), (3, 50, 5), (3, 40, 10)]


def test_inference_windows_and_seen_shows(make_log: MakeLog) -> None:
    """One inference row per viewer: its last `window` plays, oldest first, and its distinct shows ascending."""
    inference = prepare_dataset(make_log(PLAYS), PrepareConfig(window=2)).inference
    assert inference.select("user_id", "show_ids", "seen_show_ids").rows() == [
        (1, [20, 10], [10, 20]),
        (2, [30], [30]),
        (3, [50, 40], [40, 50]),
    ]


def test_vocabulary_holds_every_show_of_the_log(make_log: MakeLog) -> None:
    """Shows only in evaluation periods are in the vocabulary too; asset types likewise."""
    log = pl.concat([make_log(PLAYS), make_log([(9, 99, 10)], asset_type="CHANNEL")])
    vocabulary = prepare_dataset(log, PrepareConfig(protocol="temporal", val_days=1, test_days=1)).vocabulary
    assert vocabulary.show_ids == (10, 20, 30, 40, 50, 99)
    assert vocabulary.asset_types == ("CHANNEL", "VOD")


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_samples_follow_contract_2(make_log: MakeLog, protocol: str) -> None:
    """Every protocol writes the same sample columns and types, and dataset.json its shared fields."""
    config = PrepareConfig(protocol=protocol, val_days=1, test_days=1)
    dataset = prepare_dataset(make_log(PLAYS * 3), config)
    assert dict(dataset.samples.schema) == SAMPLE_SCHEMA
    info = dataset.info
    assert (info["protocol"], info["rows"], info["viewers"], info["shows"]) == (protocol, 21, 3, 5)
    assert sum(info["counts"].values()) == dataset.samples.height
    assert info["config"] == config.to_dict()


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_dataset_directory_round_trip(make_log: MakeLog, protocol: str, tmp_path: Path) -> None:
    """What write_dataset writes, read_dataset reads back unchanged."""
    dataset = prepare_dataset(make_log(PLAYS), PrepareConfig(protocol=protocol, val_days=1, test_days=1), {"x": 1})
    write_dataset(tmp_path / "data", dataset)
    back = read_dataset(tmp_path / "data")
    assert back.samples.equals(dataset.samples)
    assert back.inference.equals(dataset.inference)
    assert back.train_plays.equals(dataset.train_plays)
    assert back.vocabulary == dataset.vocabulary
    assert back.info == dataset.info
    assert back.ingest_report == {"x": 1}


def test_prepare_is_deterministic(make_log: MakeLog) -> None:
    """The same log and config give the same samples."""
    log = make_log([(u, u % 7, 1 + p % 20) for u in range(30) for p in range(50)])
    assert prepare_dataset(log).samples.equals(prepare_dataset(log).samples)


def test_unordered_log_is_rejected(make_log: MakeLog) -> None:
    """A log not in clean-log order is an InvalidInputError that says how to order it."""
    with pytest.raises(InvalidInputError, match="order_log"):
        prepare_dataset(make_log(PLAYS).reverse())


def test_empty_log_is_rejected(make_log: MakeLog) -> None:
    """An empty log is an InvalidInputError."""
    with pytest.raises(InvalidInputError, match="no plays"):
        prepare_dataset(make_log(PLAYS).clear())
