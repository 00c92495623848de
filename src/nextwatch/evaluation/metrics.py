"""Ranking metrics over the full catalogue, from the rank of each case's target.

Scores are ``(cases, num_shows + 1)``; column 0 is padding and is never ranked. A target's rank is 1 plus the number
of shows scored strictly higher, plus the number scored equal with a smaller index: ties go to the smaller index,
the order a stable descending sort gives, so a constant scorer is graded as the ranking it would serve.
"""

from __future__ import annotations

from collections.abc import Iterable

import torch

__all__ = ["DEFAULT_KS", "hits_at", "metrics_from_ranks", "target_ranks", "top_k"]

DEFAULT_KS = (1, 5, 10, 20)


def target_ranks(scores: torch.Tensor, target_index: torch.Tensor) -> torch.Tensor:
    """1-based rank of each target among the real shows (columns 1..num_shows).

    >>> target_ranks(torch.tensor([[0.0, 0.5, 0.9, 0.5]]), torch.tensor([3])).tolist()
    [3]
    """
    shows = scores[:, 1:]  # (cases, num_shows): the padding column is dropped, never counted
    target = (target_index - 1).unsqueeze(1)  # (cases, 1) column of the target among shows
    target_score = shows.gather(1, target)
    higher = (shows > target_score).sum(dim=1)
    tied = shows == target_score
    tied_rows = (tied.sum(dim=1) > 1).nonzero().squeeze(1)  # rows where another show shares the target's score
    tied_before = torch.zeros_like(higher)
    if len(tied_rows):
        column = torch.arange(shows.shape[1], device=scores.device).unsqueeze(0)
        tied_before[tied_rows] = (tied[tied_rows] & (column < target[tied_rows])).sum(dim=1)
    return 1 + higher + tied_before


def metrics_from_ranks(ranks: torch.Tensor, ks: Iterable[int] = DEFAULT_KS) -> dict[str, float]:
    """Recall@K (hit rate for one target), NDCG@K and MRR@K, averaged over cases.

    >>> metrics_from_ranks(torch.tensor([1, 3]), ks=(2,))
    {'recall@2': 0.5, 'ndcg@2': 0.5, 'mrr@2': 0.5}
    """
    rank = ranks.to(torch.float64)
    out: dict[str, float] = {}
    for k in ks:
        hit = rank <= k
        out[f"recall@{k}"] = float(hit.double().mean())
        out[f"ndcg@{k}"] = float(torch.where(hit, 1.0 / torch.log2(rank + 1.0), 0.0).mean())
        out[f"mrr@{k}"] = float(torch.where(hit, 1.0 / rank, 0.0).mean())
    return out


def top_k(scores: torch.Tensor, k: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Show indices (1..num_shows) and scores of the ``k`` best per row, best first; ties go to the smaller index.

    ``k`` larger than the catalogue gives the whole catalogue. The padding column is never returned.

    >>> top_k(torch.tensor([[float('-inf'), 0.2, 0.7, 0.2, 0.1]]), 3)[0].tolist()
    [[2, 1, 3]]
    """
    shows = scores[:, 1:]
    k = min(k, shows.shape[1])
    values, index = torch.topk(shows, k, dim=1)
    # topk promises no order among equal scores; rows whose k-th score is tied beyond k take a stable full sort.
    boundary_tied = (shows >= values[:, -1:]).sum(dim=1) > k
    if bool(boundary_tied.any()):
        rows = boundary_tied.nonzero().squeeze(1)
        full = torch.sort(shows[rows], dim=1, descending=True, stable=True).indices[:, :k]
        index[rows] = full
        values[rows] = shows[rows].gather(1, full)
    by_index, permutation = torch.sort(index, dim=1)
    order = torch.sort(values.gather(1, permutation), dim=1, descending=True, stable=True).indices
    return by_index.gather(1, order) + 1, values.gather(1, permutation).gather(1, order)


def hits_at(top: torch.Tensor, wanted: torch.Tensor) -> torch.Tensor:
    """How many of each row's ``top`` indices are True in the ``(cases, num_shows + 1)`` mask ``wanted``."""
    return wanted.gather(1, top).sum(dim=1)
