"""``load_log``: read a playback log, judge every row, and return the clean, ordered log with its report."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from nextwatch.errors import InvalidInputError
from nextwatch.ingest.config import IngestConfig
from nextwatch.ingest.order import sort_log
from nextwatch.ingest.report import DROP_REASONS, IngestReport
from nextwatch.ingest.validate import (
    RowRule,
    check_columns,
    check_path,
    day_number_expr,
    minute_of_day_expr,
    problem_code_expr,
    read_schema,
    row_rules,
)
from nextwatch.schema import ASSET_TYPES, LOG_COLUMNS

__all__ = ["LoadedLog", "load_log"]

_PROBLEM = "_problem"


@dataclass(frozen=True)
class LoadedLog:
    """The clean log (Contract 1 of docs/architecture.md) and the report of where every input row went."""

    frame: pl.DataFrame
    report: IngestReport


def load_log(path: str | os.PathLike[str], config: IngestConfig | None = None) -> LoadedLog:
    """Read the log at ``path``, drop and count invalid and duplicate rows, cap ``watch_minutes``, and sort.

    Raises InvalidInputError when the file is missing, not parquet, lacks a column, has a wrongly typed column, has
    no rows, or has no valid row; with ``config.strict`` also at the first invalid row (its 0-based row number in
    the file, column, value and what is expected). Duplicate rows never raise, even when strict.
    """
    config = config or IngestConfig()
    source = Path(path)
    check_path(source)
    schema = read_schema(source)
    ignored = check_columns(source, schema)
    raw = _read_log_columns(source)
    if raw.height == 0:
        raise InvalidInputError(f"{source} has no rows: a playback log needs at least one play")

    rules = row_rules(raw.schema)
    judged = raw.lazy().with_columns(day_number_expr(), minute_of_day_expr())
    judged_frame = judged.with_columns(problem_code_expr(rules).alias(_PROBLEM)).collect()
    counts = _problem_counts(judged_frame, rules)
    if config.strict and any(counts.values()):
        raise _first_invalid_row(source, judged_frame, rules)

    valid = judged_frame.filter(pl.col(_PROBLEM).is_null()).drop(_PROBLEM)
    if valid.height == 0:
        summary = ", ".join(f"{reason}: {count}" for reason, count in counts.items() if count)
        raise InvalidInputError(
            f"all {raw.height} rows of {source} are invalid ({summary}): nothing to learn from; "
            f"`nextwatch validate {source} --strict` names the first bad row"
        )
    del judged_frame
    clean, duplicates, capped = _dedupe_and_cap(valid, config.watch_minutes_cap)
    report = IngestReport(
        source=str(source),
        total_rows=raw.height,
        kept_rows=clean.height,
        dropped=counts,
        duplicate_rows=duplicates,
        capped_watch_minutes=capped,
        watch_minutes_cap=config.watch_minutes_cap,
        strict=config.strict,
        ignored_columns=ignored,
        unknown_asset_types=_unknown_asset_types(clean),
    )
    return LoadedLog(frame=sort_log(clean), report=report)


def _read_log_columns(path: Path) -> pl.DataFrame:
    try:
        return pl.read_parquet(path, columns=list(LOG_COLUMNS))
    except (pl.exceptions.PolarsError, OSError, ValueError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise InvalidInputError(f"cannot read {path} ({reason}): the parquet file looks damaged") from error


def _problem_counts(judged: pl.DataFrame, rules: list[RowRule]) -> dict[str, int]:
    codes = judged.get_column(_PROBLEM).drop_nulls().value_counts()
    found = Counter({rules[code].reason: count for code, count in codes.iter_rows()})
    return {reason: found[reason] for reason in DROP_REASONS}


def _first_invalid_row(path: Path, judged: pl.DataFrame, rules: list[RowRule]) -> InvalidInputError:
    first = judged.with_row_index("_row").filter(pl.col(_PROBLEM).is_not_null()).row(0, named=True)
    rule = rules[first[_PROBLEM]]
    value: Any = first[rule.column]
    shown = "null" if value is None else repr(value)
    return InvalidInputError(
        f"row {first['_row']} (0-based, in file order) of {path} is invalid ({rule.reason}): "
        f"column {rule.column} is {shown}, expected {rule.expected}; "
        "without --strict such rows are dropped and counted"
    )


def _dedupe_and_cap(valid: pl.DataFrame, cap: int) -> tuple[pl.DataFrame, int, int]:
    """Cast to the schema types, drop exact duplicates (first kept, on the values as read), then cap the minutes."""
    typed = valid.with_columns(
        pl.col(name).cast(dtype) for name, dtype in LOG_COLUMNS.items() if name != "watch_minutes"
    )
    unique = typed.unique(subset=list(LOG_COLUMNS), keep="first", maintain_order=True)
    minutes = pl.col("watch_minutes")
    capped = int(unique.select((minutes > cap).sum()).item())
    clean = unique.with_columns(minutes.clip(upper_bound=cap).cast(pl.Int32))
    return clean, valid.height - unique.height, capped


def _unknown_asset_types(clean: pl.DataFrame) -> dict[str, int]:
    unknown = clean.filter(~pl.col("asset_type").is_in(ASSET_TYPES)).get_column("asset_type").value_counts(sort=True)
    return {name: int(count) for name, count in unknown.iter_rows()}
