"""Protocol seed: the reference design's windows, exactly, and its seeded 70/10/20 split."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nextwatch.sequences.config import PrepareConfig
from nextwatch.sequences.prepare import prepare_dataset
from nextwatch.sequences.seed_protocol import seed_split

MakeLog = Callable[..., pl.DataFrame]


def one_viewer(make_log: MakeLog, plays: int) -> pl.DataFrame:
    """One viewer whose play at position p is show 1000 + p, 30 plays a day."""
    return make_log([(1, 1000 + p, 1 + p // 30) for p in range(plays)])


def positions(values: list[int]) -> list[int]:
    return [show - 1000 for show in values]


# plays -> (target position, first input position) of each training sample, oldest first; inputs run up to the
# target. Worked out by hand from: targets n-22, n-43, n-64, ... while >= 1, inputs up to 20 plays before each.
SEED_WINDOWS = {
    1: [],
    2: [],
    20: [],
    21: [],
    22: [],  # n-22 = 0 has no play before it
    23: [(1, 0)],
    42: [(20, 0)],
    43: [(21, 1)],
    44: [(1, 0), (22, 2)],
    64: [(21, 1), (42, 22)],
}

# plays -> first position of the inference window (the last min(n, 20) plays).
INFERENCE_START = {1: 0, 2: 0, 20: 0, 21: 1, 22: 2, 23: 3, 42: 22, 43: 23, 44: 24, 64: 44}


@pytest.mark.parametrize("plays", sorted(SEED_WINDOWS))
def test_seed_training_windows(make_log: MakeLog, plays: int) -> None:
    """Each viewer's targets and input ranges are exactly the reference design's."""
    samples = prepare_dataset(one_viewer(make_log, plays)).samples
    got = [(positions([t])[0], positions(s)) for t, s in samples.select("target_show_id", "show_ids").iter_rows()]
    assert got == [(target, list(range(first, target))) for target, first in SEED_WINDOWS[plays]]


@pytest.mark.parametrize("plays", sorted(INFERENCE_START))
def test_seed_inference_window(make_log: MakeLog, plays: int) -> None:
    """The inference window is the last min(n, 20) plays, first play included; a one-play viewer has one."""
    inference = prepare_dataset(one_viewer(make_log, plays)).inference
    assert positions(inference["show_ids"][0].to_list()) == list(range(INFERENCE_START[plays], plays))


def test_seed_windows_of_viewers_stay_apart(make_log: MakeLog) -> None:
    """In a log of several viewers each window holds one viewer's plays, with its minutes and asset types."""
    log = make_log([(7, 1, 1)] * 23 + [(9, 2, 1)] * 44)
    samples = prepare_dataset(log).samples.sort("user_id", "target_day")
    assert samples["user_id"].to_list() == [7, 9, 9]
    assert samples["watch_minutes"].to_list()[0] == [0]
    assert samples["watch_minutes"].to_list()[2] == list(range(23 + 2, 23 + 22))
    assert samples["asset_types"].to_list()[0] == ["VOD"]
    assert samples["new_show_ids"].null_count() == 3


@pytest.mark.parametrize(("count", "train", "val"), [(0, 0, 0), (1, 0, 0), (9, 6, 0), (10, 7, 1), (19, 13, 1)])
def test_split_counts_are_floored(count: int, train: int, val: int) -> None:
    """Train is floor(70 %) and val floor(10 %) of the samples; test takes the rest."""
    split = seed_split(count, 42)
    assert (split == "train").sum() == train
    assert (split == "val").sum() == val
    assert (split == "test").sum() == count - train - val


def test_split_is_deterministic_by_seed() -> None:
    """The same seed gives the same split; another seed another one."""
    assert seed_split(200, 42).equals(seed_split(200, 42))
    assert not seed_split(200, 42).equals(seed_split(200, 43))


def test_train_plays_are_the_train_windows(make_log: MakeLog) -> None:
    """train_plays holds exactly the inputs and targets of the train samples."""
    log = make_log([(u, 100 * u + p, 1) for u in range(1, 30) for p in range(44)])
    dataset = prepare_dataset(log)
    train = dataset.split("train")
    expected = sorted(m for row in train["watch_minutes"].to_list() for m in row)
    expected += [row[-1] + 1 for row in train["watch_minutes"].to_list()]  # the target follows its last input
    assert sorted(dataset.train_plays["watch_minutes"].to_list()) == sorted(expected)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=90), min_size=1, max_size=5), st.integers(1, 25))
def test_seed_windows_never_overlap(make_log: MakeLog, plays_per_viewer: list[int], window: int) -> None:
    """Inputs precede their target, a play is in at most one window, and no window reaches the inference plays."""
    plays = [(u, 0, 1) for u, n in enumerate(plays_per_viewer) for _ in range(n)]
    dataset = prepare_dataset(make_log(plays), PrepareConfig(window=window))
    used: set[int] = set()
    for minutes, user in dataset.samples.select("watch_minutes", "user_id").iter_rows():
        target = minutes[-1] + 1  # minutes are log rows: consecutive, then the target
        assert minutes == list(range(target - len(minutes), target))
        assert 1 <= len(minutes) <= window
        block = {*minutes, target}
        assert not block & used
        used |= block
        assert plays[target][0] == plays[minutes[0]][0] == user
    for minutes in dataset.inference["watch_minutes"].to_list():
        assert not set(minutes) & used
