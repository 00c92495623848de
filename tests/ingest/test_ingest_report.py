"""IngestReport and IngestConfig: frozen, validated, and round-trip through plain data."""

from __future__ import annotations

import json
from typing import Any

import pytest

from nextwatch.errors import InvalidOptionError
from nextwatch.ingest import DROP_REASONS, IngestConfig, IngestReport


def _report(**changes: Any) -> IngestReport:
    dropped = dict.fromkeys(DROP_REASONS, 0) | {"bad_time": 2}
    fields: dict[str, Any] = {
        "source": "log.parquet",
        "total_rows": 10,
        "kept_rows": 7,
        "dropped": dropped,
        "duplicate_rows": 1,
        "capped_watch_minutes": 3,
        "watch_minutes_cap": 1440,
        "strict": False,
        "ignored_columns": ("country",),
        "unknown_asset_types": {"PODCAST": 1},
    }
    return IngestReport(**(fields | changes))


def test_report_round_trips_through_json() -> None:
    """to_dict gives JSON-ready data that from_dict reads back to an equal report."""
    report = _report()
    assert IngestReport.from_dict(json.loads(json.dumps(report.to_dict()))) == report


def test_report_must_account_for_every_row() -> None:
    """A report whose counts do not add up to total_rows is refused."""
    with pytest.raises(ValueError, match="accounts for 9 rows, not the 10"):
        _report(kept_rows=6)


def test_report_must_list_every_reason() -> None:
    """dropped must hold exactly DROP_REASONS, in order."""
    with pytest.raises(ValueError, match="dropped must hold exactly"):
        _report(dropped={"bad_time": 2}, kept_rows=7)


@pytest.mark.parametrize("cap", [0, -1, 1.5, True, 2**31])
def test_config_refuses_a_bad_cap(cap: Any) -> None:
    """watch_minutes_cap must be an integer from 1 to int32's maximum."""
    with pytest.raises(InvalidOptionError, match="watch_minutes_cap"):
        IngestConfig(watch_minutes_cap=cap)


def test_config_refuses_unknown_keys() -> None:
    """A misspelt option fails loudly."""
    with pytest.raises(TypeError):
        IngestConfig(strickt=True)  # type: ignore[call-arg]
