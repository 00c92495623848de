"""Grade any scorer on evaluation cases: the same code for models, baselines, training and `nextwatch evaluate`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

import numpy as np
import numpy.typing as npt
import torch

from nextwatch.evaluation.cases import EvaluationCases, RaggedIndex
from nextwatch.evaluation.metrics import DEFAULT_KS, hits_at, metrics_from_ranks, target_ranks, top_k
from nextwatch.models.lstm import LSTMNextShow
from nextwatch.sequences.vocabulary import PAD_INDEX

__all__ = ["Scorer", "evaluate_scorer", "model_scorer", "ragged_mask"]

COVERAGE_K = 10
NEW_SHOW_K = 10


class Scorer(Protocol):
    """Scores every show index for a batch of left-padded windows: ``(batch, num_shows + 1)``."""

    def __call__(self, show_index: torch.Tensor, asset_index: torch.Tensor, minutes: torch.Tensor) -> torch.Tensor: ...


def model_scorer(model: LSTMNextShow) -> Scorer:
    """A scorer from a model: inference mode, last position. Puts the model in eval mode."""
    model.eval()

    def score(show_index: torch.Tensor, asset_index: torch.Tensor, minutes: torch.Tensor) -> torch.Tensor:
        with torch.inference_mode():
            return model.predict(show_index, asset_index, minutes)

    return score


def ragged_mask(ragged: RaggedIndex, num_columns: int) -> torch.Tensor:
    """A ``(rows, num_columns)`` bool mask, True at each row's listed indices."""
    counts = torch.from_numpy(ragged.counts())
    mask = torch.zeros((len(counts), num_columns), dtype=torch.bool)
    rows = torch.repeat_interleave(torch.arange(len(counts)), counts)
    mask[rows, torch.from_numpy(ragged.values)] = True
    return mask


def evaluate_scorer(
    scorer: Scorer,
    cases: EvaluationCases,
    num_shows: int,
    ks: Iterable[int] = DEFAULT_KS,
    batch_size: int = 1024,
    bootstrap_samples: int = 0,
    seed: int = 0,
) -> dict[str, float]:
    """Full-catalogue metrics of ``scorer`` on ``cases``.

    Returns ``recall@K``, ``ndcg@K``, ``mrr@K`` for each K, ``coverage@10`` (share of the catalogue that appears in
    some case's top 10), ``cases``; with new shows, ``new_recall@10`` (seen shows excluded from the ranking, hits /
    min(10, new shows), averaged over cases that have a new show) and ``new_cases``; with ``bootstrap_samples``,
    ``recall@10_low``/``recall@10_high``, a percentile bootstrap 95% interval over cases.
    """
    ks = tuple(ks)
    if len(cases) == 0:
        return {"cases": 0.0}
    windows = cases.windows
    ranks: list[torch.Tensor] = []
    shown = torch.zeros(num_shows + 1, dtype=torch.bool)
    new_recalls: list[torch.Tensor] = []
    for start in range(0, len(cases), batch_size):
        stop = min(start + batch_size, len(cases))
        scores = _as_scores(
            scorer(
                torch.from_numpy(windows.show_index[start:stop]),
                torch.from_numpy(windows.asset_index[start:stop]),
                torch.from_numpy(windows.minutes[start:stop]),
            )
        )
        ranks.append(target_ranks(scores, torch.from_numpy(cases.target_index[start:stop])))
        shown[top_k(scores, COVERAGE_K)[0].flatten()] = True
        if cases.new_shows is not None and cases.seen_shows is not None:
            new_recalls.append(
                _new_show_recall(scores, cases.new_shows.slice(start, stop), cases.seen_shows.slice(start, stop))
            )
    all_ranks = torch.cat(ranks)
    result = metrics_from_ranks(all_ranks, ks)
    result["coverage@10"] = float(shown[1:].sum()) / num_shows
    result["cases"] = float(len(cases))
    if new_recalls:
        recall = torch.cat(new_recalls)
        has_new = ~torch.isnan(recall)
        result["new_cases"] = float(has_new.sum())
        result["new_recall@10"] = float(recall[has_new].mean()) if bool(has_new.any()) else float("nan")
    if bootstrap_samples > 0:
        result["recall@10_low"], result["recall@10_high"] = _bootstrap_interval(
            (all_ranks <= 10).double().numpy(), bootstrap_samples, seed
        )
    return result


def _as_scores(raw: torch.Tensor) -> torch.Tensor:
    """A scorer's output as float scores with the padding column at -inf, in a new tensor.

    Out of place on purpose: a model's output is an inference tensor (no in-place writes outside inference mode)
    and a baseline may hand back a tensor it keeps. float64 stays float64 (baselines break ties in small fractions).
    """
    scores = raw if raw.dtype == torch.float64 else raw.float()
    return scores.index_fill(1, torch.tensor([PAD_INDEX], device=scores.device), float("-inf"))


def _new_show_recall(scores: torch.Tensor, new_shows: RaggedIndex, seen_shows: RaggedIndex) -> torch.Tensor:
    """Per case: hits of the top 10 unseen shows among the new ones / min(10, new shows); NaN without new shows."""
    excluded = scores.masked_fill(ragged_mask(seen_shows, scores.shape[1]), float("-inf"))
    top, _ = top_k(excluded, NEW_SHOW_K)
    hits = hits_at(top, ragged_mask(new_shows, scores.shape[1])).double()
    wanted = torch.from_numpy(np.minimum(new_shows.counts(), NEW_SHOW_K)).double()
    return torch.where(wanted > 0, hits / wanted.clamp(min=1.0), float("nan"))


def _bootstrap_interval(hits: npt.NDArray[np.float64], samples: int, seed: int) -> tuple[float, float]:
    """Percentile bootstrap 95% interval of the mean of 0/1 ``hits``.

    Resampling n cases with replacement from 0/1 values with mean p gives a Binomial(n, p) hit count, so we draw
    those counts directly: the same distribution as index resampling in O(samples), not O(samples * cases) memory.
    """
    rng = np.random.default_rng(seed)
    means = rng.binomial(len(hits), float(hits.mean()), size=samples) / len(hits)
    low, high = np.percentile(means, [2.5, 97.5])
    return float(low), float(high)
