"""Baselines every model is judged against, each a Scorer fit on a dataset's training plays.

- ``popular``: play counts over every training play.
- ``popular_recent``: play counts over the last 7 days of training data (``day_number > last day - 7``).
- ``repeat_recent``: the window's own shows first, by recency and frequency, then popular (see RepeatRecentScorer).
- ``transitions``: what viewers played right after the window's newest show (next-play counts within each
  viewer's training plays, in log order), then popular; popular alone for a show never followed by another.

Scores are float64 so that the popular tie-break, a fraction below 1 added to whole counts, stays exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import polars as pl
import torch

from nextwatch.evaluation.scoring import Scorer
from nextwatch.sequences.dataset_files import Dataset
from nextwatch.sequences.vocabulary import PAD_INDEX, Vocabulary

__all__ = [
    "BASELINE_NAMES",
    "RECENT_DAYS",
    "REPEAT_DECAY",
    "PopularScorer",
    "RepeatRecentScorer",
    "TransitionScorer",
    "fit_baselines",
    "play_counts",
    "transition_counts",
]

BASELINE_NAMES: Final = ("popular", "popular_recent", "repeat_recent", "transitions")
RECENT_DAYS: Final = 7
REPEAT_DECAY: Final = 0.8


def play_counts(train_plays: pl.DataFrame, vocabulary: Vocabulary, recent_days: int | None = None) -> torch.Tensor:
    """Plays per show index, ``(num_shows + 1,)`` float64 (padding 0); optionally only the last ``recent_days``.

    >>> plays = pl.DataFrame({"show_id": [20, 20, 10], "day_number": [1, 9, 9]})
    >>> play_counts(plays, Vocabulary.build([10, 20, 30], []), recent_days=7).tolist()
    [0.0, 1.0, 1.0, 0.0]
    """
    plays = train_plays
    if recent_days is not None and len(plays) > 0:
        last_day = int(plays["day_number"].max())  # type: ignore[arg-type]
        plays = plays.filter(pl.col("day_number") > last_day - recent_days)
    index = vocabulary.show_index(plays["show_id"].to_numpy())
    counts = np.bincount(index, minlength=vocabulary.num_shows + 1).astype(np.float64)
    counts[PAD_INDEX] = 0.0
    return torch.from_numpy(counts)


def popularity_fraction(counts: torch.Tensor) -> torch.Tensor:
    """Counts mapped into [0, 1), order kept: the tie-break added below any whole-number score."""
    return counts / (float(counts.max()) + 1.0) if len(counts) else counts


@dataclass(frozen=True)
class PopularScorer:
    """The same scores for every window: play counts."""

    counts: torch.Tensor  # (num_shows + 1,) float64

    def __call__(self, show_index: torch.Tensor, asset_index: torch.Tensor, minutes: torch.Tensor) -> torch.Tensor:
        return self.counts.unsqueeze(0).expand(show_index.shape[0], -1).clone()


@dataclass(frozen=True)
class RepeatRecentScorer:
    """The window's own shows, most recent and most frequent first, then every other show by popularity.

    An own show ``s`` scores ``2 + sum over its plays in the window of decay ** age`` (age 0 is the newest play,
    1 the one before, ...), so frequency adds up and recency weighs each play; every other show scores its
    popularity fraction in [0, 1), strictly below any own show. Own shows break ties by popularity as well
    (``1e-6 *`` the fraction, below any difference of recency-frequency sums that matters).
    """

    popular: torch.Tensor  # (num_shows + 1,) float64 counts
    decay: float = REPEAT_DECAY

    def __call__(self, show_index: torch.Tensor, asset_index: torch.Tensor, minutes: torch.Tensor) -> torch.Tensor:
        batch, window = show_index.shape
        age = torch.arange(window - 1, -1, -1, dtype=torch.float64)
        weights = (self.decay**age).expand(batch, -1) * (show_index != PAD_INDEX)  # (batch, window)
        own = torch.zeros((batch, len(self.popular)), dtype=torch.float64).scatter_add_(1, show_index, weights)
        own[:, PAD_INDEX] = 0.0
        fraction = popularity_fraction(self.popular).unsqueeze(0)  # (1, num_shows + 1)
        return torch.where(own > 0, 2.0 + own + 1e-6 * fraction, fraction)


@dataclass(frozen=True)
class TransitionScorer:
    """Next-play counts after the window's newest show (a CSR matrix over show indices), popular to break ties.

    A show scores ``count(newest -> show) + popularity fraction``: any show seen after the newest one ranks above
    every show never seen after it, and equal counts go to the more popular show.
    """

    offsets: npt.NDArray[np.int64]  # (num_shows + 2,) row offsets, row = previous show index
    columns: npt.NDArray[np.int64]  # next show index of each stored pair
    counts: npt.NDArray[np.float64]  # times that pair was played in a row
    popular: torch.Tensor  # (num_shows + 1,) float64 counts

    def __call__(self, show_index: torch.Tensor, asset_index: torch.Tensor, minutes: torch.Tensor) -> torch.Tensor:
        batch = show_index.shape[0]
        last = show_index[:, -1].numpy()
        starts, stops = self.offsets[last], self.offsets[last + 1]
        lengths = stops - starts
        rows = np.repeat(np.arange(batch), lengths)
        positions = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(int(lengths.sum()))
        scores = popularity_fraction(self.popular).unsqueeze(0).repeat(batch, 1)
        scores[torch.from_numpy(rows), torch.from_numpy(self.columns[positions])] += torch.from_numpy(
            self.counts[positions]
        )
        return scores


def transition_counts(
    train_plays: pl.DataFrame, vocabulary: Vocabulary
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """CSR (offsets, columns, counts) of next-play pairs within each viewer's plays, taken in the frame's order.

    >>> plays = pl.DataFrame({"user_id": [1, 1, 1, 2, 2], "show_id": [10, 20, 10, 20, 10]})
    >>> offsets, columns, counts = transition_counts(plays, Vocabulary.build([10, 20], []))
    >>> offsets.tolist(), columns.tolist(), counts.tolist()
    ([0, 0, 1, 2], [2, 1], [1.0, 2.0])
    """
    size = vocabulary.num_shows + 1
    users = train_plays["user_id"].to_numpy()
    index = vocabulary.show_index(train_plays["show_id"].to_numpy())
    same_viewer = users[1:] == users[:-1]
    pairs = np.unique(index[:-1][same_viewer] * size + index[1:][same_viewer], return_counts=True)
    previous, following = np.divmod(pairs[0].astype(np.int64), size)
    offsets = np.zeros(size + 1, dtype=np.int64)
    np.add.at(offsets, previous + 1, 1)
    return np.cumsum(offsets), following.astype(np.int64), pairs[1].astype(np.float64)


def fit_baselines(dataset: Dataset, decay: float = REPEAT_DECAY) -> dict[str, Scorer]:
    """Every baseline fit on ``dataset.train_plays``, by name, in BASELINE_NAMES order."""
    vocabulary = dataset.vocabulary
    counts = play_counts(dataset.train_plays, vocabulary)
    offsets, columns, pair_counts = transition_counts(dataset.train_plays, vocabulary)
    return {
        "popular": PopularScorer(counts),
        "popular_recent": PopularScorer(play_counts(dataset.train_plays, vocabulary, recent_days=RECENT_DAYS)),
        "repeat_recent": RepeatRecentScorer(counts, decay=decay),
        "transitions": TransitionScorer(offsets, columns, pair_counts, counts),
    }
