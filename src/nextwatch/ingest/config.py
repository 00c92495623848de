"""How ingestion treats a log: drop and count invalid rows (default) or stop at the first one."""

from __future__ import annotations

from dataclasses import dataclass

from nextwatch.errors import InvalidOptionError
from nextwatch.schema import WATCH_MINUTES_CAP

__all__ = ["IngestConfig"]


@dataclass(frozen=True)
class IngestConfig:
    """How to treat a log's bad rows and long plays.

    ``strict``: stop at the first invalid row instead of dropping and counting it.
    ``watch_minutes_cap``: a longer play is kept with its ``watch_minutes`` cut to this (a player left running).
    """

    strict: bool = False
    watch_minutes_cap: int = WATCH_MINUTES_CAP

    def __post_init__(self) -> None:
        if not isinstance(self.strict, bool):
            raise InvalidOptionError(f"strict must be true or false, got {self.strict!r}")
        if isinstance(self.watch_minutes_cap, bool) or not isinstance(self.watch_minutes_cap, int):
            raise InvalidOptionError(f"watch_minutes_cap must be an integer, got {self.watch_minutes_cap!r}")
        if not 1 <= self.watch_minutes_cap <= 2**31 - 1:
            raise InvalidOptionError(
                f"watch_minutes_cap must be between 1 and 2147483647 minutes, got {self.watch_minutes_cap}"
            )
