"""order_log and load_log's order: by (user_id, day, time, playback_session_id), ties in input order."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nextwatch.errors import InvalidInputError
from nextwatch.ingest import ORDER_COLUMNS, load_log, order_log
from nextwatch.ingest.order import sort_log

LogWriter = Callable[..., Path]

# Hand-made log: rows are named by `mark`; c/d tie on every sort key, and so do e/f.
TIES: dict[str, list[Any]] = {
    "mark": ["a", "b", "c", "d", "e", "f", "g", "h"],
    "user_id": [2, 1, 1, 1, 1, 1, 2, 1],
    "playback_session_id": [7, 5, 9, 9, 3, 3, 1, 4],
    "show_id": [1, 2, 3, 4, 5, 6, 7, 8],
    "asset_type": ["VOD"] * 8,
    "episode_id": [1] * 8,
    "day": ["1", "10", "9", "9", "9", "9", "1", "9"],
    "time": ["08:00", "00:00", "7:30", "07:30", "07:30", "07:30", "08:00", "23:59"],
    "watch_minutes": [10, 20, 30, 40, 50, 60, 70, 80],
}
# user 1: day 9 07:30 (sessions 3 e, 3 f, 9 c, 9 d), day 9 23:59 h, day 10 b; user 2: day 1 08:00 (sessions 1 g, 7 a)
EXPECTED_MARKS = ["e", "f", "c", "d", "h", "b", "g", "a"]


def test_order_log_sorts_by_user_day_time_session_with_stable_ties() -> None:
    """Day sorts as a number ("9" before "10"), time as minutes, and equal keys keep their input order."""
    ordered = order_log(pl.DataFrame(TIES))
    assert ordered.get_column("mark").to_list() == EXPECTED_MARKS
    assert ordered.get_column("day_number").to_list() == [9, 9, 9, 9, 9, 10, 1, 1]
    assert ordered.get_column("minute_of_day").to_list() == [450, 450, 450, 450, 1439, 0, 480, 480]


def test_order_log_casts_to_schema_types_and_keeps_other_columns() -> None:
    """Int64 columns built in memory become Int32; extra columns follow the derived ones."""
    ordered = order_log(pl.DataFrame(TIES))
    assert ordered.schema["user_id"] == pl.Int32()
    assert ordered.schema["minute_of_day"] == pl.Int16()
    assert ordered.columns[-3:] == ["day_number", "minute_of_day", "mark"]


def test_order_log_refuses_an_unparseable_time() -> None:
    """A time that does not parse is named with its row."""
    rows = {**TIES, "time": [*TIES["time"][:3], "25:00", *TIES["time"][4:]]}
    with pytest.raises(InvalidInputError, match="row 3 of the frame has an invalid time '25:00'"):
        order_log(pl.DataFrame(rows))


def test_load_log_orders_the_file_with_stable_ties(write_log: LogWriter) -> None:
    """load_log gives the same order, ties kept in file order (told apart here by watch_minutes)."""
    rows = {name: values for name, values in TIES.items() if name != "mark"}
    loaded = load_log(write_log(rows))
    assert loaded.frame.get_column("watch_minutes").to_list() == [50, 60, 30, 40, 80, 20, 70, 10]
    assert loaded.frame.columns == [*rows, "day_number", "minute_of_day"]


keys_strategy = st.lists(
    st.tuples(
        st.sampled_from([1, 2, -(2**31), 2**31 - 1]),  # the extremes force the four-column fallback
        st.integers(1, 3),
        st.integers(0, 2),
        st.sampled_from([5, 6, 2**31 - 1]),
    ),
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(keys_strategy)
def test_sort_log_matches_a_stable_four_column_sort(keys: list[tuple[int, int, int, int]]) -> None:
    """Packed key or four-column fallback, sort_log orders exactly like Python's stable sort on the four keys."""
    frame = pl.DataFrame(
        [(*key, position) for position, key in enumerate(keys)],
        schema={**{name: pl.Int32() for name in ORDER_COLUMNS}, "position": pl.Int64()},
        orient="row",
    )
    expected = [position for position, _ in sorted(enumerate(keys), key=lambda item: item[1])]
    assert sort_log(frame).get_column("position").to_list() == expected
