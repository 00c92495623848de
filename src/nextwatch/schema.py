"""The playback log's schema: the one contract between a streaming service's export and nextwatch."""

from __future__ import annotations

from typing import Final

import polars as pl

__all__ = [
    "ASSET_TYPES",
    "LOG_COLUMNS",
    "LOG_FILE_NAME",
    "WATCH_MINUTES_CAP",
]

LOG_FILE_NAME: Final = "playback_sessions.parquet"

# Column name -> polars dtype, in file order.
LOG_COLUMNS: Final[dict[str, pl.DataType]] = {
    "user_id": pl.Int32(),
    "playback_session_id": pl.Int32(),
    "show_id": pl.Int32(),
    "asset_type": pl.String(),
    "episode_id": pl.Int32(),
    "day": pl.String(),
    "time": pl.String(),
    "watch_minutes": pl.Int32(),
}

# The four asset types a service exports; ingestion keeps any other non-empty type as its own category.
ASSET_TYPES: Final = ("VOD", "RECORDING", "CHANNEL", "LOOKBACK")

# A play longer than a day is a player left running: ingestion caps watch_minutes here.
WATCH_MINUTES_CAP: Final = 1440
