"""load_log: every row is judged, counted and either kept (typed, capped) or dropped for a named reason."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from nextwatch.errors import InvalidInputError
from nextwatch.ingest import DROP_REASONS, IngestConfig, load_log
from nextwatch.schema import LOG_COLUMNS

LogRows = Callable[[int], dict[str, list[Any]]]
LogWriter = Callable[..., Path]


def _with(rows: dict[str, list[Any]], column: str, index: int, value: Any) -> dict[str, list[Any]]:
    changed = {name: list(values) for name, values in rows.items()}
    changed[column][index] = value
    return changed


def _nonzero(dropped: dict[str, int] | Any) -> dict[str, int]:
    return {reason: count for reason, count in dropped.items() if count}


def test_valid_log_keeps_every_row_in_schema_types(write_log: LogWriter, log_rows: LogRows) -> None:
    """A valid log keeps all rows, in the schema's types, with day_number and minute_of_day derived."""
    loaded = load_log(write_log(log_rows(3)))
    assert loaded.frame.schema == pl.Schema({**LOG_COLUMNS, "day_number": pl.Int32(), "minute_of_day": pl.Int16()})
    assert loaded.frame.get_column("minute_of_day").to_list() == [480, 481, 482]
    assert loaded.frame.get_column("day_number").to_list() == [1, 1, 1]
    report = loaded.report
    assert (report.total_rows, report.kept_rows, report.dropped_rows, report.duplicate_rows) == (3, 3, 0, 0)
    assert tuple(report.dropped) == DROP_REASONS


def test_int64_ids_that_fit_int32_are_accepted(write_log: LogWriter, log_rows: LogRows) -> None:
    """Int64 id and minute columns whose values fit int32 load and are cast to Int32."""
    rows = _with(log_rows(2), "user_id", 1, 2**31 - 1)
    wide = {name: pl.Int64() for name in ("user_id", "playback_session_id", "show_id", "episode_id", "watch_minutes")}
    loaded = load_log(write_log(rows, dtypes=wide))
    assert loaded.frame.get_column("user_id").to_list() == [1, 2**31 - 1]
    assert loaded.frame.schema["user_id"] == pl.Int32()
    assert loaded.report.kept_rows == 2


@pytest.mark.parametrize(("dtype", "value"), [(pl.Int64(), 2**31), (pl.Int64(), -(2**31) - 1), (pl.UInt64(), 2**40)])
def test_id_outside_int32_is_an_invalid_row(
    write_log: LogWriter, log_rows: LogRows, dtype: pl.DataType, value: int
) -> None:
    """An id that does not fit int32 drops its row as <column>_out_of_range."""
    rows = _with(log_rows(3), "show_id", 1, value)
    report = load_log(write_log(rows, dtypes={"show_id": dtype})).report
    assert _nonzero(report.dropped) == {"show_id_out_of_range": 1}
    assert report.kept_rows == 2


@pytest.mark.parametrize(("dtype", "found"), [(pl.Float64(), "Float64"), (pl.String(), "String")])
def test_non_integer_id_column_is_a_type_error(
    write_log: LogWriter, log_rows: LogRows, dtype: pl.DataType, found: str
) -> None:
    """A float or string id column is refused, naming the column and the type found."""
    rows = log_rows(2)
    rows["user_id"] = [1.0, 2.0] if dtype == pl.Float64() else ["1", "2"]
    with pytest.raises(InvalidInputError, match=rf"user_id is {found} \(expected an integer type"):
        load_log(write_log(rows, dtypes={"user_id": dtype}))


def test_integer_day_column_is_a_type_error(write_log: LogWriter, log_rows: LogRows) -> None:
    """A day column stored as integers is refused: the schema says String."""
    rows = log_rows(2)
    rows["day"] = [1, 2]
    with pytest.raises(InvalidInputError, match=r"day is Int64 \(expected String\)"):
        load_log(write_log(rows, dtypes={"day": pl.Int64()}))


def test_missing_columns_are_all_named(write_log: LogWriter, log_rows: LogRows) -> None:
    """Every missing log column is named in one error."""
    rows = log_rows(2)
    del rows["time"], rows["show_id"]
    with pytest.raises(InvalidInputError, match=r"lacks the column\(s\) show_id, time:"):
        load_log(write_log(rows))


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("user_id", None, "null_user_id"),
        ("playback_session_id", None, "null_playback_session_id"),
        ("show_id", None, "null_show_id"),
        ("episode_id", None, "null_episode_id"),
        ("asset_type", None, "empty_asset_type"),
        ("asset_type", "", "empty_asset_type"),
        ("asset_type", "  ", "empty_asset_type"),
        ("day", None, "bad_day"),
        ("time", None, "bad_time"),
        ("watch_minutes", None, "null_watch_minutes"),
        ("watch_minutes", -1, "negative_watch_minutes"),
    ],
)
def test_bad_value_drops_its_row_under_its_reason(
    write_log: LogWriter, log_rows: LogRows, column: str, value: Any, reason: str
) -> None:
    """One bad value drops exactly its row, counted under its reason; the other rows are kept."""
    report = load_log(write_log(_with(log_rows(4), column, 2, value))).report
    assert _nonzero(report.dropped) == {reason: 1}
    assert report.kept_rows == 3


