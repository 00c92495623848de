"""Ingestion: read a playback log, validate it at the boundary, and hand the sequences stage a clean, ordered log.

See Contract 1 in docs/architecture.md: ``load_log(path, IngestConfig) -> LoadedLog`` and ``order_log(frame)``.
"""

from __future__ import annotations

from nextwatch.ingest.config import IngestConfig
from nextwatch.ingest.load import LoadedLog, load_log
from nextwatch.ingest.order import ORDER_COLUMNS, order_log
from nextwatch.ingest.report import DROP_REASONS, IngestReport

__all__ = ["DROP_REASONS", "ORDER_COLUMNS", "IngestConfig", "IngestReport", "LoadedLog", "load_log", "order_log"]
