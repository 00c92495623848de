"""The play-by-play simulation, vectorised across viewers.

Viewers are ordered by number of plays, most first, so at step ``k`` the viewers still playing are the prefix
``[:active]`` and every state array is sliced, never gathered. Play ``k`` of viewer ``i`` is written at
``first_play[i] + k`` of flat output arrays; the frame is built from them at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from nextwatch.synthetic.catalogue import FILM, PROGRAMME, SERIES, Catalogue
from nextwatch.synthetic.choice import (
    COMPONENT_DISCOVERY,
    COMPONENT_FOLLOW,
    COMPONENT_HABIT,
    COMPONENT_LIVE,
    COMPONENT_SAME,
    ChoiceState,
    choose_shows,
)
from nextwatch.synthetic.oracle import ORACLE_TOP_K, oracle_top_shows
from nextwatch.synthetic.viewers import FOLLOW_SLOTS, Viewers, session_starts

__all__ = ["ASSET_CODES", "SimulatedPlays", "simulate"]

IntArray = npt.NDArray[np.int32]
Int64Array = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

ASSET_CODES: Final = ("VOD", "RECORDING", "CHANNEL", "LOOKBACK")
VOD, RECORDING, CHANNEL, LOOKBACK = range(4)
LOOKBACK_SHARE: Final = 0.03  # of plays chosen from what airs: watched from the start, via catch-up
TASTE_DRIFT_SD: Final = 0.08  # log-sd of the per-session multiplicative drift of each genre's taste
FOLLOWED_AT_START_MEAN: Final = 2.0
ADOPT_CHANCE: Final = 0.5  # a discovered series joins the followed ones with this chance
FIRST_EPISODE_CHANCE: Final = 0.75  # a discovered series starts at episode 1, else at a random one
ABANDON_CHANCE: Final = 0.07  # the play stops after 1-5 minutes
LEFT_RUNNING_CHANCE: Final = 0.0015  # the player is left running: more than 1,440 minutes
COMPLETION_BETA: Final = (6.0, 1.3)
SESSION_GAP_MAX: Final = 3  # minutes between plays in a session


@dataclass(frozen=True)
class SimulatedPlays:
    """Flat per-play arrays, viewers' blocks in simulation order, plays in time order within a block."""

    show_id: IntArray
    episode_id: IntArray
    asset_code: npt.NDArray[np.int8]
    minute: Int64Array  # minutes since the start of day 1
    watch_minutes: IntArray
    opens_session: BoolArray
    first_play: Int64Array  # (viewers,)
    oracle_viewer: IntArray  # viewer index (simulation order) of each oracle row
    oracle_position: IntArray
    oracle_sampled: BoolArray
    oracle_top: IntArray  # (oracle rows, ORACLE_TOP_K)


