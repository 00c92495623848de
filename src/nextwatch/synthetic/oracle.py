"""The oracle: the generator's own next-show distribution, ranked; the ceiling any model can expect on its log.

For a play, the oracle takes the viewer's hidden state just before it (see ``nextwatch.synthetic.choice``) and
lists the ``ORACLE_TOP_K`` shows of highest probability. Only a few shows can have a non-zero ``same``,
``follow`` or ``habit`` term. A series or film's remaining probability, ``w_disc * taste[g] * popularity /
mass[g]``, ranks shows within their genre by popularity; a programme's ``w_live`` term does the same within its
hour and genre. So the top 10 always lies among: the current show, the habit programme, the followed series, the
10 most popular series/films of each genre and the 10 most popular programmes of each genre airing at that
hour. The oracle scores each candidate with its full probability (all five terms: a discovery draw that lands on
a followed or just-played show adds to it) and ranks them, ties by show id.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt
import polars as pl

from nextwatch.errors import InvalidInputError
from nextwatch.synthetic.catalogue import FILM, PROGRAMME, SERIES, Catalogue
from nextwatch.synthetic.choice import ChoiceState, live_genre_weights, mixture_weights

__all__ = [
    "ORACLE_COLUMNS",
    "ORACLE_TOP_K",
    "next_show_probabilities",
    "oracle_recall",
    "oracle_top_shows",
]

IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]

ORACLE_TOP_K: Final = 10
ORACLE_COLUMNS: Final[dict[str, pl.DataType]] = {
    "user_id": pl.Int32(),
    "play_position": pl.Int32(),
    "is_last_play": pl.Boolean(),
    "is_sampled": pl.Boolean(),
    "top_show_ids": pl.List(pl.Int32()),
}


def next_show_probabilities(state: ChoiceState, catalogue: Catalogue, shows: IntArray) -> FloatArray:
    """(m, len(shows)) probability that each viewer's next play is each of ``shows`` (one row of show ids per
    viewer, shape (m, c), or one list for all, shape (c,)); show id 0 gets probability 0."""
    weights = mixture_weights(state, catalogue)
    candidates = np.broadcast_to(shows, (len(state.current_show), shows.shape[-1]))
    rows = np.arange(len(candidates))[:, None]
    kind = catalogue.kind[candidates]
    genre = catalogue.genre[candidates]
    popularity = catalogue.popularity[candidates]
    taste = state.taste[rows, genre]
    same = weights.same[:, None] * (candidates == state.current_show[:, None])
    slots = np.arange(state.followed.shape[1])[None, :] < state.followed_count[:, None]
    matches = ((candidates[:, :, None] == state.followed[:, None, :]) & slots[:, None, :]).sum(axis=2)
    follow = np.where(state.followed_count > 0, weights.follow / np.maximum(state.followed_count, 1), 0.0)
    on_demand = (kind == SERIES) | (kind == FILM)
    discovery = np.where(on_demand, taste * popularity / catalogue.vod_genre_mass[genre], 0.0)
    live_total = live_genre_weights(state.taste, state.hour, catalogue).sum(axis=1)
    airing = (kind == PROGRAMME) & (catalogue.air_hour[candidates] == state.hour[:, None])
    live = np.where(airing, taste * popularity / live_total[:, None], 0.0)
    habit = weights.habit[:, None] * (candidates == state.habit_show[:, None])
    probability: FloatArray = (
        same + follow[:, None] * matches + weights.discovery[:, None] * discovery + weights.live[:, None] * live + habit
    )
    return np.where(candidates > 0, probability, 0.0)


def oracle_top_shows(state: ChoiceState, catalogue: Catalogue) -> IntArray:
    """(m, ORACLE_TOP_K) show ids of highest next-play probability, most likely first, ties by show id."""
    m = len(state.current_show)
    candidates = np.concatenate(
        (
            state.current_show[:, None],
            state.habit_show[:, None],
            state.followed,
            np.broadcast_to(catalogue.vod_top.reshape(-1), (m, catalogue.vod_top.size)),
            catalogue.live_top[state.hour].reshape(m, -1),
        ),
        axis=1,
    )
    # Sorted by id, repeats of a show sit side by side: keep the first. -1 pads become the placeholder id 0.
    candidates = np.sort(np.maximum(candidates, 0), axis=1)
    probability = next_show_probabilities(state, catalogue, candidates)
    repeat = np.zeros_like(candidates, dtype=np.bool_)
    repeat[:, 1:] = candidates[:, 1:] == candidates[:, :-1]
    probability[repeat | (candidates == 0)] = -1.0
    # A stable sort of id-sorted candidates breaks ties by show id.
    order = np.argsort(-probability, axis=1, kind="stable")[:, :ORACLE_TOP_K]
    top: IntArray = np.take_along_axis(candidates, order, axis=1)
    return top


def oracle_recall(log: pl.DataFrame, oracle: pl.DataFrame) -> dict[str, float | int]:
    """How often the show actually played is among the oracle's top 10, over last plays and sampled plays.

    A play's position is its 0-based index in the viewer's plays ordered by (int(day), time,
    playback_session_id). An oracle row whose play is not in the log is an error.
    """
    for name in ORACLE_COLUMNS:
        if name not in oracle.columns:
            raise InvalidInputError(f"oracle file has no column {name!r}: write it with `nextwatch generate --oracle`")
    positions = (
        log.select("user_id", "show_id", pl.col("day").cast(pl.Int32).alias("day_number"), "time",
                   "playback_session_id")
        .sort("user_id", "day_number", "time", "playback_session_id", maintain_order=True)
        .with_columns(pl.int_range(pl.len()).over("user_id").cast(pl.Int32).alias("play_position"))
        .select("user_id", "play_position", "show_id")
    )
    joined = oracle.join(positions, on=["user_id", "play_position"], how="left")
    missing = joined.filter(pl.col("show_id").is_null())
    if missing.height:
        first = missing.row(0, named=True)
        raise InvalidInputError(
            f"oracle row for user {first['user_id']} play {first['play_position']} has no play in the log: "
            "use the oracle written together with this log"
        )
    hit = joined.with_columns(pl.col("top_show_ids").list.contains(pl.col("show_id")).alias("hit"))
    last = hit.filter(pl.col("is_last_play"))
    sampled = hit.filter(pl.col("is_sampled"))
    return {
        "last_play_recall@10": _mean(last["hit"]),
        "sampled_recall@10": _mean(sampled["hit"]),
        "last_plays": last.height,
        "sampled_plays": sampled.height,
    }


def _mean(hits: pl.Series) -> float:
    return float(hits.cast(pl.Float64).mean()) if len(hits) else float("nan")  # type: ignore[arg-type]