@pytest.mark.parametrize(("day", "number"), [("1", 1), ("30", 30), ("1000", 1000), ("01", 1), ("999999999", 999999999)])
def test_positive_integer_days_are_accepted(write_log: LogWriter, log_rows: LogRows, day: str, number: int) -> None:
    """A day of 1 to 9 ASCII digits worth at least 1 is kept with its number."""
    loaded = load_log(write_log(_with(log_rows(1), "day", 0, day)))
    assert loaded.frame.get_column("day_number").to_list() == [number]


@pytest.mark.parametrize("day", ["0", "00", "-1", "+1", "x", "1.5", "", " 1", "1 ", "1e3", "١", "1234567890"])
def test_other_days_are_bad(write_log: LogWriter, log_rows: LogRows, day: str) -> None:
    """A day that is not a positive integer of 1 to 9 ASCII digits is dropped as bad_day."""
    report = load_log(write_log(_with(log_rows(2), "day", 0, day))).report
    assert _nonzero(report.dropped) == {"bad_day": 1}


@pytest.mark.parametrize(
    ("time", "minute"), [("00:00", 0), ("07:05", 425), ("7:05", 425), ("23:59", 1439), ("12:00", 720)]
)
def test_hh_mm_times_are_accepted(write_log: LogWriter, log_rows: LogRows, time: str, minute: int) -> None:
    """A time "hh:mm" (or "h:mm") within 00:00-23:59 gives minute_of_day hh * 60 + mm."""
    loaded = load_log(write_log(_with(log_rows(1), "time", 0, time)))
    assert loaded.frame.get_column("minute_of_day").to_list() == [minute]


@pytest.mark.parametrize("time", ["24:00", "12:60", "7:5", "07:05:00", "0705", "", "ab:cd", " 07:05", "-1:00"])
def test_other_times_are_bad(write_log: LogWriter, log_rows: LogRows, time: str) -> None:
    """A time outside "hh:mm" 00:00-23:59 is dropped as bad_time."""
    report = load_log(write_log(_with(log_rows(2), "time", 0, time))).report
    assert _nonzero(report.dropped) == {"bad_time": 1}


def test_row_with_several_problems_counts_once_under_the_first_reason(write_log: LogWriter, log_rows: LogRows) -> None:
    """A row with a null show_id, a bad time and negative minutes counts once, as null_show_id."""
    rows = _with(_with(_with(log_rows(3), "show_id", 0, None), "time", 0, "99:99"), "watch_minutes", 0, -5)
    report = load_log(write_log(rows)).report
    assert _nonzero(report.dropped) == {"null_show_id": 1}
    assert report.kept_rows == 2


def test_exact_duplicates_are_dropped_and_counted(write_log: LogWriter, log_rows: LogRows) -> None:
    """Exact copies of a row are dropped and counted; a row differing in one column is kept."""
    rows = log_rows(2)
    for name in rows:
        rows[name] += [rows[name][0], rows[name][0], rows[name][1]]
    rows["watch_minutes"][4] = 31  # row 4 differs from row 1 only in its minutes
    loaded = load_log(write_log(rows))
    assert (loaded.report.kept_rows, loaded.report.duplicate_rows) == (3, 2)
    assert loaded.frame.get_column("watch_minutes").to_list() == [30, 30, 31]


def test_long_plays_are_capped_kept_and_counted(write_log: LogWriter, log_rows: LogRows) -> None:
    """watch_minutes above the cap is cut to the cap and counted; the cap itself is not counted."""
    rows = log_rows(3)
    rows["watch_minutes"] = [1440, 1441, 10**12]
    loaded = load_log(write_log(rows, dtypes={"watch_minutes": pl.Int64()}))
    assert loaded.frame.get_column("watch_minutes").to_list() == [1440, 1440, 1440]
    assert (loaded.report.kept_rows, loaded.report.capped_watch_minutes) == (3, 2)


def test_cap_comes_from_the_config(write_log: LogWriter, log_rows: LogRows) -> None:
    """IngestConfig.watch_minutes_cap sets the cap."""
    loaded = load_log(write_log(log_rows(2)), IngestConfig(watch_minutes_cap=20))
    assert loaded.frame.get_column("watch_minutes").to_list() == [20, 20]
    assert (loaded.report.capped_watch_minutes, loaded.report.watch_minutes_cap) == (2, 20)


def test_extra_columns_are_ignored_and_reported(write_log: LogWriter, log_rows: LogRows) -> None:
    """Columns beyond the eight are not loaded and are named in the report."""
    rows: dict[str, list[Any]] = {**log_rows(2), "country": ["NO", "SE"]}
    loaded = load_log(write_log(rows, dtypes={"country": pl.String()}))
    assert "country" not in loaded.frame.columns
    assert loaded.report.ignored_columns == ("country",)


