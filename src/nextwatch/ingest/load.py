"""``load_log``: read a playback log, judge every row, and return the clean, ordered log with its report."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from nextwatch.errors import InvalidInputError
from nextwatch.ingest.config import IngestConfig
from nextwatch.ingest.order import ORDER_COLUMNS, sort_log
from nextwatch.ingest.report import DROP_REASONS, IngestReport
from nextwatch.ingest.validate import (
    RowRule,
    check_columns,
    check_path,
    derive_columns,
    problem_code_expr,
    read_schema,
    row_rules,
)
from nextwatch.schema import ASSET_TYPES, LOG_COLUMNS

__all__ = ["LoadedLog", "load_log"]

_PROBLEM = "_problem"
_POSITION = "_position"


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

    total_rows = raw.height
    valid, counts = _drop_invalid(source, raw, config.strict)
    del raw  # frees the rows as read before the sort makes its copy
    clean, duplicates, capped = _clean(valid, config.watch_minutes_cap)
    report = IngestReport(
        source=str(source),
        total_rows=total_rows,
        kept_rows=clean.height,
        dropped=counts,
        duplicate_rows=duplicates,
        capped_watch_minutes=capped,
        watch_minutes_cap=config.watch_minutes_cap,
        strict=config.strict,
        ignored_columns=ignored,
        unknown_asset_types=_unknown_asset_types(clean),
    )
    return LoadedLog(frame=clean, report=report)


def _drop_invalid(source: Path, raw: pl.DataFrame, strict: bool) -> tuple[pl.DataFrame, dict[str, int]]:
    """The valid rows (with day_number and minute_of_day) and the count of dropped rows per reason."""
    rules = row_rules(raw.schema)
    judged = derive_columns(raw)
    problems = judged.select(problem_code_expr(rules).alias(_PROBLEM)).to_series()
    counts = _problem_counts(problems, rules)
    invalid = sum(counts.values())
    if strict and invalid:
        raise _first_invalid_row(source, judged, problems, rules)
    if invalid == judged.height:
        summary = ", ".join(f"{reason}: {count}" for reason, count in counts.items() if count)
        raise InvalidInputError(
            f"all {judged.height} rows of {source} are invalid ({summary}): nothing to learn from; "
            f"`nextwatch validate {source} --strict` names the first bad row"
        )
    return (judged.filter(problems.is_null()) if invalid else judged), counts


def _clean(valid: pl.DataFrame, cap: int) -> tuple[pl.DataFrame, int, int]:
    """Cast to the schema types, sort, drop exact duplicates, cap the minutes; return the counts of the last two."""
    typed = valid.select(
        *(pl.col(name).cast(dtype) for name, dtype in LOG_COLUMNS.items() if name != "watch_minutes"),
        "watch_minutes",  # cast after capping: an Int64 value may not fit int32 before
        "day_number",
        "minute_of_day",
    )
    clean, duplicates = _drop_duplicates(sort_log(typed))
    minutes = pl.col("watch_minutes")
    capped = int(clean.select((minutes > cap).sum()).item())
    return clean.with_columns(minutes.clip(upper_bound=cap).cast(pl.Int32)), duplicates, capped


def _read_log_columns(path: Path) -> pl.DataFrame:
    try:
        # One chunk: gathers (the sort) on 60-odd row-group chunks are ten times slower.
        return pl.read_parquet(path, columns=list(LOG_COLUMNS)).rechunk()
    except (pl.exceptions.PolarsError, OSError, ValueError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise InvalidInputError(f"cannot read {path} ({reason}): the parquet file looks damaged") from error


def _problem_counts(problems: pl.Series, rules: list[RowRule]) -> dict[str, int]:
    found = Counter({rules[code].reason: count for code, count in problems.drop_nulls().value_counts().iter_rows()})
    return {reason: found[reason] for reason in DROP_REASONS}


def _first_invalid_row(
    path: Path, judged: pl.DataFrame, problems: pl.Series, rules: list[RowRule]
) -> InvalidInputError:
    row_number = int(problems.is_not_null().arg_true()[0])
    rule = rules[problems[row_number]]
    value: Any = judged.get_column(rule.column)[row_number]
    shown = "null" if value is None else repr(value)
    return InvalidInputError(
        f"row {row_number} (0-based, in file order) of {path} is invalid ({rule.reason}): "
        f"column {rule.column} is {shown}, expected {rule.expected}; "
        "without --strict such rows are dropped and counted"
    )


def _drop_duplicates(ordered: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """Drop exact copies of an earlier row (on the eight columns as read); return the frame and the count.

    Copies share all four sort keys, so after the stable sort they sit in one run of rows with equal keys, in input
    order. Such runs are rare (a session id is one play), so only their rows are compared in full.
    """
    same_keys = pl.all_horizontal(pl.col(name) == pl.col(name).shift(1) for name in ORDER_COLUMNS).fill_null(False)
    in_run = same_keys | same_keys.shift(-1).fill_null(False)
    runs = ordered.with_row_index(_POSITION).filter(in_run)
    if runs.height == 0:
        return ordered, 0
    copies = runs.filter(~pl.struct(list(LOG_COLUMNS)).is_first_distinct()).get_column(_POSITION).to_numpy()
    if copies.size == 0:
        return ordered, 0
    keep = np.ones(ordered.height, dtype=bool)
    keep[copies] = False
    return ordered.filter(pl.Series(keep)), int(copies.size)


def _unknown_asset_types(clean: pl.DataFrame) -> dict[str, int]:
    unknown = clean.filter(~pl.col("asset_type").is_in(ASSET_TYPES)).get_column("asset_type").value_counts(sort=True)
    return {name: int(count) for name, count in unknown.iter_rows()}
