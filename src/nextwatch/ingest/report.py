"""The ingestion report: where every input row went. It is what ``ingest_report.json`` holds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

__all__ = ["DROP_REASONS", "IngestReport"]

# Why a row is dropped, in the order rows are judged: a row with several problems counts once, under the first.
# The order follows the log's column order (see nextwatch.schema.LOG_COLUMNS).
DROP_REASONS: Final = (
    "null_user_id",
    "user_id_out_of_range",
    "null_playback_session_id",
    "playback_session_id_out_of_range",
    "null_show_id",
    "show_id_out_of_range",
    "empty_asset_type",
    "null_episode_id",
    "episode_id_out_of_range",
    "bad_day",
    "bad_time",
    "null_watch_minutes",
    "negative_watch_minutes",
)


@dataclass(frozen=True)
class IngestReport:
    """Counts of one ingestion: ``kept_rows + sum(dropped.values()) + duplicate_rows == total_rows``.

    ``dropped`` holds every reason of ``DROP_REASONS`` in that order, zeros included. ``capped_watch_minutes`` counts
    kept rows whose ``watch_minutes`` was cut to ``watch_minutes_cap`` (they are kept, not dropped).
    ``unknown_asset_types`` counts kept rows per asset type outside ``ASSET_TYPES`` (kept as their own category).
    """

    source: str
    total_rows: int
    kept_rows: int
    dropped: Mapping[str, int]
    duplicate_rows: int
    capped_watch_minutes: int
    watch_minutes_cap: int
    strict: bool
    ignored_columns: tuple[str, ...] = ()
    unknown_asset_types: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if tuple(self.dropped) != DROP_REASONS:
            raise ValueError(f"dropped must hold exactly the reasons {DROP_REASONS}, got {tuple(self.dropped)}")
        accounted = self.kept_rows + sum(self.dropped.values()) + self.duplicate_rows
        if accounted != self.total_rows:
            raise ValueError(f"report accounts for {accounted} rows, not the {self.total_rows} read")

    @property
    def dropped_rows(self) -> int:
        """Rows dropped as invalid (duplicates not included)."""
        return sum(self.dropped.values())

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "source": self.source,
            "total_rows": self.total_rows,
            "kept_rows": self.kept_rows,
            "dropped": dict(self.dropped),
            "duplicate_rows": self.duplicate_rows,
            "capped_watch_minutes": self.capped_watch_minutes,
            "watch_minutes_cap": self.watch_minutes_cap,
            "strict": self.strict,
            "ignored_columns": list(self.ignored_columns),
            "unknown_asset_types": dict(self.unknown_asset_types),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> IngestReport:
        """Read back what ``to_dict`` wrote; a missing or unknown key raises KeyError or TypeError."""
        fields = dict(data)
        fields["dropped"] = {reason: int(count) for reason, count in fields["dropped"].items()}
        fields["ignored_columns"] = tuple(fields.get("ignored_columns", ()))
        fields["unknown_asset_types"] = dict(fields.get("unknown_asset_types", {}))
        return cls(**fields)
