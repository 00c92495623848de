"""Grade a model and the baselines on a dataset's splits, and shape the result as JSON or a table.

The report is ``{"model": {split: metrics}, "baselines": {name: {split: metrics}}}``, metrics by name
(``recall@10``, ``ndcg@10``, ``new_recall@10``, ...). A metric that cannot be computed is null, never NaN.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from nextwatch.errors import InvalidOptionError
from nextwatch.evaluation.cases import EvaluationCases
from nextwatch.evaluation.metrics import DEFAULT_KS
from nextwatch.evaluation.scoring import Scorer, evaluate_scorer
from nextwatch.sequences.dataset_files import SPLITS, Dataset

__all__ = [
    "EVALUATION_SPLITS",
    "TABLE_METRICS",
    "SplitMetrics",
    "build_report",
    "evaluate_dataset",
    "format_table",
    "json_ready",
]

EVALUATION_SPLITS: Final = ("val", "test")
TABLE_METRICS: Final = ("recall@10", "ndcg@10", "mrr@10", "new_recall@10", "coverage@10")

SplitMetrics = dict[str, dict[str, float]]  # split -> metric name -> value


def dataset_cases(dataset: Dataset, split: str) -> EvaluationCases:
    """The evaluation cases of one split of ``dataset``."""
    if split not in SPLITS:
        raise InvalidOptionError(f"unknown split {split!r}; choose from {', '.join(SPLITS)}")
    return EvaluationCases.from_samples(dataset.split(split), dataset.vocabulary, dataset.window)


def evaluate_dataset(
    dataset: Dataset,
    scorers: Mapping[str, Scorer],
    splits: Sequence[str] = EVALUATION_SPLITS,
    bootstrap: int = 0,
    ks: Iterable[int] = DEFAULT_KS,
    batch_size: int = 1024,
    seed: int = 0,
) -> dict[str, SplitMetrics]:
    """Metrics of every scorer on every split: ``{scorer name: {split: {metric: value}}}``.

    Each split's cases are encoded once and graded by every scorer with the same code; ``bootstrap`` resamples
    give the 95% interval of Recall@10 (``recall@10_low``, ``recall@10_high``) on the test split only.
    """
    ks = tuple(ks)
    result: dict[str, SplitMetrics] = {name: {} for name in scorers}
    for split in splits:
        cases = dataset_cases(dataset, split)
        for name, scorer in scorers.items():
            result[name][split] = evaluate_scorer(
                scorer,
                cases,
                dataset.vocabulary.num_shows,
                ks=ks,
                batch_size=batch_size,
                bootstrap_samples=bootstrap if split == "test" else 0,
                seed=seed,
            )
    return result


def build_report(model: SplitMetrics | None, baselines: Mapping[str, SplitMetrics]) -> dict[str, Any]:
    """The report object: ``{"model": ..., "baselines": {...}}`` (``model`` left out when None), JSON-ready."""
    report: dict[str, Any] = {}
    if model is not None:
        report["model"] = model
    report["baselines"] = dict(baselines)
    cleaned: dict[str, Any] = json_ready(report)
    return cleaned


def json_ready(value: Any) -> Any:
    """``value`` with every NaN or infinite float replaced by None (JSON has no NaN), containers copied.

    >>> json_ready({"a": [1.0, float("nan")], "b": float("inf")})
    {'a': [1.0, None], 'b': None}
    """
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(key): json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(item) for item in value]
    return value


def format_table(
    report: Mapping[str, Any], splits: Sequence[str] = EVALUATION_SPLITS, model_name: str = "model"
) -> str:
    """A plain-text table: one row per scorer and split, the TABLE_METRICS, and test Recall@10's 95% interval."""
    rows: list[tuple[str, str, Mapping[str, Any]]] = []
    if "model" in report:
        rows += [(model_name, split, report["model"].get(split, {})) for split in splits]
    for name, by_split in report.get("baselines", {}).items():
        rows += [(name, split, by_split.get(split, {})) for split in splits]
    header = ["scorer", "split", *TABLE_METRICS, "recall@10 95% CI", "cases"]
    lines = [header]
    for name, split, metrics in rows:
        low, high = metrics.get("recall@10_low"), metrics.get("recall@10_high")
        interval = f"[{low:.4f}, {high:.4f}]" if low is not None and high is not None else "-"
        cases = metrics.get("cases")
        lines.append(
            [
                name,
                split,
                *(_number(metrics.get(metric)) for metric in TABLE_METRICS),
                interval,
                "-" if cases is None else str(int(cases)),
            ]
        )
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    return "\n".join(
        "  ".join(
            cell.ljust(width) if column < 2 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(line, widths, strict=True))
        )
        for line in lines
    )


def _number(value: Any) -> str:
    return "-" if value is None or (isinstance(value, float) and not math.isfinite(value)) else f"{value:.4f}"
