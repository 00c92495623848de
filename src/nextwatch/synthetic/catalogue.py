"""The synthetic catalogue: series, films and live-channel programmes, each with a genre and a popularity.

Show ids are ``1..shows``; arrays here are indexed by show id (index 0 is an unused placeholder), so
``catalogue.kind[show_id]`` reads directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, TypeVar

import numpy as np
import numpy.typing as npt

__all__ = [
    "FILM",
    "GENRE_SHARES",
    "HOUR_WEIGHTS",
    "PROGRAMME",
    "SERIES",
    "TOP_CANDIDATES",
    "Catalogue",
    "build_catalogue",
]

ScalarT = TypeVar("ScalarT", bound=np.generic)
IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]

SERIES: Final = 0
FILM: Final = 1
PROGRAMME: Final = 2  # a live-channel programme, aired every day at one scheduled hour

KIND_SHARES: Final = (0.50, 0.35, 0.15)
# drama, comedy, crime, documentary, kids, news, sport, reality, action, sci-fi, romance, music
GENRE_SHARES: Final = (0.16, 0.12, 0.10, 0.10, 0.09, 0.06, 0.07, 0.08, 0.08, 0.05, 0.05, 0.04)
# Popularity of the show at popularity rank r is r ** -POPULARITY_EXPONENT (Zipf); ranks are shuffled over shows.
POPULARITY_EXPONENT: Final = 0.8
# Programmes rank among themselves and more steeply: live viewers come back to the same few programmes.
PROGRAMME_POPULARITY_EXPONENT: Final = 1.4
# Relative weight of each hour of the day 00..23, for programme schedules and for viewers' session starts.
HOUR_WEIGHTS: Final = (
    0.6, 0.3, 0.2, 0.1, 0.1, 0.2, 0.6, 1.0, 1.0, 0.8, 0.8, 0.9,
    1.1, 1.1, 1.1, 1.3, 1.6, 2.2, 3.2, 4.4, 5.6, 5.8, 4.4, 2.0,
)  # fmt: skip
PROGRAMME_LENGTHS: Final = (15, 30, 45, 60, 90, 120)
# How many shows of each (genre) and (hour, genre) the oracle keeps as candidates: its top 10 come from these.
TOP_CANDIDATES: Final = 10


@dataclass(frozen=True)
class Catalogue:
    """Every show's fixed attributes, plus the sampling tables the simulation and the oracle share.

    ``vod_*``: series and films (the on-demand catalogue) ordered by genre, with each genre's cumulative
    popularity normalised into ``(genre, genre + 1]``, so one ``searchsorted(vod_cumulative, genre + u)`` draws a
    show of that genre in proportion to its popularity. ``live_*``: the same for programmes per (hour, genre)
    block ``hour * genres + genre``.
    """

    kind: IntArray  # (shows + 1,)
    genre: IntArray
    popularity: FloatArray
    episodes: IntArray  # number of episodes; a programme has one per day of the log
    first_episode_id: IntArray  # episode ids of show s are first_episode_id[s] .. first_episode_id[s] + episodes[s] - 1
    length: IntArray  # minutes of one episode
    air_hour: IntArray  # programmes: the hour they air every day; -1 for series and films
    vod_show_ids: IntArray
    vod_cumulative: FloatArray
    vod_genre_mass: FloatArray  # (genres,) total popularity of the genre's series and films
    series_show_ids: IntArray
    series_cumulative: FloatArray
    live_show_ids: IntArray
    live_cumulative: FloatArray
    live_mass: FloatArray  # (24, genres) total popularity of the programmes airing at that hour in that genre
    vod_top: IntArray  # (genres, TOP_CANDIDATES) most popular series/films per genre, -1 where fewer
    live_top: IntArray  # (24, genres, TOP_CANDIDATES) most popular programmes per (hour, genre), -1 where fewer

    @property
    def shows(self) -> int:
        return len(self.kind) - 1

    @property
    def genres(self) -> int:
        return len(self.vod_genre_mass)


def build_catalogue(shows: int, days: int, rng: np.random.Generator) -> Catalogue:
    """Draw a catalogue of ``shows`` shows; every genre has a series and a film, every hour a programme."""
    genres = len(GENRE_SHARES)
    kind = _kinds(shows, rng)
    genre = np.empty(shows, dtype=np.int32)
    for k in (SERIES, FILM, PROGRAMME):
        members = np.flatnonzero(kind == k)
        drawn = rng.choice(genres, size=len(members), p=_normalised(GENRE_SHARES)).astype(np.int32)
        drawn[: min(genres, len(members))] = np.arange(min(genres, len(members)), dtype=np.int32)
        genre[members] = drawn
    popularity = np.empty(shows, dtype=np.float64)
    for members, exponent in (
        (np.flatnonzero(kind != PROGRAMME), POPULARITY_EXPONENT),
        (np.flatnonzero(kind == PROGRAMME), PROGRAMME_POPULARITY_EXPONENT),
    ):
        popularity[members] = (rng.permutation(len(members)) + 1.0) ** -exponent

    episodes = np.ones(shows, dtype=np.int32)
    series = kind == SERIES
    episodes[series] = np.clip(np.round(rng.lognormal(np.log(12.0), 0.9, series.sum())), 2, 300).astype(np.int32)
    episodes[kind == PROGRAMME] = days
    length = np.empty(shows, dtype=np.int32)
    length[series] = 5 * rng.integers(4, 13, series.sum())  # 20..60 minutes
    length[kind == FILM] = rng.integers(80, 151, (kind == FILM).sum())
    programmes = np.flatnonzero(kind == PROGRAMME)
    length[programmes] = rng.choice(PROGRAMME_LENGTHS, size=len(programmes))
    air_hour = np.full(shows, -1, dtype=np.int32)
    hours = rng.choice(24, size=len(programmes), p=_normalised(HOUR_WEIGHTS)).astype(np.int32)
    hours[:24] = np.arange(24, dtype=np.int32)
    air_hour[programmes] = hours

    kind, genre, episodes, length, air_hour = (
        _with_placeholder(array) for array in (kind, genre, episodes, length, air_hour)
    )
    popularity = _with_placeholder(popularity)
    kind[0] = -1
    air_hour[0] = -1
    first_episode_id = np.zeros(shows + 1, dtype=np.int32)
    first_episode_id[1:] = 1 + np.concatenate(([0], np.cumsum(episodes[1:-1], dtype=np.int64))).astype(np.int32)

    show_ids = np.arange(1, shows + 1, dtype=np.int32)
    is_vod = (kind[1:] == SERIES) | (kind[1:] == FILM)
    vod_ids, vod_cum, vod_mass = _block_table(show_ids[is_vod], genre[1:][is_vod], popularity, genres)
    is_series = kind[1:] == SERIES
    series_ids, series_cum, _ = _block_table(show_ids[is_series], genre[1:][is_series], popularity, genres)
    is_live = kind[1:] == PROGRAMME
    live_block = air_hour[1:][is_live] * genres + genre[1:][is_live]
    live_ids, live_cum, live_mass = _block_table(show_ids[is_live], live_block, popularity, 24 * genres)
    return Catalogue(
        kind=kind,
        genre=genre,
        popularity=popularity,
        episodes=episodes,
        first_episode_id=first_episode_id,
        length=length,
        air_hour=air_hour,
        vod_show_ids=vod_ids,
        vod_cumulative=vod_cum,
        vod_genre_mass=vod_mass,
        series_show_ids=series_ids,
        series_cumulative=series_cum,
        live_show_ids=live_ids,
        live_cumulative=live_cum,
        live_mass=live_mass.reshape(24, genres),
        vod_top=_top_per_block(vod_ids, genre[vod_ids], popularity, genres),
        live_top=_top_per_block(live_ids, air_hour[live_ids] * genres + genre[live_ids], popularity, 24 * genres)
        .reshape(24, genres, TOP_CANDIDATES),
    )


def _kinds(shows: int, rng: np.random.Generator) -> IntArray:
    counts = np.floor(np.asarray(KIND_SHARES) * shows).astype(np.int64)
    counts[PROGRAMME] = max(counts[PROGRAMME], 24)
    counts[SERIES] = shows - counts[FILM] - counts[PROGRAMME]
    kind = np.repeat(np.arange(3, dtype=np.int32), counts)
    return rng.permutation(kind).astype(np.int32)


def _block_table(
    show_ids: IntArray, block: IntArray, popularity: FloatArray, blocks: int
) -> tuple[IntArray, FloatArray, FloatArray]:
    """Shows ordered by block, their cumulative popularity normalised into (block, block + 1], each block's mass."""
    order = np.lexsort((show_ids, block))
    ids = show_ids[order]
    block_sorted = block[order].astype(np.int64)
    weights = popularity[ids]
    mass = np.bincount(block_sorted, weights=weights, minlength=blocks)
    running = np.cumsum(weights)
    first = np.r_[True, block_sorted[1:] != block_sorted[:-1]]
    first_index = np.maximum.accumulate(np.where(first, np.arange(len(ids)), 0))
    before = np.where(first_index > 0, running[np.maximum(first_index - 1, 0)], 0.0)
    within = (running - before) / mass[block_sorted]
    # The last show of a block ends exactly at block + 1 so that every draw block + u, 0 <= u < 1, lands inside.
    last = np.r_[block_sorted[1:] != block_sorted[:-1], True]
    within[last] = 1.0
    cumulative: FloatArray = block_sorted + within
    return ids, cumulative, mass.astype(np.float64)


def _top_per_block(show_ids: IntArray, block: IntArray, popularity: FloatArray, blocks: int) -> IntArray:
    top = np.full((blocks, TOP_CANDIDATES), -1, dtype=np.int32)
    order = np.lexsort((show_ids, -popularity[show_ids], block))
    ids, block_sorted = show_ids[order], block[order]
    starts = np.searchsorted(block_sorted, np.arange(blocks))
    rank = np.arange(len(ids)) - starts[block_sorted]
    keep = rank < TOP_CANDIDATES
    top[block_sorted[keep], rank[keep]] = ids[keep]
    return top


def _with_placeholder(array: npt.NDArray[ScalarT]) -> npt.NDArray[ScalarT]:
    """Prepend index 0, which no show uses, so that arrays are indexed by show id."""
    return np.concatenate((np.zeros(1, dtype=array.dtype), array))


def _normalised(weights: tuple[float, ...]) -> FloatArray:
    values = np.asarray(weights, dtype=np.float64)
    normalised: FloatArray = values / values.sum()
    return normalised
