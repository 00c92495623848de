"""How a viewer picks the next show: a mixture whose weights depend only on the viewer's hidden state.

The next play's show is drawn from

    P(s) = w_same   * [s = current show]
         + w_follow * (number of followed slots holding s) / (number of filled slots)
         + w_disc   * taste[genre(s)] * popularity(s) / vod_genre_mass[genre(s)]    (s a series or film)
         + w_habit  * [s = habit show]
         + w_live   * taste[genre(s)] * popularity(s) / sum_g taste[g] * live_mass[h, g]
                                                                                  (s a programme airing at h)

with ``h`` the hour the play starts and the habit show the programme the viewer last watched live at that hour.
The simulation samples from it (``choose_shows``) and the oracle ranks it (``nextwatch.synthetic.oracle``);
both take the weights from ``mixture_weights``, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Final

import numpy as np
import numpy.typing as npt

from nextwatch.synthetic.catalogue import SERIES, Catalogue

__all__ = [
    "COMPONENT_DISCOVERY",
    "COMPONENT_FOLLOW",
    "COMPONENT_HABIT",
    "COMPONENT_LIVE",
    "COMPONENT_SAME",
    "ChoiceState",
    "MixtureWeights",
    "choose_shows",
    "mixture_weights",
]

IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

COMPONENT_SAME: Final = 0
COMPONENT_FOLLOW: Final = 1
COMPONENT_DISCOVERY: Final = 2
COMPONENT_LIVE: Final = 3
COMPONENT_HABIT: Final = 4
# Of the choices made from what airs now, this share goes back to the programme last watched live at that hour.
LIVE_HABIT: Final = 0.7
# At the start of a new session, the chance to resume the series last played is the binge chance times this.
RESUME_FACTOR: Final = 0.55


@dataclass(frozen=True)
class ChoiceState:
    """The hidden state of ``m`` viewers just before a play: everything the next show depends on.

    ``current_show`` 0 means no play yet; ``followed`` holds show ids in its first ``followed_count`` slots
    (0 after them).
    """

    taste: FloatArray  # (m, genres), rows sum to 1
    current_show: IntArray
    current_episode: IntArray  # 1-based episode of the current show
    followed: IntArray  # (m, slots)
    followed_count: IntArray
    hour: IntArray  # hour of day the play starts, 0..23
    habit_show: IntArray  # programme last watched live at this hour of day, 0 if none
    in_session: BoolArray  # the play continues the session of the previous play
    binge: FloatArray
    live_share: FloatArray
    discovery_share: FloatArray

    def take(self, rows: npt.NDArray[np.intp]) -> ChoiceState:
        """The state of the viewers at ``rows`` only."""
        return ChoiceState(**{field.name: getattr(self, field.name)[rows] for field in fields(self)})


@dataclass(frozen=True)
class MixtureWeights:
    same: FloatArray
    follow: FloatArray
    discovery: FloatArray
    live: FloatArray
    habit: FloatArray


def mixture_weights(state: ChoiceState, catalogue: Catalogue) -> MixtureWeights:
    """The five component weights per viewer; they sum to 1.

    A viewer can continue only a series with an episode left; the follow weight goes to discovery when no
    series is followed, the habit weight to a fresh live choice when the viewer has no habit at that hour.
    """
    current = state.current_show
    can_continue = (catalogue.kind[current] == SERIES) & (state.current_episode < catalogue.episodes[current])
    same = np.where(can_continue, state.binge * np.where(state.in_session, 1.0, RESUME_FACTOR), 0.0)
    rest = 1.0 - same
    live_total = rest * state.live_share
    habit = np.where(state.habit_show > 0, live_total * LIVE_HABIT, 0.0)
    live = live_total - habit
    on_demand = rest - live_total
    follows = state.followed_count > 0
    follow = np.where(follows, on_demand * (1.0 - state.discovery_share), 0.0)
    discovery = np.where(follows, on_demand * state.discovery_share, on_demand)
    return MixtureWeights(same=same, follow=follow, discovery=discovery, live=live, habit=habit)


def live_genre_weights(taste: FloatArray, hour: IntArray, catalogue: Catalogue) -> FloatArray:
    """(m, genres): taste times the popularity on air in that genre at the play's hour."""
    weights: FloatArray = taste * catalogue.live_mass[hour]
    return weights


def choose_shows(
    state: ChoiceState, catalogue: Catalogue, rng: np.random.Generator
) -> tuple[IntArray, IntArray, IntArray]:
    """Draw each viewer's next show from the mixture; return (show ids, component, followed slot or -1)."""
    m = len(state.current_show)
    weights = mixture_weights(state, catalogue)
    draws = rng.random((m, 4))
    bounds = np.cumsum(np.stack((weights.same, weights.follow, weights.discovery, weights.live), axis=1), axis=1)
    component = (draws[:, :1] >= bounds).sum(axis=1).astype(np.int32)
    show = np.zeros(m, dtype=np.int32)
    slot = np.full(m, -1, dtype=np.int32)

    rows = np.flatnonzero(component == COMPONENT_SAME)
    show[rows] = state.current_show[rows]

    rows = np.flatnonzero(component == COMPONENT_FOLLOW)
    picked = np.minimum((draws[rows, 1] * state.followed_count[rows]).astype(np.int32), state.followed_count[rows] - 1)
    show[rows] = state.followed[rows, picked]
    slot[rows] = picked

    rows = np.flatnonzero(component == COMPONENT_DISCOVERY)
    genre = _draw_index(state.taste[rows], draws[rows, 2])
    position = np.searchsorted(catalogue.vod_cumulative, genre + draws[rows, 3], side="right")
    show[rows] = catalogue.vod_show_ids[position]

    rows = np.flatnonzero(component == COMPONENT_LIVE)
    genre = _draw_index(live_genre_weights(state.taste[rows], state.hour[rows], catalogue), draws[rows, 2])
    block = state.hour[rows] * catalogue.genres + genre
    position = np.searchsorted(catalogue.live_cumulative, block + draws[rows, 3], side="right")
    show[rows] = catalogue.live_show_ids[position]

    rows = np.flatnonzero(component == COMPONENT_HABIT)
    show[rows] = state.habit_show[rows]
    return show, component, slot


def _draw_index(weights: FloatArray, uniform: FloatArray) -> IntArray:
    """Per row, the index i with probability weights[i] / sum(weights) (zero weights are never drawn)."""
    cumulative = np.cumsum(weights, axis=1)
    threshold = uniform * cumulative[:, -1]
    index = (cumulative <= threshold[:, None]).sum(axis=1)
    drawn: IntArray = np.minimum(index, weights.shape[1] - 1).astype(np.int32)
    return drawn
