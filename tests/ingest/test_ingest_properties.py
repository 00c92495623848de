"""Property: for any mix of good, duplicate and bad rows, the lenient report accounts for every row exactly."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nextwatch.errors import InvalidInputError
from nextwatch.ingest import load_log
from nextwatch.schema import LOG_COLUMNS

# Each bad kind breaks one column of an otherwise good row: (reason, column, bad value).
BAD_KINDS: list[tuple[str, str, Any]] = [
    ("null_user_id", "user_id", None),
    ("null_show_id", "show_id", None),
    ("empty_asset_type", "asset_type", ""),
    ("null_episode_id", "episode_id", None),
    ("bad_day", "day", "0"),
    ("bad_day", "day", "x"),
    ("bad_time", "time", "24:00"),
    ("bad_time", "time", "7:5"),
    ("null_watch_minutes", "watch_minutes", None),
    ("negative_watch_minutes", "watch_minutes", -1),
]

# Few distinct good rows (64), so that duplicates are common.
good_rows = st.fixed_dictionaries(
    {
        "user_id": st.integers(1, 2),
        "playback_session_id": st.integers(1, 2),
        "show_id": st.just(7),
        "asset_type": st.sampled_from(["VOD", "OTHER"]),
        "episode_id": st.just(1),
        "day": st.sampled_from(["1", "10"]),
        "time": st.sampled_from(["7:05", "23:59"]),
        "watch_minutes": st.sampled_from([0, 2000]),
    }
)
rows = st.lists(st.tuples(good_rows, st.none() | st.integers(0, len(BAD_KINDS) - 1)), min_size=1, max_size=40)


@settings(max_examples=40, deadline=None)
@given(rows)
def test_counts_add_up_to_the_input_rows(mix: list[tuple[dict[str, Any], int | None]]) -> None:
    """kept + each reason + duplicates == total, each bad row under its reason, duplicates among good rows."""
    table: list[dict[str, Any]] = []
    expected_dropped: dict[str, int] = {}
    for row, bad in mix:
        if bad is not None:
            reason, column, value = BAD_KINDS[bad]
            row = {**row, column: value}
            expected_dropped[reason] = expected_dropped.get(reason, 0) + 1
        table.append(row)
    good = [tuple(row[name] for name in LOG_COLUMNS) for row, bad in mix if bad is None]
    frame = pl.DataFrame(table, schema=LOG_COLUMNS, orient="row")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "log.parquet"
        frame.write_parquet(path)
        if not good:
            with pytest.raises(InvalidInputError, match="nothing to learn from"):
                load_log(path)
            return
        loaded = load_log(path)
    report = loaded.report
    assert report.total_rows == len(mix)
    assert report.kept_rows + report.dropped_rows + report.duplicate_rows == report.total_rows
    assert {reason: count for reason, count in report.dropped.items() if count} == expected_dropped
    assert report.kept_rows == len(set(good))
    assert report.capped_watch_minutes == sum(1 for row in set(good) if row[-1] > 1440)
    assert loaded.frame.select(list(LOG_COLUMNS)).rows() == _expected_clean_rows(good)


def _expected_clean_rows(good: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The clean log by hand: first copies only, Python's stable sort on the contract's keys, minutes capped."""
    first_copies = list(dict.fromkeys(good))

    def key(row: tuple[Any, ...]) -> tuple[int, int, int, int]:
        hours, minutes = row[6].split(":")
        return (row[0], int(row[5]), int(hours) * 60 + int(minutes), row[1])

    return [(*row[:7], min(row[7], 1440)) for row in sorted(first_copies, key=key)]
