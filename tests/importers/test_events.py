"""import_events: any user/item/time log, with item ids numbered 1..N and the maps kept."""

from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from nextwatch.errors import InvalidInputError
from nextwatch.importers import EventsConfig, import_events, write_import
from nextwatch.schema import LOG_COLUMNS


def _write(tmp_path: Path, text: str, name: str = "events.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _config(**overrides: object) -> EventsConfig:
    fields: dict[str, object] = {"user_col": "user", "item_col": "item", "time_col": "ts", **overrides}
    return EventsConfig(**fields)  # type: ignore[arg-type]


def test_string_ids_become_sorted_numbers_with_maps(tmp_path: Path) -> None:
    """String items and users get ids 1..N in sorted order, and the maps say which is which."""
    events = _write(
        tmp_path,
        "user,item,ts\nbob,news,2024-01-03T08:00:00\nalice,news,2024-01-01T20:15:00Z\nalice,drama,2024-01-02T09:30:00Z\n",
    )
    result = import_events(events, _config())
    expected = pl.DataFrame(
        [
            (1, 1, 2, "VOD", 2, "1", "20:15", 30),
            (1, 2, 1, "VOD", 1, "2", "09:30", 30),
            (2, 3, 2, "VOD", 2, "3", "08:00", 30),
        ],
        schema=LOG_COLUMNS,
        orient="row",
    )
    assert_frame_equal(result.frame, expected)
    assert result.item_ids is not None and result.user_ids is not None
    assert result.item_ids.rows() == [("drama", 1), ("news", 2)]
    assert result.user_ids.rows() == [("alice", 1), ("bob", 2)]


def test_integer_items_numbered_in_numeric_order_and_integer_users_kept(tmp_path: Path) -> None:
    """Integer items are numbered in numeric order (9 < 20 < 100); integer users keep their ids."""
    events = _write(tmp_path, "user,item,ts\n7,100,3\n7,9,1\n42,20,2\n")
    result = import_events(events, _config())
    assert result.user_ids is None
    assert result.item_ids is not None
    assert result.item_ids.rows() == [(9, 1), (20, 2), (100, 3)]
    assert result.frame.select("user_id", "show_id").rows() == [(7, 1), (42, 2), (7, 3)]


def test_iso_and_unix_times_in_one_column(tmp_path: Path) -> None:
    """Unix seconds, naive ISO (UTC) and ISO with an offset all land on the right UTC day and minute."""
    events = _write(
        tmp_path,
        "user,item,ts\n"
        "1,a,1704067200\n"  # 2024-01-01T00:00:00Z
        "1,b,2024-01-01T10:30:59\n"  # naive: UTC
        "1,c,2024-01-02T01:00:00+02:00\n"  # 2024-01-01T23:00Z
        "1,d,2024-01-02 06:07\n"  # space separator, no seconds
        "1,e,1704240000.9\n",  # 2024-01-03T00:00:00.9Z
    )
    frame = import_events(events, _config()).frame
    assert frame.select("day", "time").rows() == [
        ("1", "00:00"),
        ("1", "10:30"),
        ("1", "23:00"),
        ("2", "06:07"),
        ("3", "00:00"),
    ]


def test_ties_in_time_keep_input_order(tmp_path: Path) -> None:
    """Plays at the same instant get playback session ids in input order."""
    events = _write(tmp_path, "user,item,ts\n1,c,50\n1,a,50\n2,b,10\n1,b,50\n")
    frame = import_events(events, _config()).frame
    # items: a=1, b=2, c=3; order: (2,b,10), then the three ties at 50 as given.
    assert frame.select("playback_session_id", "user_id", "show_id").rows() == [
        (1, 2, 2),
        (2, 1, 3),
        (3, 1, 1),
        (4, 1, 2),
    ]


def test_missing_values_and_bad_times_are_counted(tmp_path: Path) -> None:
    """Missing users, items, times and unparsable times are dropped and counted; counts add up to the input."""
    events = _write(
        tmp_path,
        "user,item,ts\n"
        "u1,a,2024-01-01T00:00:00Z\n"
        ",a,2024-01-01T00:00:00Z\n"
        "u2, ,2024-01-01T00:00:00Z\n"
        "u2,a,\n"
        "u2,a,2024-13-01T00:00:00Z\n"
        "u2,a,yesterday\n"
        "u3,b,1e99\n",
    )
    report = import_events(events, _config()).report
    assert report.dropped == {"missing_user": 1, "missing_item": 1, "missing_time": 1, "bad_time": 3}
    assert report.output_rows == 1
    assert report.output_rows + sum(report.dropped.values()) == report.input_rows == 7


def test_strict_bad_time_names_file_row_column_and_value(tmp_path: Path) -> None:
    """With strict, a bad timestamp is an error naming the file, the row, the column and the value."""
    events = _write(tmp_path, "user,item,ts\nu1,a,10\nu1,b,2024-13-01\n")
    with pytest.raises(InvalidInputError) as caught:
        import_events(events, _config(strict=True))
    message = str(caught.value)
    assert f"{events} data row 2" in message
    assert "column 'ts'" in message
    assert "'2024-13-01' is not a time" in message


def test_strict_missing_user_names_the_column(tmp_path: Path) -> None:
    """With strict, a missing user is an error that says the value is missing in that column."""
    events = _write(tmp_path, "user,item,ts\n,a,10\n")
    with pytest.raises(InvalidInputError, match=r"data row 1 .*column 'user': the value is missing"):
        import_events(events, _config(strict=True))


def test_multi_year_iso_log_has_days_in_the_thousands(tmp_path: Path) -> None:
    """A log from 2015-03-01 to 2024-03-01 ends on day 3289 (9 * 365 + 3 leap days = 3288 days later)."""
    events = _write(tmp_path, "user,item,ts\n1,a,2015-03-01T12:00:00Z\n1,b,2024-03-01T12:00:00Z\n")
    result = import_events(events, _config())
    assert result.frame["day"].to_list() == ["1", "3289"]
    assert result.report.days == 3289
    assert result.report.first_date == "2015-03-01"


def test_duration_in_seconds_rounds_to_minutes(tmp_path: Path) -> None:
    """Durations in seconds become whole minutes, half a minute rounding up; a negative one is dropped."""
    events = _write(tmp_path, "user,item,ts,secs\n1,a,1,89\n1,a,2,90\n1,a,3,3600\n1,a,4,-5\n1,a,5,long\n")
    result = import_events(events, _config(duration_col="secs"))
    assert result.frame["watch_minutes"].to_list() == [1, 2, 60]
    assert result.report.dropped == {"bad_duration": 2}


def test_duration_in_minutes_is_kept(tmp_path: Path) -> None:
    """Durations in minutes are rounded to whole minutes."""
    events = _write(tmp_path, "user,item,ts,mins\n1,a,1,42\n1,a,2,2.5\n")
    result = import_events(events, _config(duration_col="mins", duration_unit="minutes"))
    assert result.frame["watch_minutes"].to_list() == [42, 3]


def test_type_column_becomes_asset_type(tmp_path: Path) -> None:
    """The type column becomes asset_type as written; a row without a type is dropped and counted."""
    events = _write(tmp_path, "user,item,ts,kind\n1,a,1,RECORDING\n1,a,2,CHANNEL\n1,a,3,\n")
    result = import_events(events, _config(type_col="kind"))
    assert result.frame["asset_type"].to_list() == ["RECORDING", "CHANNEL"]
    assert result.report.dropped == {"missing_type": 1}


def test_parquet_with_datetime_column(tmp_path: Path) -> None:
    """A parquet log with integer users and a datetime column (naive = UTC) imports like the CSV."""
    path = tmp_path / "events.parquet"
    pl.DataFrame(
        {
            "user": [5, 6],
            "item": ["x", "y"],
            "ts": [datetime(2024, 5, 1, 23, 59, 30), datetime(2024, 5, 2, 0, 0)],
            "zoned": [datetime(2024, 5, 1, 23, 0, tzinfo=UTC), datetime(2024, 5, 2, 0, 0, tzinfo=UTC)],
        }
    ).write_parquet(path)
    frame = import_events(path, _config()).frame
    assert frame.select("user_id", "show_id", "day", "time").rows() == [(5, 1, "1", "23:59"), (6, 2, "2", "00:00")]
    zoned = import_events(path, _config(time_col="zoned")).frame
    assert zoned.select("day", "time").rows() == [("1", "23:00"), ("2", "00:00")]


def test_users_that_overflow_int32_are_numbered(tmp_path: Path) -> None:
    """Integer users too large for int32 are numbered 1..N, with a map."""
    events = _write(tmp_path, "user,item,ts\n9000000000,a,1\n12,a,2\n")
    result = import_events(events, _config())
    assert result.user_ids is not None
    assert result.user_ids.rows() == [(12, 1), (9_000_000_000, 2)]
    assert result.frame["user_id"].to_list() == [2, 1]


def test_write_import_puts_maps_beside_the_log(tmp_path: Path) -> None:
    """The log is written with its item and user maps as <stem>.item_ids.parquet and <stem>.user_ids.parquet."""
    events = _write(tmp_path, "user,item,ts\nbob,news,1\nalice,drama,2\n")
    out = tmp_path / "out" / "playback_sessions.parquet"
    written = write_import(import_events(events, _config()), out)
    items = out.with_name("playback_sessions.item_ids.parquet")
    users = out.with_name("playback_sessions.user_ids.parquet")
    assert written == [items, users, out]
    assert pl.read_parquet(items).rows(named=True) == [
        {"original_id": "drama", "show_id": 1},
        {"original_id": "news", "show_id": 2},
    ]
    assert pl.read_parquet(users).columns == ["original_id", "user_id"]
    assert pl.read_parquet(out).schema == pl.Schema(LOG_COLUMNS)


def test_unknown_column_names_the_file_columns(tmp_path: Path) -> None:
    """A --time column the file lacks is an error listing the file's columns."""
    events = _write(tmp_path, "user,item,when\n1,a,1\n")
    with pytest.raises(InvalidInputError, match="has no column 'ts' \\(it has 'user', 'item', 'when'\\)"):
        import_events(events, _config())


def test_unknown_file_type_and_missing_file_are_errors(tmp_path: Path) -> None:
    """A file that is neither CSV nor parquet, or that does not exist, is a clear error."""
    with pytest.raises(InvalidInputError, match=r"neither \.csv"):
        import_events(_write(tmp_path, "x", "events.json"), _config())
    with pytest.raises(InvalidInputError, match="does not exist"):
        import_events(tmp_path / "nope.csv", _config())


def test_header_only_file_is_an_error(tmp_path: Path) -> None:
    """A CSV with a header and no rows is an error saying it has no data rows."""
    with pytest.raises(InvalidInputError, match="has a header but no data rows"):
        import_events(_write(tmp_path, "user,item,ts\n"), _config())


def test_directory_as_input_is_an_error(tmp_path: Path) -> None:
    """A directory given as the input file is an error saying so."""
    with pytest.raises(InvalidInputError, match="is a directory"):
        import_events(tmp_path, _config())


def test_strict_bad_duration_names_the_unit(tmp_path: Path) -> None:
    """With strict, a negative duration is an error that says which unit is expected."""
    events = _write(tmp_path, "user,item,ts,secs\n1,a,1,-3\n")
    with pytest.raises(InvalidInputError, match=r"column 'secs': '-3' is not a duration: a number of seconds"):
        import_events(events, _config(duration_col="secs", strict=True))
