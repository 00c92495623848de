"""The clean log's order: each viewer's plays by (day, time, playback_session_id), ties in input order."""

from __future__ import annotations

from typing import Final

import polars as pl

from nextwatch.errors import InvalidInputError
from nextwatch.ingest.validate import day_number_expr, minute_of_day_expr
from nextwatch.schema import LOG_COLUMNS

__all__ = ["ORDER_COLUMNS", "order_log", "sort_log"]

ORDER_COLUMNS: Final = ("user_id", "day_number", "minute_of_day", "playback_session_id")


def sort_log(frame: pl.DataFrame) -> pl.DataFrame:
    """Sort by ``ORDER_COLUMNS``; rows equal on all four keep their input order (a stable sort)."""
    return frame.sort(list(ORDER_COLUMNS), maintain_order=True)


def order_log(frame: pl.DataFrame) -> pl.DataFrame:
    """Cast the eight log columns to their schema types, add ``day_number`` and ``minute_of_day``, and sort.

    For frames built in memory (tests, importers); it does not drop, dedupe or cap (``load_log`` does). Other
    columns are kept after the log's, untouched. A day or time that does not parse raises InvalidInputError.

    before (user_id, day, time):  (2, "1", "09:00"), (1, "2", "08:00"), (1, "1", "21:30")
    after (..., day_number, minute_of_day):
                                  (1, "1", "21:30", 1, 1290), (1, "2", "08:00", 2, 480), (2, "1", "09:00", 1, 540)
    """
    missing = [name for name in LOG_COLUMNS if name not in frame.columns]
    if missing:
        raise InvalidInputError(f"the frame lacks the log column(s) {', '.join(missing)}")
    try:
        typed = frame.with_columns(pl.col(name).cast(dtype) for name, dtype in LOG_COLUMNS.items())
    except pl.exceptions.PolarsError as error:
        raise InvalidInputError(f"the frame's log columns do not cast to the schema types: {error}") from error
    others = [name for name in frame.columns if name not in LOG_COLUMNS and name not in ORDER_COLUMNS]
    derived = typed.select(*LOG_COLUMNS, day_number_expr(), minute_of_day_expr(), *others)
    for column, source in (("day_number", "day"), ("minute_of_day", "time")):
        bad = derived.with_row_index("row").filter(pl.col(column).is_null())
        if bad.height:
            row = bad.row(0, named=True)
            raise InvalidInputError(f"row {row['row']} of the frame has an invalid {source} {row[source]!r}")
    return sort_log(derived)
