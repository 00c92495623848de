"""Protocol temporal: periods at the log's end, evaluation cases per viewer, nothing crosses into a later period."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nextwatch.errors import InvalidOptionError
from nextwatch.sequences.config import PrepareConfig
from nextwatch.sequences.prepare import prepare_dataset

MakeLog = Callable[..., pl.DataFrame]

# Days 1..12; with val_days 2 and test_days 2: train days 1..8, val 9..10, test 11..12. (user, show, day):
PLAYS = [
    (1, 10, 1), (1, 11, 2), (1, 10, 3), (1, 12, 5), (1, 13, 8),  # before validation
    (1, 10, 9), (1, 14, 10),  # validation period
    (1, 14, 11), (1, 15, 12),  # test period
    (2, 20, 11), (2, 21, 12), (2, 20, 12),  # new in the test period
    (3, 30, 2), (3, 31, 4),  # never plays in a period
    (4, 40, 9), (4, 40, 11), (4, 41, 11),  # new in the validation period
]  # fmt: skip
CONFIG = PrepareConfig(protocol="temporal", window=3, val_days=2, test_days=2)

COLUMNS = ("user_id", "target_show_id", "target_day", "show_ids", "new_show_ids", "seen_show_ids")


def rows(frame: pl.DataFrame) -> list[tuple[Any, ...]]:
    return list(frame.select(COLUMNS).iter_rows())


def test_temporal_validation_cases(make_log: MakeLog) -> None:
    """A validation case: last plays before the period, first play in it, new and seen shows."""
    val = prepare_dataset(make_log(PLAYS), CONFIG).split("val")
    assert rows(val) == [
        (1, 10, 9, [10, 12, 13], [14], [10, 11, 12, 13]),
        (4, 40, 9, [], [40], []),
    ]


def test_temporal_test_cases(make_log: MakeLog) -> None:
    """Test inputs may hold validation plays; a viewer new in the test period is a cold-start case."""
    test = prepare_dataset(make_log(PLAYS), CONFIG).split("test")
    assert rows(test) == [
        (1, 14, 11, [13, 10, 14], [15], [10, 11, 12, 13, 14]),
        (2, 20, 11, [], [20, 21], []),
        (4, 40, 11, [40], [41], [40]),
    ]


def test_temporal_training_windows(make_log: MakeLog) -> None:
    """Train targets step back from each viewer's last play before the validation period."""
    train = prepare_dataset(make_log(PLAYS), CONFIG).split("train")
    assert rows(train) == [(1, 13, 8, [11, 10, 12], None, None), (3, 31, 4, [30], None, None)]


def test_temporal_stride_overlaps_windows(make_log: MakeLog) -> None:
    """A stride of 1 makes every play before the validation period but the first a target."""
    config = PrepareConfig(protocol="temporal", window=3, val_days=2, test_days=2, stride=1)
    train = prepare_dataset(make_log(PLAYS), config).split("train")
    assert train.select("target_show_id", "show_ids").rows() == [
        (11, [10]),
        (10, [10, 11]),
        (12, [10, 11, 10]),
        (13, [11, 10, 12]),
        (31, [30]),
    ]


def test_temporal_info(make_log: MakeLog) -> None:
    """dataset.json holds the periods, the counts per split and the cold-start cases."""
    dataset = prepare_dataset(make_log(PLAYS), CONFIG)
    assert dataset.info["periods"] == {
        "train": {"first_day": 1, "last_day": 8},
        "val": {"first_day": 9, "last_day": 10},
        "test": {"first_day": 11, "last_day": 12},
    }
    assert dataset.info["counts"] == {"train": 2, "val": 2, "test": 3}
    assert dataset.info["cold_start_cases"] == {"val": 1, "test": 1}


def test_temporal_train_plays_stop_before_validation(make_log: MakeLog) -> None:
    """train_plays holds every play before the validation period and no later one."""
    train_plays = prepare_dataset(make_log(PLAYS), CONFIG).train_plays
    assert train_plays.select("user_id", "show_id", "day_number").rows() == [
        (user, show, day) for user, show, day in sorted(PLAYS, key=lambda p: p[0]) if day <= 8
    ]


def test_temporal_periods_longer_than_log_are_rejected(make_log: MakeLog) -> None:
    """Periods that leave no day to train on are an InvalidOptionError."""
    with pytest.raises(InvalidOptionError, match="no day to train on"):
        prepare_dataset(make_log(PLAYS), PrepareConfig(protocol="temporal", val_days=4, test_days=8))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 4), st.integers(1, 15)), min_size=1, max_size=60),
    st.integers(1, 3),
    st.integers(1, 3),
    st.integers(1, 6),
    st.integers(1, 6),
)
def test_temporal_never_crosses_into_a_later_period(
    make_log: MakeLog, draws: list[tuple[int, int]], val_days: int, test_days: int, window: int, stride: int
) -> None:
    """Every input play is before its sample's period, every target inside it, train targets before validation."""
    plays = [(user, index, day) for index, (user, day) in enumerate(draws)]  # show id = play index: traceable
    last_day, first_day = max(day for _, day in draws), min(day for _, day in draws)
    test_start = last_day - test_days + 1
    val_start = test_start - val_days
    config = PrepareConfig(protocol="temporal", window=window, val_days=val_days, test_days=test_days, stride=stride)
    if val_start <= first_day:
        with pytest.raises(InvalidOptionError):
            prepare_dataset(make_log(plays), config)
        return
    dataset = prepare_dataset(make_log(plays), config)
    day_of = {index: day for _, index, day in plays}
    period = {"train": (first_day, val_start), "val": (val_start, test_start), "test": (test_start, last_day + 1)}
    for split, target, shows in dataset.samples.select("split", "target_show_id", "show_ids").iter_rows():
        start, end = period[split]
        assert start <= day_of[target] < end
        assert all(day_of[show] < (start if split != "train" else val_start) for show in shows)
        assert len(shows) <= window
    assert all(day < val_start for day in dataset.train_plays["day_number"].to_list())