def simulate(
    catalogue: Catalogue,
    viewers: Viewers,
    days: int,
    rng: np.random.Generator,
    oracle_sample: BoolArray | None = None,
) -> SimulatedPlays:
    """Play every viewer's plays; with ``oracle_sample`` (one flag per play) also rank the true next-show
    distribution just before each flagged play and each viewer's last play."""
    plays = viewers.plays
    total = int(plays.sum(dtype=np.int64))
    first_play = np.concatenate(([0], np.cumsum(plays[:-1], dtype=np.int64)))
    opens, starts, first_session = session_starts(viewers, days, rng)
    limit = days * 1440

    show_out = np.empty(total, dtype=np.int32)
    episode_out = np.empty(total, dtype=np.int32)
    asset_out = np.empty(total, dtype=np.int8)
    minute_out = np.empty(total, dtype=np.int64)
    watch_out = np.empty(total, dtype=np.int32)

    taste = viewers.taste.copy()
    current_show = np.zeros(viewers.count, dtype=np.int32)
    current_episode = np.zeros(viewers.count, dtype=np.int32)
    followed, followed_count = _initial_followed(catalogue, taste, rng)
    followed_episode = np.zeros_like(followed)
    replace_next = np.zeros(viewers.count, dtype=np.int32)
    habit = np.zeros((viewers.count, 24), dtype=np.int32)  # last programme watched live at each hour
    session = first_session - 1
    next_free = np.zeros(viewers.count, dtype=np.int64)  # earliest minute the next play may start
    active_after = np.searchsorted(-plays, -np.arange(int(plays.max())), side="left")
    oracle_parts: list[tuple[IntArray, IntArray, BoolArray, IntArray]] = []

    for k, active in enumerate(active_after.tolist()):
        at = first_play[:active] + k
        opened = opens[at]
        session[:active] += opened
        wanted = np.where(opened, np.maximum(starts[session[:active]], next_free[:active]), next_free[:active])
        # Keep room for the viewer's remaining plays, one minute each, before the log's end.
        minute = np.minimum(wanted, limit - (plays[:active] - k))
        rows = np.flatnonzero(opened)
        drifted = taste[rows] * np.exp(rng.normal(0.0, TASTE_DRIFT_SD, (len(rows), taste.shape[1])))
        taste[rows] = drifted / drifted.sum(axis=1, keepdims=True)
        hour = ((minute // 60) % 24).astype(np.int32)
        state = ChoiceState(
            taste=taste[:active],
            current_show=current_show[:active],
            current_episode=current_episode[:active],
            followed=followed[:active],
            followed_count=followed_count[:active],
            hour=hour,
            habit_show=habit[np.arange(active), hour],
            in_session=~opened,
            binge=viewers.binge[:active],
            live_share=viewers.live_share[:active],
            discovery_share=viewers.discovery_share[:active],
        )
        if oracle_sample is not None:
            last = plays[:active] == k + 1
            scored = np.flatnonzero(oracle_sample[at] | last)
            if len(scored):
                top = oracle_top_shows(state.take(scored), catalogue)
                position = np.full(len(scored), k, dtype=np.int32)
                oracle_parts.append((scored.astype(np.int32), position, oracle_sample[at][scored], top))
        show, component, slot = choose_shows(state, catalogue, rng)
        day = (minute // 1440).astype(np.int32)
        episode = _episodes(catalogue, state, show, component, slot, followed_episode[:active], day, rng)
        asset = _asset_codes(catalogue, show, component, viewers.recording_share[:active], rng)
        watch = _watch_minutes(catalogue.length[show], rng)

        show_out[at], episode_out[at], asset_out[at] = show, episode, asset
        minute_out[at], watch_out[at] = minute, watch
        gap = rng.integers(0, SESSION_GAP_MAX + 1, active)
        next_free[:active] = minute + np.maximum(1, np.minimum(watch, catalogue.length[show])) + gap
        current_show[:active] = show
        live_rows = np.flatnonzero((component == COMPONENT_LIVE) | (component == COMPONENT_HABIT))
        habit[live_rows, hour[live_rows]] = show[live_rows]
        current_episode[:active] = episode - catalogue.first_episode_id[show] + 1
        _update_followed(catalogue, followed, followed_count, followed_episode, replace_next, show,
                         current_episode[:active], component, rng)

    oracle = _stack_oracle(oracle_parts)
    return SimulatedPlays(
        show_id=show_out,
        episode_id=episode_out,
        asset_code=asset_out,
        minute=minute_out,
        watch_minutes=watch_out,
        opens_session=opens,
        first_play=first_play,
        oracle_viewer=oracle[0],
        oracle_position=oracle[1],
        oracle_sampled=oracle[2],
        oracle_top=oracle[3],
    )


def _initial_followed(
    catalogue: Catalogue, taste: npt.NDArray[np.float64], rng: np.random.Generator
) -> tuple[IntArray, IntArray]:
    """A few series each viewer already follows when the log starts, drawn by taste and popularity."""
    viewers, genres = taste.shape
    wanted = np.minimum(1 + rng.poisson(FOLLOWED_AT_START_MEAN - 1.0, viewers), FOLLOW_SLOTS)
    cumulative = np.cumsum(taste, axis=1)
    genre = (cumulative[:, None, :] <= rng.random((viewers, FOLLOW_SLOTS, 1))).sum(axis=2)
    genre = np.minimum(genre, genres - 1)
    position = np.searchsorted(catalogue.series_cumulative, genre + rng.random((viewers, FOLLOW_SLOTS)), side="right")
    drawn = catalogue.series_show_ids[position]
    drawn[np.arange(FOLLOW_SLOTS)[None, :] >= wanted[:, None]] = 0
    # Drop repeats, then pack the distinct shows into the leading slots.
    ordered = np.sort(drawn, axis=1)
    ordered[:, 1:][ordered[:, 1:] == ordered[:, :-1]] = 0
    followed = -np.sort(-ordered, axis=1)
    return followed.astype(np.int32), (followed > 0).sum(axis=1).astype(np.int32)


def _episodes(
    catalogue: Catalogue,
    state: ChoiceState,
    show: IntArray,
    component: IntArray,
    slot: IntArray,
    followed_episode: IntArray,
    day: IntArray,
    rng: np.random.Generator,
) -> IntArray:
    """The episode id of each play: the next one of a series, today's of a programme, the only one of a film."""
    count = catalogue.episodes[show]
    random_episode = 1 + (rng.random(len(show)) * count).astype(np.int32)
    index = np.where(rng.random(len(show)) < FIRST_EPISODE_CHANCE, 1, random_episode)
    rows = np.flatnonzero(component == COMPONENT_FOLLOW)
    seen = followed_episode[rows, slot[rows]]
    index[rows] = np.where(seen < count[rows], seen + 1, random_episode[rows])
    same = component == COMPONENT_SAME
    index[same] = state.current_episode[same] + 1
    kind = catalogue.kind[show]
    index[kind == FILM] = 1
    programme = kind == PROGRAMME
    index[programme] = np.minimum(day[programme] + 1, count[programme])
    return (catalogue.first_episode_id[show] + index - 1).astype(np.int32)


def _asset_codes(
    catalogue: Catalogue,
    show: IntArray,
    component: IntArray,
    recording_share: npt.NDArray[np.float64],
    rng: np.random.Generator,
) -> npt.NDArray[np.int8]:
    draw = rng.random(len(show))
    on_demand = np.where(draw < recording_share, RECORDING, VOD)
    live = np.where(draw < LOOKBACK_SHARE, LOOKBACK, CHANNEL)
    from_air = (component == COMPONENT_LIVE) | (component == COMPONENT_HABIT)
    return np.where(from_air, live, on_demand).astype(np.int8)


def _watch_minutes(length: IntArray, rng: np.random.Generator) -> IntArray:
    """Length times a completion fraction; some plays are abandoned early, a few left running for over a day."""
    n = len(length)
    draw = rng.random(n)
    watched = np.maximum(1, np.round(length * rng.beta(*COMPLETION_BETA, n))).astype(np.int32)
    abandoned = np.flatnonzero(draw < ABANDON_CHANCE)
    watched[abandoned] = rng.integers(1, 6, len(abandoned), dtype=np.int32)
    left_running = np.flatnonzero(draw >= 1.0 - LEFT_RUNNING_CHANCE)
    watched[left_running] = np.minimum(1441 + rng.exponential(600.0, len(left_running)), 20_000).astype(np.int32)
    return watched


def _update_followed(
    catalogue: Catalogue,
    followed: IntArray,
    followed_count: IntArray,
    followed_episode: IntArray,
    replace_next: IntArray,
    show: IntArray,
    episode_index: IntArray,
    component: IntArray,
    rng: np.random.Generator,
) -> None:
    """Remember the episode reached in a followed series; a newly discovered series may join the followed."""
    active = len(show)
    hits = followed[:active] == show[:, None]
    hit_rows, hit_slots = np.nonzero(hits)
    followed_episode[hit_rows, hit_slots] = episode_index[hit_rows]
    adopt = (
        (component == COMPONENT_DISCOVERY)
        & (catalogue.kind[show] == SERIES)
        & ~hits.any(axis=1)
        & (rng.random(active) < ADOPT_CHANCE)
    )
    rows = np.flatnonzero(adopt)
    full = followed_count[rows] == FOLLOW_SLOTS
    target = np.where(full, replace_next[rows], followed_count[rows])
    followed[rows, target] = show[rows]
    followed_episode[rows, target] = episode_index[rows]
    followed_count[rows] = np.minimum(followed_count[rows] + 1, FOLLOW_SLOTS)
    replace_next[rows] = np.where(full, (replace_next[rows] + 1) % FOLLOW_SLOTS, replace_next[rows])


def _stack_oracle(
    parts: list[tuple[IntArray, IntArray, BoolArray, IntArray]],
) -> tuple[IntArray, IntArray, BoolArray, IntArray]:
    if not parts:
        empty = np.empty(0, dtype=np.int32)
        return empty, empty, np.empty(0, dtype=np.bool_), np.empty((0, ORACLE_TOP_K), dtype=np.int32)
    return (
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]),
        np.concatenate([p[2] for p in parts]),
        np.concatenate([p[3] for p in parts]),
    )
