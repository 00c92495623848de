"""Importers: other shapes of log (MovieLens ratings, event exports) turned into the playback log schema."""

from __future__ import annotations

from nextwatch.importers.events import EventsConfig, import_events
from nextwatch.importers.movielens import MovieLensConfig, import_movielens
from nextwatch.importers.playlog import ImportReport, ImportResult, write_import

__all__ = [
    "EventsConfig",
    "ImportReport",
    "ImportResult",
    "MovieLensConfig",
    "import_events",
    "import_movielens",
    "write_import",
]
