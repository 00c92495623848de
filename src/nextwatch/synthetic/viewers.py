"""Synthetic viewers: how much, what and when each one watches, and when their sessions start."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from nextwatch.synthetic.catalogue import GENRE_SHARES, HOUR_WEIGHTS

__all__ = ["FOLLOW_SLOTS", "Viewers", "draw_viewers", "session_starts"]

IntArray = npt.NDArray[np.int32]
Int64Array = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

# Plays over 30 days are lognormal: median PLAYS_MEDIAN, log-sd PLAYS_SIGMA (scaled to the log's length).
PLAYS_MEDIAN: Final = 50.0
PLAYS_SIGMA: Final = 1.05
PLAYS_MAX_PER_DAY: Final = 20
# Dirichlet concentration of a viewer's genre taste, per unit of genre share (low: a few favourite genres).
TASTE_CONCENTRATION: Final = 6.0
TASTE_FLOOR: Final = 1e-3
# Shares of viewers who mostly watch live TV and who mostly watch recordings.
LIVE_LOVERS: Final = 0.25
RECORDERS: Final = 0.20
FOLLOW_SLOTS: Final = 6
# Saturday and Sunday (days 6, 7, 13, 14, ... : day 1 is a Monday) and Friday draw more sessions.
WEEKDAY_WEIGHTS: Final = (1.0, 1.0, 1.0, 1.0, 1.15, 1.45, 1.45)
HOUR_SHIFT_SD: Final = 1.2
# A session starts early enough to leave this many minutes for each play still to come before the log ends.
MINUTES_RESERVED_PER_PLAY: Final = 45


@dataclass(frozen=True)
class Viewers:
    """Per-viewer parameters, in simulation order (most plays first); ``user_id`` is the id in the log."""

    user_id: IntArray
    plays: IntArray
    taste: FloatArray  # (viewers, genres), rows sum to 1
    binge: FloatArray  # chance to play the next episode of the series just played, within a session
    live_share: FloatArray  # share of fresh choices made from what airs now
    discovery_share: FloatArray  # share of the remaining fresh choices that are discovery, not a followed series
    recording_share: FloatArray  # share of on-demand plays that are recordings rather than VOD
    continuation: FloatArray  # chance that a play is followed by another in the same session
    hour_shift: IntArray  # the viewer's daily rhythm: the evening peak moved by this many hours

    @property
    def count(self) -> int:
        return len(self.user_id)


def draw_viewers(users: int, days: int, rng: np.random.Generator) -> Viewers:
    """Draw ``users`` viewers and order them by number of plays, most first (ties by user id)."""
    median = PLAYS_MEDIAN * days / 30.0
    cap = PLAYS_MAX_PER_DAY * days
    plays = np.clip(np.round(rng.lognormal(np.log(median), PLAYS_SIGMA, users)), 1, cap).astype(np.int32)
    user_id = (rng.permutation(users) + 1).astype(np.int32)
    alpha = TASTE_CONCENTRATION * np.asarray(GENRE_SHARES) / np.sum(GENRE_SHARES)
    taste = rng.dirichlet(alpha, users) + TASTE_FLOOR
    taste /= taste.sum(axis=1, keepdims=True)
    live_lover = rng.random(users) < LIVE_LOVERS
    live_share = np.where(live_lover, rng.beta(6.0, 3.0, users), rng.beta(1.2, 8.0, users))
    recorder = rng.random(users) < RECORDERS
    recording_share = np.where(recorder, rng.beta(5.0, 2.0, users), rng.beta(1.0, 15.0, users))
    viewers = Viewers(
        user_id=user_id,
        plays=plays,
        taste=taste,
        binge=rng.beta(7.0, 2.5, users),
        live_share=live_share,
        discovery_share=rng.beta(1.5, 11.0, users),
        recording_share=recording_share,
        continuation=np.clip(rng.beta(2.5, 2.5, users), 0.05, 0.8),
        hour_shift=np.round(rng.normal(0.0, HOUR_SHIFT_SD, users)).astype(np.int32),
    )
    order = np.lexsort((viewers.user_id, -viewers.plays))
    return Viewers(**{name: getattr(viewers, name)[order] for name in viewers.__dataclass_fields__})


def session_starts(
    viewers: Viewers, days: int, rng: np.random.Generator
) -> tuple[BoolArray, Int64Array, Int64Array]:
    """Decide which plays open a session and when each session starts.

    Returns ``opens`` (one flag per play, viewers' blocks in simulation order; each viewer's first play opens a
    session), ``starts`` (minute since the log's start of every session, sorted within each viewer, blocks in
    the same order) and ``first_session`` (index into ``starts`` of each viewer's first session).

    A session that would leave too little time for the viewer's remaining plays moves back by whole days (its
    time of day kept), so the log's last minutes do not fill up with plays that ran out of month.
    """
    total = int(viewers.plays.sum(dtype=np.int64))
    first_play = np.concatenate(([0], np.cumsum(viewers.plays[:-1], dtype=np.int64)))
    continuation = np.repeat(viewers.continuation, viewers.plays)
    opens = rng.random(total) >= continuation
    opens[first_play] = True
    sessions = np.add.reduceat(opens.astype(np.int64), first_play)
    owner = np.repeat(np.arange(viewers.count), sessions)
    day_weights = np.resize(np.asarray(WEEKDAY_WEIGHTS), days)
    day = rng.choice(days, size=len(owner), p=day_weights / day_weights.sum())
    hour_weights = np.asarray(HOUR_WEIGHTS) / np.sum(HOUR_WEIGHTS)
    hour = (rng.choice(24, size=len(owner), p=hour_weights) + viewers.hour_shift[owner]) % 24
    minute = rng.integers(0, 60, len(owner))
    start = day.astype(np.int64) * 1440 + hour * 60 + minute
    start = _sorted_within_owner(start, owner, days)
    first_session = np.concatenate(([0], np.cumsum(sessions[:-1])))
    # Plays from each session to the viewer's last: reverse cumulative sum of session sizes within the viewer.
    session_plays = np.diff(np.r_[np.flatnonzero(opens), total])
    after_first = np.cumsum(session_plays) - session_plays
    remaining = viewers.plays[owner] - (after_first - first_play[owner])
    latest = days * 1440 - MINUTES_RESERVED_PER_PLAY * remaining
    late = start > latest
    start[late] -= 1440 * -(-(start[late] - latest[late]) // 1440)
    start = np.maximum(start, 0)
    return opens, _sorted_within_owner(start, owner, days), first_session


def _sorted_within_owner(start: Int64Array, owner: npt.NDArray[np.intp], days: int) -> Int64Array:
    """``start`` sorted by (owner, start); one int64 key sorts far faster than ``np.lexsort`` on millions."""
    key = owner.astype(np.int64) * (days * 1440 + 1) + start
    return start[np.argsort(key, kind="stable")]
