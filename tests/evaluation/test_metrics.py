"""Ranks, Recall/NDCG/MRR and top-k on hand-made score matrices."""

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from nextwatch.evaluation.metrics import hits_at, metrics_from_ranks, target_ranks, top_k

INF = float("inf")


def test_ties_go_to_the_smaller_show_index() -> None:
    """A target tied with smaller indices ranks after them, and after every strictly higher show."""
    scores = torch.tensor([[-INF, 0.5, 0.9, 0.5, 0.1]] * 4)
    ranks = target_ranks(scores, torch.tensor([1, 2, 3, 4]))
    assert ranks.tolist() == [2, 1, 3, 4]


def test_padding_column_is_never_ranked_even_when_highest() -> None:
    """A padding score above every show does not push any target down."""
    scores = torch.tensor([[99.0, 0.3, 0.2, 0.1]])
    assert target_ranks(scores, torch.tensor([1])).tolist() == [1]
    assert target_ranks(scores, torch.tensor([3])).tolist() == [3]


def test_constant_scores_rank_by_index() -> None:
    """With every show tied, a target's rank is its index: the order a stable sort would serve."""
    scores = torch.zeros((3, 6))
    assert target_ranks(scores, torch.tensor([1, 4, 5])).tolist() == [1, 4, 5]


def test_metric_values_by_hand() -> None:
    """Ranks 1, 2, 4, 11 give the hand-computed Recall, NDCG and MRR at 1, 5, 10 and 20."""
    metrics = metrics_from_ranks(torch.tensor([1, 2, 4, 11]))
    assert metrics["recall@1"] == 0.25
    assert metrics["ndcg@1"] == 0.25
    assert metrics["mrr@1"] == 0.25
    assert metrics["recall@5"] == 0.75
    assert metrics["ndcg@5"] == pytest.approx((1 + 1 / math.log2(3) + 1 / math.log2(5)) / 4)
    assert metrics["mrr@5"] == pytest.approx((1 + 1 / 2 + 1 / 4) / 4)
    assert metrics["recall@10"] == 0.75
    assert metrics["mrr@10"] == metrics["mrr@5"]
    assert metrics["recall@20"] == 1.0
    assert metrics["ndcg@20"] == pytest.approx((1 + 1 / math.log2(3) + 1 / math.log2(5) + 1 / math.log2(12)) / 4)
    assert metrics["mrr@20"] == pytest.approx((1 + 1 / 2 + 1 / 4 + 1 / 11) / 4)


def test_k_larger_than_the_catalogue() -> None:
    """With 3 shows, Recall@20 is 1 for any target and top-20 is the whole catalogue once."""
    scores = torch.tensor([[5.0, 0.1, 0.3, 0.2]])
    ranks = target_ranks(scores, torch.tensor([1]))
    assert metrics_from_ranks(ranks, ks=(20,))["recall@20"] == 1.0
    index, values = top_k(scores, 20)
    assert index.tolist() == [[2, 3, 1]]
    assert values[0].tolist() == pytest.approx([0.3, 0.2, 0.1])


def test_top_k_breaks_ties_towards_the_smaller_index() -> None:
    """Three shows tied at the k-th place: the smaller indices are kept, in index order."""
    scores = torch.tensor([[-INF, 0.2, 0.7, 0.2, 0.1, 0.2]])
    assert top_k(scores, 2)[0].tolist() == [[2, 1]]
    assert top_k(scores, 3)[0].tolist() == [[2, 1, 3]]
    assert top_k(scores, 4)[0].tolist() == [[2, 1, 3, 5]]


def test_top_k_never_returns_padding() -> None:
    """The padding column is not returned even when it holds the highest score."""
    scores = torch.tensor([[10.0, 1.0, 2.0], [10.0, 2.0, 1.0]])
    assert top_k(scores, 5)[0].tolist() == [[2, 1], [1, 2]]


def test_hits_at_counts_wanted_shows_in_the_top() -> None:
    """hits_at counts how many of a row's top indices the mask marks."""
    top = torch.tensor([[2, 1], [3, 1]])
    wanted = torch.tensor([[False, True, True, False], [False, False, True, False]])
    assert hits_at(top, wanted).tolist() == [2, 0]


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.lists(st.integers(min_value=-2, max_value=2), min_size=6, max_size=6),
        min_size=1,
        max_size=5,
    ),
    pad=st.integers(min_value=-5, max_value=5),
)
def test_top_k_order_agrees_with_target_ranks(rows: list[list[int]], pad: int) -> None:
    """For any scores (many ties), show i sits at position rank(i) - 1 of the full top-k list."""
    scores = torch.tensor([[float(pad), *row] for row in rows])
    index, _ = top_k(scores, 6)
    for show in range(1, 7):
        ranks = target_ranks(scores, torch.full((len(rows),), show))
        position = (index == show).float().argmax(dim=1) + 1
        assert ranks.tolist() == position.tolist()