def test_unknown_asset_types_are_kept_as_their_own_category(write_log: LogWriter, log_rows: LogRows) -> None:
    """A non-empty asset type outside the known four is kept and counted in unknown_asset_types."""
    rows = log_rows(3)
    rows["asset_type"] = ["VOD", "PODCAST", "PODCAST"]
    loaded = load_log(write_log(rows))
    assert loaded.frame.get_column("asset_type").to_list() == ["VOD", "PODCAST", "PODCAST"]
    assert dict(loaded.report.unknown_asset_types) == {"PODCAST": 2}


def test_categorical_asset_type_is_read_as_string(write_log: LogWriter, log_rows: LogRows) -> None:
    """A dictionary-encoded (categorical) asset_type column loads as String."""
    loaded = load_log(write_log(log_rows(2), dtypes={"asset_type": pl.Categorical()}))
    assert loaded.frame.schema["asset_type"] == pl.String()


def test_empty_table_is_an_error(write_log: LogWriter, log_rows: LogRows) -> None:
    """A log with the right columns but no rows is refused."""
    with pytest.raises(InvalidInputError, match="has no rows"):
        load_log(write_log(log_rows(0)))


def test_log_with_no_valid_row_is_an_error(write_log: LogWriter, log_rows: LogRows) -> None:
    """A log whose every row is invalid is refused, with the counts per reason."""
    rows = log_rows(3)
    rows["time"] = ["25:00", "25:00", "x"]
    rows["user_id"] = [None, 1, 1]
    with pytest.raises(InvalidInputError, match=r"all 3 rows .* are invalid \(null_user_id: 1, bad_time: 2\)"):
        load_log(write_log(rows))


def test_strict_names_the_first_invalid_row(write_log: LogWriter, log_rows: LogRows) -> None:
    """strict stops at the lowest-numbered invalid row, naming its row, column, value and what is expected."""
    rows = _with(_with(log_rows(6), "watch_minutes", 4, -3), "time", 2, "7:5")
    with pytest.raises(InvalidInputError) as caught:
        load_log(write_log(rows), IngestConfig(strict=True))
    message = str(caught.value)
    assert message.startswith("row 2 (0-based, in file order) of ")
    assert "(bad_time): column time is '7:5', expected \"hh:mm\"" in message


def test_strict_does_not_stop_at_duplicates(write_log: LogWriter, log_rows: LogRows) -> None:
    """Duplicate rows are not invalid: strict still drops and counts them."""
    rows = log_rows(2)
    for name in rows:
        rows[name].append(rows[name][0])
    report = load_log(write_log(rows), IngestConfig(strict=True)).report
    assert (report.kept_rows, report.duplicate_rows) == (2, 1)


@pytest.mark.parametrize("make", ["missing", "directory", "text"])
def test_path_that_is_not_a_parquet_file_is_an_error(tmp_path: Path, make: str) -> None:
    """A missing path, a directory or a non-parquet file is refused, naming the path."""
    path = tmp_path / "log.parquet"
    if make == "directory":
        path.mkdir()
    elif make == "text":
        path.write_text("user_id,show_id\n1,2\n")
    expected = {"missing": "does not exist", "directory": "is a directory", "text": "is not a readable parquet"}[make]
    with pytest.raises(InvalidInputError, match=f"{path}.* {expected}"):
        load_log(path)


def test_narrow_and_unsigned_integer_columns_are_accepted(write_log: LogWriter, log_rows: LogRows) -> None:
    """Int16 ids and UInt16 minutes load and are cast to Int32."""
    loaded = load_log(write_log(log_rows(2), dtypes={"show_id": pl.Int16(), "watch_minutes": pl.UInt16()}))
    assert loaded.frame.schema["show_id"] == pl.Int32()
    assert loaded.frame.get_column("watch_minutes").to_list() == [30, 30]


def test_all_null_column_counts_every_row_as_null(write_log: LogWriter, log_rows: LogRows) -> None:
    """A column of parquet type null is not a type error: every row is a null_<column> row, so the log is refused."""
    rows = log_rows(2)
    rows["episode_id"] = [None, None]
    with pytest.raises(InvalidInputError, match=r"all 2 rows .* are invalid \(null_episode_id: 2\)"):
        load_log(write_log(rows, dtypes={"episode_id": pl.Null()}))


def test_directory_holding_a_log_suggests_the_file(tmp_path: Path, write_log: LogWriter, log_rows: LogRows) -> None:
    """Given the folder of a playback_sessions.parquet, the error names the file to give instead."""
    write_log(log_rows(1), name="playback_sessions")
    with pytest.raises(InvalidInputError, match=rf"did you mean {tmp_path / 'playback_sessions.parquet'}\?"):
        load_log(tmp_path)
