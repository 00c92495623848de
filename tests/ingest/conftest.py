"""Tiny hand-built playback logs written to parquet in the test's tmp_path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from nextwatch.schema import LOG_COLUMNS

LogRows = Callable[[int], dict[str, list[Any]]]
LogWriter = Callable[..., Path]


def _log_rows(count: int) -> dict[str, list[Any]]:
    """``count`` valid, distinct plays of viewer 1, one per minute of day 1, in order."""
    return {
        "user_id": [1] * count,
        "playback_session_id": list(range(100, 100 + count)),
        "show_id": [10 + i % 3 for i in range(count)],
        "asset_type": ["VOD"] * count,
        "episode_id": [500 + i for i in range(count)],
        "day": ["1"] * count,
        "time": [f"08:{i:02d}" for i in range(count)],
        "watch_minutes": [30] * count,
    }


@pytest.fixture
def log_rows() -> LogRows:
    """``log_rows(count)``: ``count`` valid, distinct plays of viewer 1, one per minute of day 1, in order."""
    return _log_rows


@pytest.fixture
def write_log(tmp_path: Path) -> LogWriter:
    """Write columns to a parquet file; columns named in LOG_COLUMNS get the schema type unless ``dtypes`` says."""

    def write(columns: dict[str, list[Any]], dtypes: dict[str, pl.DataType] | None = None, name: str = "log") -> Path:
        schema = {column: (dtypes or {}).get(column, LOG_COLUMNS.get(column, pl.Int64())) for column in columns}
        path = tmp_path / f"{name}.parquet"
        pl.DataFrame(columns, schema=schema).write_parquet(path)
        return path

    return write
