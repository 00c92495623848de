"""Protocol leave-one-out: last play tests, the one before validates, the rest trains; short viewers counted."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from nextwatch.sequences.config import PrepareConfig
from nextwatch.sequences.prepare import prepare_dataset

MakeLog = Callable[..., pl.DataFrame]

# (user, show, day): viewer 1 has 5 plays, viewer 2 two, viewer 3 one.
PLAYS = [(1, 1, 1), (1, 2, 2), (1, 1, 3), (1, 3, 4), (1, 2, 5), (2, 7, 1), (2, 8, 2), (3, 9, 1)]
CONFIG = PrepareConfig(protocol="leave-one-out", window=2)
COLUMNS = ("user_id", "target_show_id", "target_day", "show_ids", "new_show_ids", "seen_show_ids")


def test_leave_one_out_test_case(make_log: MakeLog) -> None:
    """The test case is the last play; a show played before is no new show."""
    test = prepare_dataset(make_log(PLAYS), CONFIG).split("test")
    assert test.select(COLUMNS).rows() == [(1, 2, 5, [1, 3], [], [1, 2, 3])]


def test_leave_one_out_validation_case(make_log: MakeLog) -> None:
    """The validation case is the play before the last; its show was never played before, so it is new."""
    val = prepare_dataset(make_log(PLAYS), CONFIG).split("val")
    assert val.select(COLUMNS).rows() == [(1, 3, 4, [2, 1], [3], [1, 2])]


def test_leave_one_out_training_windows(make_log: MakeLog) -> None:
    """Train targets step back from the third-last play; a too-short viewer trains on all its plays."""
    train = prepare_dataset(make_log(PLAYS), CONFIG).split("train")
    assert train.select(COLUMNS).rows() == [(1, 1, 3, [1, 2], None, None), (2, 8, 2, [7], None, None)]


def test_leave_one_out_reports_short_viewers(make_log: MakeLog) -> None:
    """Viewers with fewer than 3 plays are counted and get no evaluation case."""
    dataset = prepare_dataset(make_log(PLAYS), CONFIG)
    assert dataset.info["too_short_viewers"] == 2
    assert dataset.info["counts"] == {"train": 2, "val": 1, "test": 1}


def test_leave_one_out_train_plays_drop_last_two(make_log: MakeLog) -> None:
    """train_plays holds every play but each evaluated viewer's last two."""
    train_plays = prepare_dataset(make_log(PLAYS), CONFIG).train_plays
    assert train_plays.select("user_id", "show_id").rows() == [(1, 1), (1, 2), (1, 1), (2, 7), (2, 8), (3, 9)]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 30), min_size=1, max_size=6), st.integers(1, 5), st.integers(1, 4))
def test_leave_one_out_cases_are_each_viewers_last_plays(
    make_log: MakeLog, plays_per_viewer: list[int], window: int, stride: int
) -> None:
    """Each viewer with n >= 3 plays has its test target at n - 1 and validation target at n - 2, inputs before."""
    plays = [(user, 0, 1) for user, n in enumerate(plays_per_viewer) for _ in range(n)]
    config = PrepareConfig(protocol="leave-one-out", window=window, stride=stride)
    samples = prepare_dataset(make_log(plays), config).samples
    ends = {user: sum(plays_per_viewer[: user + 1]) for user in range(len(plays_per_viewer))}
    for split, offset in (("test", 1), ("val", 2)):
        cases = samples.filter(pl.col("split") == split)
        assert cases["user_id"].to_list() == [u for u, n in enumerate(plays_per_viewer) if n >= 3]
        for user, minutes in cases.select("user_id", "watch_minutes").iter_rows():
            target = ends[user] - offset
            assert minutes == list(range(max(target - window, ends[user] - plays_per_viewer[user]), target))
    for user, minutes in samples.filter(pl.col("split") == "train").select("user_id", "watch_minutes").rows():
        last_allowed = ends[user] - (3 if plays_per_viewer[user] >= 3 else 1)
        assert minutes[-1] + 1 <= last_allowed
