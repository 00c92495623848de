"""What every importer shares: reading a table, parsing times and ids, dropping bad rows, building and writing the log.

An importer turns its input into one value column per role (user, item, time, ...), calls ``screen_rows`` to drop
(or, strict, refuse) rows with a missing or unparsable value, then ``assemble_log`` to give the kept rows their day,
time and playback session id in the schema's column order and types.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Final

import polars as pl

from nextwatch.atomic_io import atomic_path
from nextwatch.errors import InvalidInputError
from nextwatch.schema import LOG_COLUMNS

__all__ = [
    "FieldRule",
    "ImportReport",
    "ImportResult",
    "assemble_log",
    "dense_ids",
    "integer_ids",
    "is_missing",
    "mapping_path",
    "read_table",
    "require_columns",
    "screen_rows",
    "timestamps_to_micros",
    "write_import",
]

MICROS_PER_SECOND: Final = 1_000_000
MICROS_PER_MINUTE: Final = 60 * MICROS_PER_SECOND
MICROS_PER_DAY: Final = 86_400 * MICROS_PER_SECOND
# The range Python's datetime can hold: 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z, in unix seconds.
SECONDS_MIN: Final = -62_135_596_800
SECONDS_MAX: Final = 253_402_300_799
INT32_MAX: Final = 2**31 - 1
INT32_MIN: Final = -(2**31)

TIME_EXPECTED: Final = (
    "a time: unix seconds (such as 1700000000) or ISO-8601 (such as 2024-01-31T20:15:00Z; no zone means UTC)"
)
_NUMBER: Final = r"^[+-]?(\d+\.?\d*|\.\d+)$"
_INTEGER: Final = r"^[+-]?\d+$"
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class ImportReport:
    """What an import kept and dropped: ``output_rows + sum(dropped.values()) == input_rows``."""

    source: str
    input_rows: int
    output_rows: int
    dropped: dict[str, int]
    viewers: int
    shows: int
    days: int
    first_date: str | None  # the UTC date of day "1"

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "input_rows": self.input_rows,
            "output_rows": self.output_rows,
            "dropped": dict(self.dropped),
            "viewers": self.viewers,
            "shows": self.shows,
            "days": self.days,
            "first_date": self.first_date,
        }

    def summary(self) -> str:
        """One line: rows in and out, what was dropped, viewers, shows, days."""
        dropped_total = sum(self.dropped.values())
        reasons = ", ".join(f"{reason} {count}" for reason, count in self.dropped.items())
        dropped = f"{dropped_total} dropped: {reasons}" if dropped_total else "0 dropped"
        return (
            f"{self.input_rows} rows in, {self.output_rows} plays out ({dropped}), {self.viewers} viewers, "
            f"{self.shows} shows, {self.days} days from {self.first_date}"
        )


@dataclass(frozen=True)
class ImportResult:
    """The log in the schema (``LOG_COLUMNS``), its report, and the id maps an importer had to invent."""

    frame: pl.DataFrame
    report: ImportReport
    item_ids: pl.DataFrame | None = None  # original_id -> show_id
    user_ids: pl.DataFrame | None = None  # original_id -> user_id


@dataclass(frozen=True)
class FieldRule:
    """One input column screened for missing and bad values; ``role`` names the drop reasons."""

    role: str  # reasons are f"missing_{role}" and f"bad_{role}"
    column: str  # the input file's column name
    expected: str  # what a valid value is, for the strict error


def read_table(path: Path) -> pl.DataFrame:
    """Read a CSV (every column as text, so that no value is lost to type inference) or a parquet file."""
    if path.is_dir():
        raise InvalidInputError(f"input path {path} is a directory: give a .csv, .tsv or .parquet file")
    if not path.is_file():
        raise InvalidInputError(f"input file {path} does not exist: check the path")
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".tsv"):
            return pl.read_csv(path, infer_schema=False, separator="\t" if suffix == ".tsv" else ",")
        if suffix in (".parquet", ".pq"):
            return pl.read_parquet(path)
    except pl.exceptions.NoDataError:
        raise InvalidInputError(f"input file {path} is empty: give a file with a header row and data") from None
    except (pl.exceptions.PolarsError, OSError) as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise InvalidInputError(
            f"cannot read {path}: {first_line} (check that the file is what its name says)"
        ) from None
    raise InvalidInputError(f"input file {path} is neither .csv, .tsv nor .parquet: convert it to one of these")


def require_columns(frame: pl.DataFrame, columns: list[str], source: Path) -> None:
    """Raise InvalidInputError naming a missing column and the columns the file has."""
    for column in columns:
        if column not in frame.columns:
            raise InvalidInputError(
                f"{source} has no column {column!r} (it has {', '.join(map(repr, frame.columns))}): "
                "name an existing column"
            )


def is_missing(values: pl.Series) -> pl.Series:
    """True where a value is null, NaN, or text that is empty after stripping spaces."""
    if values.dtype == pl.String:
        return values.is_null() | (values.str.strip_chars() == "")
    if values.dtype.is_float():
        return values.is_null() | values.is_nan()
    return values.is_null()


def timestamps_to_micros(values: pl.Series) -> pl.Series:
    """Microseconds since 1970-01-01 UTC (Int64); null where a value is missing or not a time.

    Numbers are unix seconds; text is unix seconds if it is a plain number, else ISO-8601 as read by
    ``datetime.fromisoformat`` (no zone means UTC); parquet datetimes without a zone are UTC.

    >>> timestamps_to_micros(pl.Series(["60", "1970-01-02T00:00:00+01:00", "soon"])).to_list()
    [60000000, 82800000000, None]
    """
    dtype = values.dtype
    if dtype.is_integer():
        seconds = values.cast(pl.Int64)
        in_range = (seconds >= SECONDS_MIN) & (seconds <= SECONDS_MAX)
        return pl.select(pl.when(in_range).then(seconds * MICROS_PER_SECOND).otherwise(None)).to_series()
    if dtype.is_float():
        return _float_seconds_to_micros(values.cast(pl.Float64))
    if isinstance(dtype, pl.Datetime):
        moments = values.dt.replace_time_zone("UTC") if dtype.time_zone is None else values
        return moments.dt.epoch("us").cast(pl.Int64)
    if dtype == pl.Date:
        return values.cast(pl.Datetime("us")).dt.epoch("us").cast(pl.Int64)
    if dtype != pl.String:
        return pl.Series(values.name, [None] * len(values), dtype=pl.Int64)
    text = values.str.strip_chars()
    numeric = text.str.contains(_NUMBER).fill_null(False)
    from_numbers = _float_seconds_to_micros(text.cast(pl.Float64, strict=False))
    iso_texts = text.filter(~numeric & text.is_not_null()).unique()
    iso_micros = [_iso_to_micros(t) for t in iso_texts.to_list()]
    from_iso = text.replace_strict(iso_texts, iso_micros, default=None, return_dtype=pl.Int64)
    return pl.select(pl.when(numeric).then(from_numbers).otherwise(from_iso)).to_series().rename(values.name)


def _float_seconds_to_micros(seconds: pl.Series) -> pl.Series:
    ok = seconds.is_finite().fill_null(False) & (seconds >= SECONDS_MIN) & (seconds <= SECONDS_MAX)
    micros = (seconds * MICROS_PER_SECOND).round(0)
    return pl.select(pl.when(ok).then(micros).otherwise(None).cast(pl.Int64)).to_series()


def _iso_to_micros(text: str) -> int | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * MICROS_PER_SECOND + delta.microseconds


def integer_ids(values: pl.Series) -> pl.Series:
    """Int64 ids where a value is an integer (a number or integer text), null elsewhere.

    >>> integer_ids(pl.Series([" 7", "x", "2.5"])).to_list()
    [7, None, None]
    """
    if values.dtype.is_integer():
        return values.cast(pl.Int64)
    if values.dtype.is_float():
        whole = values.is_finite().fill_null(False) & (values == values.floor()) & (values.abs() < 2.0**62)
        return pl.select(pl.when(whole).then(values).otherwise(None).cast(pl.Int64)).to_series()
    if values.dtype == pl.String:
        text = values.str.strip_chars()
        integral = text.str.contains(_INTEGER).fill_null(False)
        parsed = text.cast(pl.Int64, strict=False)
        return pl.select(pl.when(integral).then(parsed).otherwise(None)).to_series()
    return pl.Series(values.name, [None] * len(values), dtype=pl.Int64)


def dense_ids(values: pl.Series) -> tuple[pl.Series, pl.DataFrame]:
    """Number the distinct values 1..N in sorted order (numeric if all are integers, else text order).

    Returns the Int32 ids and the map ``original_id -> id`` (the map's id column is named ``id``).

    >>> ids, mapping = dense_ids(pl.Series(["b", "a", "b"]))
    >>> ids.to_list(), mapping.rows()
    ([2, 1, 2], [('a', 1), ('b', 2)])
    """
    as_integers = integer_ids(values)
    if as_integers.null_count() == values.null_count():
        originals = as_integers
    elif values.dtype == pl.String:
        originals = values.str.strip_chars()
    else:
        originals = values.cast(pl.String)
    distinct = originals.drop_nulls().unique().sort()
    if len(distinct) > INT32_MAX:
        raise InvalidInputError(f"{len(distinct)} distinct ids do not fit in int32")
    numbers = pl.Series("id", range(1, len(distinct) + 1), dtype=pl.Int32)
    ids = originals.replace_strict(distinct, numbers, default=None, return_dtype=pl.Int32)
    return ids, pl.DataFrame({"original_id": distinct, "id": numbers})


def screen_rows(
    raw: pl.DataFrame,
    parsed: dict[str, pl.Series],
    rules: list[FieldRule],
    *,
    source: Path,
    strict: bool,
) -> tuple[pl.Series, dict[str, int]]:
    """Return the mask of rows to keep and the count of dropped rows per reason, in rule order.

    A row is counted once, under its first failing rule: ``missing_<role>`` when the input value is missing,
    ``bad_<role>`` when it is present but ``parsed[role]`` is null. With ``strict`` the first failing row
    raises InvalidInputError naming the file, row, column and value.
    """
    keep = pl.Series("keep", [True] * raw.height, dtype=pl.Boolean)
    dropped: dict[str, int] = {}
    for rule in rules:
        missing = is_missing(raw[rule.column])
        bad = ~missing & parsed[rule.role].is_null()
        for reason, failing in ((f"missing_{rule.role}", missing), (f"bad_{rule.role}", bad)):
            counted = keep & failing
            count = int(counted.sum())
            if count:
                dropped[reason] = count
                keep = keep & ~failing
    if strict and dropped:
        raise _strict_error(raw, parsed, rules, keep, source)
    return keep, dropped


def _strict_error(
    raw: pl.DataFrame, parsed: dict[str, pl.Series], rules: list[FieldRule], keep: pl.Series, source: Path
) -> InvalidInputError:
    index = int((~keep).arg_true()[0])  # the first dropped row
    for rule in rules:
        value = raw[rule.column][index]
        row = f"{source} data row {index + 1} (1 = first row after the header), column {rule.column!r}"
        hint = "(without strict such rows are dropped and counted)"
        if is_missing(raw[rule.column].slice(index, 1))[0]:
            return InvalidInputError(f"{row}: the value is missing; fill it in or remove the row {hint}")
        if parsed[rule.role][index] is None:
            return InvalidInputError(f"{row}: {value!r} is not {rule.expected}; fix or remove the row {hint}")
    raise AssertionError("a dropped row fails no rule")


def assemble_log(
    kept: pl.DataFrame, *, source: Path, input_rows: int, dropped: dict[str, int]
) -> tuple[pl.DataFrame, ImportReport]:
    """Order kept plays by time (ties in input order) and give them day, time and playback_session_id.

    ``kept`` holds user_id, show_id, episode_id (Int32), asset_type (String), watch_minutes (Int32) and
    time_us (Int64, microseconds since 1970 UTC), in input order. Day "1" is the UTC date of the first play.
    """
    if input_rows == 0:
        raise InvalidInputError(f"{source} has a header but no data rows: give a file with at least one play")
    if kept.height == 0:
        raise InvalidInputError(
            f"{source}: no usable rows ({input_rows} rows in, dropped {dropped or 'none'}): fix the input"
        )
    if kept.height > INT32_MAX:
        raise InvalidInputError(f"{source}: {kept.height} rows do not fit playback_session_id int32: split the log")
    ordered = kept.sort("time_us", maintain_order=True)
    day_index = pl.col("time_us") // MICROS_PER_DAY
    first_day = int(ordered["time_us"][0]) // MICROS_PER_DAY
    frame = ordered.with_columns(
        playback_session_id=pl.int_range(1, ordered.height + 1, dtype=pl.Int32),
        day=(day_index - first_day + 1).cast(pl.String),
        time=pl.from_epoch(pl.col("time_us") - day_index * MICROS_PER_DAY, time_unit="us").dt.strftime("%H:%M"),
    ).select([pl.col(name).cast(dtype) for name, dtype in LOG_COLUMNS.items()])
    last_day = int(ordered["time_us"][-1]) // MICROS_PER_DAY
    report = ImportReport(
        source=str(source),
        input_rows=input_rows,
        output_rows=frame.height,
        dropped=dropped,
        viewers=frame["user_id"].n_unique(),
        shows=frame["show_id"].n_unique(),
        days=last_day - first_day + 1,
        first_date=(date(1970, 1, 1) + timedelta(days=first_day)).isoformat(),
    )
    return frame, report


def mapping_path(out: Path, kind: str) -> Path:
    """``<out stem>.<kind>.parquet`` beside ``out``: ``playback_sessions.item_ids.parquet``."""
    return out.with_name(f"{out.stem}.{kind}.parquet")


def write_import(result: ImportResult, out: str | Path) -> list[Path]:
    """Write the id maps, then the log (so a complete log means complete maps); return the paths written."""
    target = Path(out)
    written: list[Path] = []
    for kind, mapping in (("item_ids", result.item_ids), ("user_ids", result.user_ids)):
        if mapping is None:
            continue
        path = mapping_path(target, kind)
        with atomic_path(path) as tmp:
            mapping.write_parquet(tmp)
        written.append(path)
    with atomic_path(target) as tmp:
        result.frame.write_parquet(tmp)
    written.append(target)
    return written
