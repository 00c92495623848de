"""Any interaction log (CSV or parquet: a user, an item and a time per row) as a playback log.

What each column becomes, and what is lost, is in docs/importers.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

import polars as pl

from nextwatch.errors import InvalidOptionError
from nextwatch.importers.playlog import (
    INT32_MAX,
    INT32_MIN,
    TIME_EXPECTED,
    FieldRule,
    ImportResult,
    assemble_log,
    dense_ids,
    integer_ids,
    is_missing,
    read_table,
    require_columns,
    screen_rows,
    timestamps_to_micros,
)
from nextwatch.schema import WATCH_MINUTES_CAP

__all__ = ["DURATION_UNITS", "DurationUnit", "EventsConfig", "import_events", "watch_minutes_from"]

DurationUnit = Literal["seconds", "minutes"]
DURATION_UNITS: Final = ("seconds", "minutes")
_NUMBER: Final = r"^[+-]?(\d+\.?\d*|\.\d+)$"


@dataclass(frozen=True)
class EventsConfig:
    """Which input columns hold the user, item, time (and optionally duration and type), and how to read them."""

    user_col: str
    item_col: str
    time_col: str
    duration_col: str | None = None  # in duration_unit; without it every play lasts watch_minutes
    type_col: str | None = None  # becomes asset_type; without it every play is asset_type
    duration_unit: DurationUnit = "seconds"
    watch_minutes: int = 30  # a typical episode's length; used only without duration_col
    asset_type: str = "VOD"
    strict: bool = False  # refuse the first bad row instead of dropping and counting

    def __post_init__(self) -> None:
        if self.duration_unit not in DURATION_UNITS:
            raise InvalidOptionError(f"duration_unit must be seconds or minutes, got {self.duration_unit!r}")
        if not 1 <= self.watch_minutes <= WATCH_MINUTES_CAP:
            raise InvalidOptionError(
                f"watch_minutes must be between 1 and {WATCH_MINUTES_CAP}, got {self.watch_minutes}"
            )
        if not self.asset_type.strip():
            raise InvalidOptionError("asset_type must be a non-empty text such as 'VOD'")


def import_events(path: str | Path, config: EventsConfig) -> ImportResult:
    """Turn an interaction log into a log in the schema, with the id maps it had to invent.

    Items always get ids 1..N in sorted order of their original value (numeric order if every item is an integer,
    else text order): ``result.item_ids``. Users keep their ids if every one is an int32 integer, else they are
    numbered the same way: ``result.user_ids``.

    ``alice,news,2024-01-01T20:15:00Z`` and ``bob,drama,2024-01-03T08:00:00`` become
    ``(user 1, session 1, show 2, day '1', '20:15')`` and ``(user 2, session 2, show 1, day '3', '08:00')``
    with item_ids ``drama -> 1, news -> 2`` and user_ids ``alice -> 1, bob -> 2``.
    """
    source = Path(path)
    raw = read_table(source)
    optional = [c for c in (config.duration_col, config.type_col) if c is not None]
    require_columns(raw, [config.user_col, config.item_col, config.time_col, *optional], source)
    parsed = {
        "user": _present(raw[config.user_col]),
        "item": _present(raw[config.item_col]),
        "time": timestamps_to_micros(raw[config.time_col]),
    }
    rules = [
        FieldRule("user", config.user_col, "a user id"),
        FieldRule("item", config.item_col, "an item id"),
        FieldRule("time", config.time_col, TIME_EXPECTED),
    ]
    if config.duration_col is not None:
        parsed["duration"] = watch_minutes_from(raw[config.duration_col], config.duration_unit)
        rules.append(
            FieldRule("duration", config.duration_col, f"a duration: a number of {config.duration_unit}, >= 0")
        )
    if config.type_col is not None:
        parsed["type"] = _present(raw[config.type_col]).cast(pl.String)
        rules.append(FieldRule("type", config.type_col, "an asset type"))
    keep, dropped = screen_rows(raw, parsed, rules, source=source, strict=config.strict)

    show_ids, item_map = dense_ids(parsed["item"].filter(keep))
    user_ids, user_map = _user_ids(parsed["user"].filter(keep))
    kept = pl.DataFrame(
        {
            "user_id": user_ids,
            "show_id": show_ids,
            "episode_id": show_ids,
            "asset_type": (
                parsed["type"].filter(keep)
                if "type" in parsed
                else pl.repeat(config.asset_type, show_ids.len(), dtype=pl.String, eager=True)
            ),
            "watch_minutes": (
                parsed["duration"].filter(keep)
                if "duration" in parsed
                else pl.repeat(config.watch_minutes, show_ids.len(), dtype=pl.Int32, eager=True)
            ),
            "time_us": parsed["time"].filter(keep),
        }
    )
    frame, report = assemble_log(kept, source=source, input_rows=raw.height, dropped=dropped)
    return ImportResult(
        frame=frame,
        report=report,
        item_ids=item_map.rename({"id": "show_id"}),
        user_ids=None if user_map is None else user_map.rename({"id": "user_id"}),
    )


def watch_minutes_from(values: pl.Series, unit: DurationUnit) -> pl.Series:
    """Whole minutes (Int32, half a minute rounds up); null where a value is not a number >= 0.

    >>> watch_minutes_from(pl.Series(["89", "90", "-1", "long"]), "seconds").to_list()
    [1, 2, None, None]
    """
    if values.dtype.is_numeric():
        numbers = values.cast(pl.Float64)
    else:
        text = values.cast(pl.String).str.strip_chars()
        numbers = pl.select(
            pl.when(text.str.contains(_NUMBER)).then(text.cast(pl.Float64, strict=False)).otherwise(None)
        ).to_series()
    minutes = ((numbers / 60.0 if unit == "seconds" else numbers) + 0.5).floor()
    ok = numbers.is_finite().fill_null(False) & (numbers >= 0) & (minutes <= INT32_MAX)
    return pl.select(pl.when(ok).then(minutes).otherwise(None).cast(pl.Int32)).to_series()


def _present(values: pl.Series) -> pl.Series:
    """The values with missing ones (null, NaN, blank text) as null; text stripped of surrounding spaces."""
    cleaned = values.str.strip_chars() if values.dtype == pl.String else values
    return pl.select(pl.when(is_missing(values)).then(None).otherwise(cleaned)).to_series().rename(values.name)


def _user_ids(values: pl.Series) -> tuple[pl.Series, pl.DataFrame | None]:
    as_integers = integer_ids(values)
    if as_integers.null_count() == 0 and as_integers.is_between(INT32_MIN, INT32_MAX).all():
        return as_integers.cast(pl.Int32), None
    return dense_ids(values)
