"""The recommender's top_k gives exactly what evaluation's top_k gives, ties and -inf included."""

import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from nextwatch.evaluation.metrics import top_k as stable_top_k
from nextwatch.recommend.recommender import top_k


def test_ties_at_the_boundary_go_to_the_smaller_index() -> None:
    """With scores tied across the k-th place, the smaller indices win, best first (hand-worked)."""
    scores = torch.tensor([[float("-inf"), 0.2, 0.7, 0.2, 0.1, 0.2], [float("-inf"), 0.5, 0.1, 0.9, 0.3, 0.0]])
    top, values = top_k(scores, 3)
    assert top.tolist() == [[2, 1, 3], [3, 1, 4]]
    assert torch.equal(values, torch.tensor([[0.7, 0.2, 0.2], [0.9, 0.5, 0.3]]))


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(
        st.lists(st.sampled_from([0.0, 0.25, 0.5, 1.0, float("-inf")]), min_size=7, max_size=7), min_size=1, max_size=4
    ),
    k=st.integers(1, 7),
)
def test_matches_the_evaluation_top_k(rows: list[list[float]], k: int) -> None:
    """For any scores with many ties and excluded (-inf) shows, indices and values equal metrics.top_k's."""
    scores = torch.tensor([[float("-inf"), *row] for row in rows])
    top, values = top_k(scores, k)
    expected_top, expected_values = stable_top_k(scores, k)
    assert torch.equal(top, expected_top)
    assert torch.equal(values, expected_values)
