"""The generator's one configuration: how big a log to make and from which seed."""

from __future__ import annotations

from dataclasses import dataclass

from nextwatch.errors import InvalidOptionError

__all__ = ["MAX_DAYS", "MAX_SHOWS", "MAX_USERS", "MIN_SHOWS", "GeneratorConfig"]

MAX_USERS = 5_000_000
MAX_DAYS = 366
# Fewer shows than this cannot hold one live programme per hour plus one film and series per genre.
MIN_SHOWS = 100
MAX_SHOWS = 1_000_000


@dataclass(frozen=True)
class GeneratorConfig:
    """Size and seed of a synthetic playback log; the defaults are the project's reference log.

    >>> GeneratorConfig(users=5_000, seed=7).days
    30
    """

    users: int = 100_000
    days: int = 30
    shows: int = 13_349
    seed: int = 42
    # Share of all plays, drawn at random, that the oracle also scores (besides every viewer's last play).
    oracle_sample_rate: float = 0.01

    def __post_init__(self) -> None:
        _check_range("users", self.users, 1, MAX_USERS)
        _check_range("days", self.days, 1, MAX_DAYS)
        _check_range("shows", self.shows, MIN_SHOWS, MAX_SHOWS)
        _check_range("seed", self.seed, 0, 2**63 - 1)
        rate = self.oracle_sample_rate
        if isinstance(rate, bool) or not isinstance(rate, float | int) or not 0.0 <= rate <= 1.0:
            raise InvalidOptionError(f"oracle_sample_rate must be a number in [0, 1], got {rate!r}")


def _check_range(name: str, value: object, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidOptionError(f"{name} must be an integer, got {value!r}")
    if not low <= value <= high:
        raise InvalidOptionError(f"{name} must be between {low:,} and {high:,}, got {value:,}")
