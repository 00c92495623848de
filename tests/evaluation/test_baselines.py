"""Baselines on a hand-built training log: popularity, recent popularity, repeat-recent and transitions."""

import polars as pl
import torch

from nextwatch.evaluation.baselines import (
    BASELINE_NAMES,
    PopularScorer,
    RepeatRecentScorer,
    TransitionScorer,
    fit_baselines,
    play_counts,
    transition_counts,
)
from nextwatch.evaluation.metrics import top_k
from nextwatch.sequences.dataset_files import Dataset
from nextwatch.sequences.vocabulary import Vocabulary

VOCAB = Vocabulary.build([10, 20, 30, 40], ["VOD"])  # indices 1..4
# viewer 1 plays 10, 20, 10, 30; viewer 2 plays 20, 10, 20 (log order per viewer)
PLAYS = pl.DataFrame(
    {
        "user_id": [1, 1, 1, 1, 2, 2, 2],
        "show_id": [10, 20, 10, 30, 20, 10, 20],
        "asset_type": ["VOD"] * 7,
        "watch_minutes": [5] * 7,
        "day_number": [1, 2, 9, 10, 3, 9, 10],
    }
)


def _windows(*rows: list[int]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    shows = torch.tensor(list(rows))
    return shows, (shows > 0).long(), shows.float()


def _order(scorer: object, *rows: list[int]) -> list[list[int]]:
    scores = scorer(*_windows(*rows))  # type: ignore[operator]
    assert scores.shape == (len(rows), VOCAB.num_shows + 1)
    return list(top_k(scores, 10)[0].tolist())


def test_popular_counts_every_training_play() -> None:
    """Counts 10:3, 20:3, 30:1, 40:0 rank 10 before 20 (tie, smaller index), then 30, then 40."""
    counts = play_counts(PLAYS, VOCAB)
    assert counts.tolist() == [0.0, 3.0, 3.0, 1.0, 0.0]
    assert _order(PopularScorer(counts), [0, 3], [4, 4]) == [[1, 2, 3, 4], [1, 2, 3, 4]]


def test_popular_recent_keeps_the_last_seven_days() -> None:
    """With day 10 the last, days 4..10 count: 10 twice, 20 and 30 once."""
    assert play_counts(PLAYS, VOCAB, recent_days=7).tolist() == [0.0, 2.0, 1.0, 1.0, 0.0]


def test_transitions_stay_within_a_viewer() -> None:
    """Pairs 10->20 (twice), 10->30, 20->10 (twice); viewer 1's last play 30 is not followed by viewer 2's first."""
    offsets, columns, counts = transition_counts(PLAYS, VOCAB)
    assert offsets.tolist() == [0, 0, 2, 3, 3, 3]
    assert columns.tolist() == [2, 3, 1]
    assert counts.tolist() == [2.0, 1.0, 2.0]


def test_transitions_rank_followers_then_popular() -> None:
    """After 10: 20 (2), 30 (1), then 10 and 40 by popularity; after 30 or 40 (no followers): popular."""
    scorer = TransitionScorer(*transition_counts(PLAYS, VOCAB), popular=play_counts(PLAYS, VOCAB))
    assert _order(scorer, [0, 1], [2, 3], [0, 4]) == [[2, 3, 1, 4], [1, 2, 3, 4], [1, 2, 3, 4]]


def test_transitions_use_only_the_newest_show() -> None:
    """The window's older plays do not change the transition scores."""
    scorer = TransitionScorer(*transition_counts(PLAYS, VOCAB), popular=play_counts(PLAYS, VOCAB))
    assert torch.equal(scorer(*_windows([3, 4, 1]))[0], scorer(*_windows([0, 0, 1]))[0])


def test_repeat_recent_weighs_recency_and_frequency() -> None:
    """Window 20, 30, 20, 40 with decay 0.5: 40 (1.0), 20 (0.5 + 0.125), 30 (0.25), then 10 by popularity."""
    scorer = RepeatRecentScorer(play_counts(PLAYS, VOCAB), decay=0.5)
    assert _order(scorer, [2, 3, 2, 4]) == [[4, 2, 3, 1]]


def test_repeat_recent_frequency_can_beat_recency() -> None:
    """Window 10, 10, 20 with decay 0.8: 10 scores 0.64 + 0.8 = 1.44 and beats the newest show 20 (1.0)."""
    scorer = RepeatRecentScorer(play_counts(PLAYS, VOCAB), decay=0.8)
    assert _order(scorer, [1, 1, 2]) == [[1, 2, 3, 4]]
    assert _order(scorer, [0, 1, 2]) == [[2, 1, 3, 4]]


def test_repeat_recent_own_shows_beat_any_popular_show() -> None:
    """Show 40, never played in training, ranks first when it is in the window; padding adds nothing."""
    scorer = RepeatRecentScorer(play_counts(PLAYS, VOCAB))
    assert _order(scorer, [0, 0, 4]) == [[4, 1, 2, 3]]


def test_repeat_recent_breaks_ties_by_popularity() -> None:
    """With decay 1, shows 30 and 20 once each tie on recency-frequency; the more popular 20 goes first."""
    scorer = RepeatRecentScorer(play_counts(PLAYS, VOCAB), decay=1.0)
    assert _order(scorer, [0, 2, 3], [0, 3, 2]) == [[2, 3, 1, 4], [2, 3, 1, 4]]


def test_fit_baselines_builds_every_baseline() -> None:
    """fit_baselines returns the four baselines by name, fit on the dataset's training plays."""
    dataset = Dataset(
        samples=pl.DataFrame(),
        inference=pl.DataFrame(),
        train_plays=PLAYS,
        vocabulary=VOCAB,
        info={"protocol": "temporal", "config": {"window": 3}},
        ingest_report={},
    )
    baselines = fit_baselines(dataset)
    assert tuple(baselines) == BASELINE_NAMES
    assert _order(baselines["transitions"], [0, 0, 1]) == [[2, 3, 1, 4]]
    assert _order(baselines["popular_recent"], [0, 0, 1]) == [[1, 2, 3, 4]]
