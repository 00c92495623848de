"""Checks at the boundary: the path, the file's schema, and the rules every row must meet.

Row rules are polars expressions, judged for all rows at once. Accepted values:

- ids (``user_id``, ``playback_session_id``, ``show_id``, ``episode_id``): any integer column type; a value must be
  non-null and fit int32. Float or string id columns are a type error (the whole file is refused).
- ``asset_type``: a non-empty, non-blank string; types other than ``ASSET_TYPES`` are kept as their own category.
- ``day``: a positive integer written with 1 to 9 ASCII digits: ``"1"``, ``"30"``, ``"1000"`` (``"01"`` is day 1);
  not ``"0"``, ``"-1"``, ``"+1"``, ``"1.5"``, ``" 1"``, ``"x"`` or ``""``.
- ``time``: ``"hh:mm"`` with hh 0-23 and mm 00-59. The hour may have one digit (``"7:05"`` is 07:05, as some
  exports write it); the minutes always have two. Seconds (``"07:05:00"``) are refused.
- ``watch_minutes``: any integer column type; non-null and >= 0. Values above the cap are kept and cut to the cap.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import polars as pl

from nextwatch.errors import InvalidInputError
from nextwatch.ingest.report import DROP_REASONS
from nextwatch.schema import LOG_COLUMNS, LOG_FILE_NAME

__all__ = [
    "ID_COLUMNS",
    "RowRule",
    "check_columns",
    "check_path",
    "day_number_expr",
    "derive_columns",
    "minute_of_day_expr",
    "problem_code_expr",
    "read_schema",
    "row_rules",
]

ID_COLUMNS: Final = ("user_id", "playback_session_id", "show_id", "episode_id")
INT32_MIN: Final = -(2**31)
INT32_MAX: Final = 2**31 - 1
BLANK_ASSET_TYPE: Final = "_blank_asset_type"

_DAY_PATTERN: Final = r"^[0-9]{1,9}$"  # [0-9], not \d: the regex engine's \d matches every Unicode digit
_TIME_PATTERN: Final = r"^([0-9]{1,2}):([0-9]{2})$"

_EXPECTED: Final = {
    "null_": "a non-null integer",
    "out_of_range": f"an integer within int32 range ({INT32_MIN}..{INT32_MAX})",
    "empty_asset_type": "a non-empty asset type such as VOD, RECORDING, CHANNEL or LOOKBACK",
    "bad_day": 'a positive whole number of 1 to 9 digits as text, such as "1" or "30"',
    "bad_time": '"hh:mm" with hh 0-23 and mm 00-59, such as "07:05" or "7:05"',
    "negative_watch_minutes": "a whole number of minutes >= 0",
}


@dataclass(frozen=True)
class RowRule:
    """One reason to drop a row: the column it judges, what a good value is, and the test that flags a bad one."""

    reason: str
    column: str
    expected: str
    is_bad: pl.Expr


def check_path(path: Path) -> None:
    """Raise InvalidInputError unless ``path`` is an existing file (not a directory)."""
    if path.is_dir():
        inside = path / LOG_FILE_NAME
        hint = f"did you mean {inside}?" if inside.is_file() else "give the parquet file, not its folder"
        raise InvalidInputError(f"{path} is a directory, not a playback log: {hint}")
    if not path.exists():
        raise InvalidInputError(f"{path} does not exist: check the path, or write a log with `nextwatch generate`")
    if not path.is_file():
        raise InvalidInputError(f"{path} is not a regular file: give a parquet playback log")


def read_schema(path: Path) -> Mapping[str, pl.DataType]:
    """The file's parquet schema, or InvalidInputError if it is not a readable parquet file."""
    try:
        return pl.read_parquet_schema(path)
    except (pl.exceptions.PolarsError, OSError, ValueError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise InvalidInputError(
            f"{path} is not a readable parquet file ({reason}): give the playback log as parquet"
        ) from error


def check_columns(path: Path, schema: Mapping[str, pl.DataType]) -> tuple[str, ...]:
    """Raise InvalidInputError naming every missing or wrongly typed log column; return the extra (ignored) columns."""
    missing = [name for name in LOG_COLUMNS if name not in schema]
    if missing:
        raise InvalidInputError(
            f"{path} lacks the column(s) {', '.join(missing)}: a playback log needs {', '.join(LOG_COLUMNS)}"
        )
    wrong = [
        f"{name} is {schema[name]} (expected {_type_wanted(expected)})"
        for name, expected in LOG_COLUMNS.items()
        if not _type_fits(schema[name], expected)
    ]
    if wrong:
        raise InvalidInputError(f"{path} has wrongly typed column(s): {'; '.join(wrong)}")
    return tuple(name for name in schema if name not in LOG_COLUMNS)


def _type_fits(found: pl.DataType, expected: pl.DataType) -> bool:
    if found == pl.Null:  # an all-null column: each row is then judged (and dropped) as null
        return True
    if expected.is_integer():
        return found.is_integer()
    return found == pl.String or isinstance(found, (pl.Categorical, pl.Enum))


def _type_wanted(expected: pl.DataType) -> str:
    return f"an integer type, stored as {expected}" if expected.is_integer() else "String"


def day_number_expr() -> pl.Expr:
    """``day`` as Int32, null where it is not a positive integer string. ``"30"`` -> 30, ``"0"``/``"x"`` -> null."""
    day = pl.col("day").cast(pl.String)
    number = pl.when(day.str.contains(_DAY_PATTERN)).then(day.cast(pl.Int32, strict=False))
    return pl.when(number >= 1).then(number).alias("day_number")


def minute_of_day_expr() -> pl.Expr:
    """``time`` as Int16 ``hh * 60 + mm``, null where it is not a valid "hh:mm". ``"07:05"`` -> 425."""
    parts = pl.col("time").cast(pl.String).str.extract_groups(_TIME_PATTERN)
    hours = parts.struct.field("1").cast(pl.Int16)
    minutes = parts.struct.field("2").cast(pl.Int16)
    valid = (hours <= 23) & (minutes <= 59)
    return pl.when(valid).then(hours * 60 + minutes).cast(pl.Int16).alias("minute_of_day")


def blank_asset_type_expr() -> pl.Expr:
    """True where ``asset_type`` is empty or only white space (null stays null)."""
    return (pl.col("asset_type").cast(pl.String).str.strip_chars() == "").alias(BLANK_ASSET_TYPE)


def derive_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """Add ``day_number``, ``minute_of_day`` and the ``_blank_asset_type`` flag, parsing each distinct value once.

    A log has few distinct days, times and asset types (30, 1,440 and 4 by default), so parsing those and mapping
    them back is several times faster than running the patterns over millions of rows.
    """
    derived = [
        _on_distinct(frame.get_column(source), expr, dtype)
        for source, expr, dtype in (
            ("day", day_number_expr(), pl.Int32()),
            ("time", minute_of_day_expr(), pl.Int16()),
            ("asset_type", blank_asset_type_expr(), pl.Boolean()),
        )
    ]
    return frame.with_columns(derived)


def _on_distinct(values: pl.Series, parse: pl.Expr, dtype: pl.DataType) -> pl.Series:
    text = values.cast(pl.String)
    distinct = text.drop_nulls().unique()
    parsed = pl.DataFrame({values.name: distinct}).select(parse).to_series()
    return text.replace_strict(distinct, parsed, default=None, return_dtype=dtype).alias(parsed.name)


def row_rules(schema: Mapping[str, pl.DataType]) -> list[RowRule]:
    """The rules in ``DROP_REASONS`` order, for a frame that ``derive_columns`` extended.

    Out-of-range rules exist only for integer types wider than int32; ``negative_watch_minutes`` only for signed ones.
    """
    rules: list[RowRule] = []
    for name in LOG_COLUMNS:
        column = pl.col(name)
        dtype = schema[name]
        if name in ID_COLUMNS:
            rules.append(RowRule(f"null_{name}", name, _EXPECTED["null_"], column.is_null()))
            if dtype in (pl.Int64, pl.UInt32, pl.UInt64):
                too_small = column < INT32_MIN if dtype == pl.Int64 else pl.lit(False)
                rules.append(
                    RowRule(f"{name}_out_of_range", name, _EXPECTED["out_of_range"], too_small | (column > INT32_MAX))
                )
        elif name == "asset_type":
            blank = pl.col(BLANK_ASSET_TYPE)
            rules.append(RowRule("empty_asset_type", name, _EXPECTED["empty_asset_type"], column.is_null() | blank))
        elif name == "day":
            rules.append(RowRule("bad_day", name, _EXPECTED["bad_day"], pl.col("day_number").is_null()))
        elif name == "time":
            rules.append(RowRule("bad_time", name, _EXPECTED["bad_time"], pl.col("minute_of_day").is_null()))
        elif name == "watch_minutes":
            rules.append(RowRule("null_watch_minutes", name, _EXPECTED["null_"], column.is_null()))
            if dtype.is_signed_integer():
                rules.append(RowRule("negative_watch_minutes", name, _EXPECTED["negative_watch_minutes"], column < 0))
    reasons = [rule.reason for rule in rules]
    assert reasons == sorted(reasons, key=DROP_REASONS.index), "rules must follow DROP_REASONS order"
    return rules


def problem_code_expr(rules: list[RowRule]) -> pl.Expr:
    """UInt8 index into ``rules`` of a row's first problem, null for a valid row."""
    if not rules:
        return pl.lit(None, dtype=pl.UInt8)
    # coalesce keeps the first non-null code: the first rule the row breaks.
    return pl.coalesce(
        pl.when(rule.is_bad.fill_null(False)).then(pl.lit(code, dtype=pl.UInt8)) for code, rule in enumerate(rules)
    )
