"""evaluate_scorer: full-catalogue grading, coverage, new-show recall and the bootstrap interval."""

import math

import polars as pl
import pytest
import torch

from nextwatch.evaluation.cases import EvaluationCases
from nextwatch.evaluation.scoring import evaluate_scorer, model_scorer
from nextwatch.models.lstm import LSTMConfig, LSTMNextShow
from nextwatch.sequences.vocabulary import Vocabulary

TWELVE = Vocabulary.build(range(1, 13), ["VOD"])  # show id == show index, 12 shows


def _cases(
    last_shows: list[int],
    targets: list[int],
    vocabulary: Vocabulary = TWELVE,
    new: list[list[int]] | None = None,
    seen: list[list[int]] | None = None,
) -> EvaluationCases:
    frame = pl.DataFrame(
        {
            "show_ids": [[s] for s in last_shows],
            "asset_types": [["VOD"] for _ in last_shows],
            "watch_minutes": [[10] for _ in last_shows],
            "target_show_id": targets,
            "new_show_ids": new,
            "seen_show_ids": seen,
        },
        schema_overrides={"new_show_ids": pl.List(pl.Int32), "seen_show_ids": pl.List(pl.Int32)},
    )
    return EvaluationCases.from_samples(frame, vocabulary, window=3)


def _table_scorer(table: torch.Tensor):  # type: ignore[no-untyped-def]
    """Scores looked up by the newest show of each window: row ``table[last show]``."""

    def score(show_index: torch.Tensor, asset_index: torch.Tensor, minutes: torch.Tensor) -> torch.Tensor:
        return table[show_index[:, -1]]

    return score


def _descending(num_shows: int) -> torch.Tensor:
    """One score row where show 1 is best, show num_shows worst, and padding is highest of all."""
    return torch.tensor([1000.0, *range(num_shows, 0, -1)])


def test_metrics_by_hand_with_ties_and_padding() -> None:
    """Three cases with ranks 2 (padding highest), 4 (all tied) and 1 give the hand-computed metrics."""
    vocab = Vocabulary.build(range(1, 6), ["VOD"])
    table = torch.zeros((6, 6))
    table[1] = torch.tensor([100.0, 5, 4, 3, 2, 1])
    table[2] = torch.tensor([0.0, 1, 1, 1, 1, 1])
    table[3] = torch.tensor([0.0, 1, 2, 3, 4, 5])
    result = evaluate_scorer(_table_scorer(table), _cases([1, 2, 3], [2, 4, 5], vocab), num_shows=5)
    assert result["cases"] == 3.0
    assert result["recall@1"] == pytest.approx(1 / 3)
    assert result["recall@5"] == 1.0
    assert result["ndcg@5"] == pytest.approx((1 / math.log2(3) + 1 / math.log2(5) + 1) / 3)
    assert result["mrr@5"] == pytest.approx((1 / 2 + 1 / 4 + 1) / 3)
    assert result["coverage@10"] == 1.0
    assert "new_recall@10" not in result


def test_batch_size_does_not_change_the_result() -> None:
    """Grading in batches of 1 or of 1024 gives the same metrics."""
    vocab = Vocabulary.build(range(1, 6), ["VOD"])
    table = torch.rand((6, 6), generator=torch.Generator().manual_seed(3))
    cases = _cases([1, 2, 3, 4, 5], [5, 4, 3, 2, 1], vocab)
    one = evaluate_scorer(_table_scorer(table), cases, num_shows=5, batch_size=1)
    many = evaluate_scorer(_table_scorer(table), cases, num_shows=5, batch_size=1024)
    assert one == many


def test_coverage_counts_distinct_shows_in_any_top_10() -> None:
    """Two cases with the same top 10 of 12 cover 10/12; a case favouring shows 11 and 12 completes it."""
    table = torch.zeros((13, 13))
    table[1] = _descending(12)
    table[2] = _descending(12)
    table[3] = torch.tensor([1000.0, *range(12, 2, -1), 20.0, 30.0])
    same = evaluate_scorer(_table_scorer(table), _cases([1, 2], [1, 1]), num_shows=12)
    assert same["coverage@10"] == pytest.approx(10 / 12)
    full = evaluate_scorer(_table_scorer(table), _cases([1, 3], [1, 1]), num_shows=12)
    assert full["coverage@10"] == 1.0


