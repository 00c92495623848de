"""The importers' shared steps: time parsing, time order with stable ties, day and minute from the UTC time."""

from datetime import UTC, datetime
from pathlib import Path

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from nextwatch.importers.playlog import (
    MICROS_PER_SECOND,
    assemble_log,
    dense_ids,
    timestamps_to_micros,
)

# 1950..2100, so that multi-decade logs and pre-1970 (negative) times are both drawn.
SECONDS = st.integers(min_value=-631_152_000, max_value=4_102_444_800)


@given(st.lists(SECONDS, min_size=1, max_size=30))
def test_unix_seconds_iso_and_text_agree(seconds: list[int]) -> None:
    """The same instants as integers, as numeric text and as ISO-8601 text parse to the same microseconds."""
    expected = [s * MICROS_PER_SECOND for s in seconds]
    iso = [datetime.fromtimestamp(s, UTC).isoformat() for s in seconds]
    naive = [datetime.fromtimestamp(s, UTC).replace(tzinfo=None).isoformat() for s in seconds]
    assert timestamps_to_micros(pl.Series(seconds)).to_list() == expected
    assert timestamps_to_micros(pl.Series([str(s) for s in seconds])).to_list() == expected
    assert timestamps_to_micros(pl.Series(iso)).to_list() == expected
    assert timestamps_to_micros(pl.Series(naive)).to_list() == expected


@given(st.lists(st.tuples(st.integers(1, 4), st.integers(1, 5), SECONDS), min_size=1, max_size=40))
def test_log_is_time_ordered_with_stable_ties_and_real_days(rows: list[tuple[int, int, int]]) -> None:
    """Session ids follow (time, input row); day and minute are the UTC date and clock counted from day 1."""
    kept = pl.DataFrame(
        {
            "user_id": [r[0] for r in rows],
            "show_id": [r[1] for r in rows],
            "episode_id": [r[1] for r in rows],
            "asset_type": ["VOD"] * len(rows),
            "watch_minutes": [30] * len(rows),
            "time_us": [r[2] * MICROS_PER_SECOND for r in rows],
        },
        schema_overrides={"user_id": pl.Int32, "show_id": pl.Int32, "episode_id": pl.Int32, "watch_minutes": pl.Int32},
    )
    frame, report = assemble_log(kept, source=Path("x.csv"), input_rows=len(rows), dropped={})
    order = sorted(range(len(rows)), key=lambda i: (rows[i][2], i))
    assert frame["playback_session_id"].to_list() == list(range(1, len(rows) + 1))
    assert frame.select("user_id", "show_id").rows() == [(rows[i][0], rows[i][1]) for i in order]
    first_day = min(r[2] for r in rows) // 86_400
    expected_clock = [
        (str(rows[i][2] // 86_400 - first_day + 1), datetime.fromtimestamp(rows[i][2], UTC).strftime("%H:%M"))
        for i in order
    ]
    assert frame.select("day", "time").rows() == expected_clock
    assert report.days == max(r[2] for r in rows) // 86_400 - first_day + 1


@given(st.lists(st.text(alphabet="abcXY_", min_size=1, max_size=3), min_size=1, max_size=20))
def test_dense_ids_number_distinct_values_in_sorted_order(values: list[str]) -> None:
    """Ids 1..N follow the distinct values' sorted order, and every id maps back to its value."""
    ids, mapping = dense_ids(pl.Series(values, dtype=pl.String))
    assert mapping["original_id"].to_list() == sorted(set(values))
    assert mapping["id"].to_list() == list(range(1, len(set(values)) + 1))
    assert [mapping["original_id"][i - 1] for i in ids.to_list()] == values