def test_new_show_recall_excludes_seen_and_caps_the_denominator() -> None:
    """Seen shows leave the ranking; hits are divided by min(10, new shows); cases without new shows are skipped."""
    cases = _cases(
        [1, 2, 3, 4],
        [3, 11, 1, 5],
        new=[[3, 12], [11, 12], list(range(1, 13)), []],
        seen=[[1, 2], [], [], [5]],
    )
    table = _descending(12).expand(13, -1)
    result = evaluate_scorer(_table_scorer(table), cases, num_shows=12)
    # case 0: top 10 without shows 1, 2 is 3..12, both new shows hit: 2/2; without the exclusion it would be 1/2.
    # case 1: top 10 is 1..10, neither 11 nor 12: 0/2. case 2: 10 hits / min(10, 12) = 1. case 3: no new show.
    assert result["new_cases"] == 3.0
    assert result["new_recall@10"] == pytest.approx((1.0 + 0.0 + 1.0) / 3)


def test_new_show_recall_is_nan_when_no_case_has_a_new_show() -> None:
    """Cases with new-show lists that are all empty give new_cases 0 and a NaN new_recall@10."""
    cases = _cases([1, 2], [1, 2], new=[[], []], seen=[[1], [2]])
    result = evaluate_scorer(_table_scorer(_descending(12).expand(13, -1)), cases, num_shows=12)
    assert result["new_cases"] == 0.0
    assert math.isnan(result["new_recall@10"])


def test_bootstrap_interval_is_deterministic_by_seed() -> None:
    """The same seed gives the same interval, another seed another one; its width matches the normal approximation."""
    table = torch.zeros((13, 13))
    for show in range(1, 13):
        table[show] = _descending(12)
    last = [1 + i % 12 for i in range(1200)]
    targets = [1 + (7 * i) % 12 for i in range(1200)]  # a target's rank is its index: exactly 10/12 hit the top 10
    cases = _cases(last, targets)
    first = evaluate_scorer(_table_scorer(table), cases, num_shows=12, bootstrap_samples=500, seed=1)
    again = evaluate_scorer(_table_scorer(table), cases, num_shows=12, bootstrap_samples=500, seed=1)
    other = evaluate_scorer(_table_scorer(table), cases, num_shows=12, bootstrap_samples=500, seed=2)
    assert (first["recall@10_low"], first["recall@10_high"]) == (again["recall@10_low"], again["recall@10_high"])
    assert (first["recall@10_low"], first["recall@10_high"]) != (other["recall@10_low"], other["recall@10_high"])
    assert first["recall@10"] == pytest.approx(10 / 12)
    # The normal approximation: 10/12 +- 1.96 * sqrt(p (1 - p) / 1200) = 0.8333 +- 0.0211.
    assert first["recall@10_low"] == pytest.approx(10 / 12 - 0.0211, abs=0.004)
    assert first["recall@10_high"] == pytest.approx(10 / 12 + 0.0211, abs=0.004)


def test_bootstrap_interval_of_all_hits_is_a_point() -> None:
    """When every case hits, every resample hits: the interval is (1, 1)."""
    table = _descending(12).expand(13, -1)
    result = evaluate_scorer(_table_scorer(table), _cases([1, 2, 3], [1, 2, 3]), num_shows=12, bootstrap_samples=50)
    assert (result["recall@10_low"], result["recall@10_high"]) == (1.0, 1.0)


def test_no_cases_gives_only_a_zero_count() -> None:
    """An empty split is graded as zero cases, without metrics."""
    result = evaluate_scorer(_table_scorer(_descending(12).expand(13, -1)), _cases([], []), num_shows=12)
    assert result == {"cases": 0.0}


def test_model_scorer_is_graded_without_error() -> None:
    """A model's inference-mode output is graded (no in-place write on it) and its padding column stays unranked."""
    torch.manual_seed(0)
    model = LSTMNextShow(LSTMConfig(num_shows=12, num_asset_types=1, num_layers=1, hidden_dim=4))
    result = evaluate_scorer(model_scorer(model), _cases([1, 2, 3], [4, 5, 6]), num_shows=12)
    assert result["cases"] == 3.0
    assert 0.0 <= result["recall@10"] <= 1.0


def test_scorer_output_is_not_modified() -> None:
    """Grading does not write into the tensor a scorer hands back (a baseline may keep and reuse it)."""
    table = _descending(12).expand(13, -1).clone()
    kept = table.clone()
    evaluate_scorer(_table_scorer(table), _cases([1, 2], [1, 2]), num_shows=12)
    assert torch.equal(table, kept)
