"""The experiments table: lstm_1/2/3 with both objectives and every baseline, graded alike on one dataset.

``run_experiments`` trains each model with ``train_model`` (which grades train, val and test), grades the
baselines with the same code on the same cases (train: the same seeded subsample training grades), and
``write_experiments`` writes ``experiments_<protocol>.md`` (a table like the reference's) and ``.json``.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np

from nextwatch.atomic_io import atomic_paths
from nextwatch.evaluation.baselines import fit_baselines
from nextwatch.evaluation.cases import EvaluationCases
from nextwatch.evaluation.report import json_ready
from nextwatch.evaluation.scoring import evaluate_scorer
from nextwatch.models.lstm import PRESETS, preset_config
from nextwatch.sequences.dataset_files import Dataset
from nextwatch.training import TrainingConfig, train_model
from nextwatch.training.config import OBJECTIVES

__all__ = ["ExperimentRow", "experiments_markdown", "run_experiments", "train_cases", "write_experiments"]

EXPERIMENT_SPLITS: Final = ("train", "val", "test")


@dataclass(frozen=True)
class ExperimentRow:
    """One row of the table: a trained model (with its shape) or a baseline (shape fields None)."""

    name: str
    kind: str  # "model" or "baseline"
    metrics: dict[str, dict[str, float | None]]  # split -> metric -> value
    seconds: float  # training (model) or fitting (baseline) wall time
    objective: str | None = None
    layers: int | None = None
    embedding_dim: str | None = None  # "show/asset"
    hidden_dim: int | None = None
    dropout: float | None = None
    best_epoch: int | None = None
    checkpoint: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = json_ready(dataclasses.asdict(self))
        return data


def train_cases(dataset: Dataset, config: TrainingConfig) -> EvaluationCases:
    """The train split's cases as training grades them: a seeded subsample of ``config.train_eval_cases``."""
    samples = dataset.split("train")
    if config.train_eval_cases is not None and len(samples) > config.train_eval_cases:
        rows = np.sort(np.random.default_rng(config.seed).choice(len(samples), config.train_eval_cases, replace=False))
        samples = samples[rows]
    return EvaluationCases.from_samples(samples, dataset.vocabulary, dataset.window)


def run_experiments(
    dataset: Dataset,
    artifacts_dir: Path | str,
    training: TrainingConfig,
    presets: Sequence[str] = tuple(PRESETS),
    objectives: Sequence[str] = OBJECTIVES,
    progress: bool = True,
    reference_architecture: bool = False,
) -> list[ExperimentRow]:
    """Train every preset with every objective (checkpoints ``artifacts_dir/<preset>_<objective>.pth``), then
    grade the baselines; rows in that order, models first. ``reference_architecture`` also trains each preset
    without the repeat head (``<preset>_reference_<objective>.pth``), the reference design's model exactly."""
    rows: list[ExperimentRow] = []
    vocabulary = dataset.vocabulary
    variants = (True, False) if reference_architecture else (True,)
    for preset, repeat_head, objective in ((p, r, o) for p in presets for r in variants for o in objectives):
        model_config = preset_config(preset, vocabulary.num_shows, vocabulary.num_asset_types, repeat_head=repeat_head)
        name = preset if repeat_head else f"{preset}_reference"
        config = dataclasses.replace(training, objective=objective)  # type: ignore[arg-type]
        result = train_model(dataset, model_config, config, artifacts_dir, f"{name}_{objective}", progress)
        rows.append(
            ExperimentRow(
                name=name,
                kind="model",
                metrics=result.metrics,
                seconds=result.seconds,
                objective=objective,
                layers=model_config.num_layers,
                embedding_dim=f"{model_config.show_embedding_dim}/{model_config.asset_embedding_dim}",
                hidden_dim=model_config.hidden_dim,
                dropout=model_config.dropout,
                best_epoch=result.checkpoint.best_epoch,
                checkpoint=str(result.checkpoint_path),
            )
        )
    rows.extend(_baseline_rows(dataset, training))
    return rows


def _baseline_rows(dataset: Dataset, training: TrainingConfig) -> list[ExperimentRow]:
    started = time.perf_counter()
    baselines = fit_baselines(dataset)
    fit_seconds = time.perf_counter() - started
    cases = {
        "train": train_cases(dataset, training),
        **{
            split: EvaluationCases.from_samples(dataset.split(split), dataset.vocabulary, dataset.window)
            for split in ("val", "test")
        },
    }
    rows = []
    for name, scorer in baselines.items():
        metrics = {
            split: evaluate_scorer(
                scorer,
                split_cases,
                dataset.vocabulary.num_shows,
                batch_size=training.eval_batch_size,
                bootstrap_samples=training.bootstrap_samples if split == "test" else 0,
                seed=training.seed,
            )
            for split, split_cases in cases.items()
        }
        rows.append(ExperimentRow(name=name, kind="baseline", metrics=json_ready(metrics), seconds=fit_seconds))
    return rows


_COLUMNS: Final = (
    ("Model", None),
    ("Objective", None),
    ("Layers", None),
    ("Embedding dim", None),
    ("Hidden dim", None),
    ("Dropout", None),
    ("Train Top-10 recall", ("train", "recall@10")),
    ("Val Top-10 recall", ("val", "recall@10")),
    ("Test Top-10 recall", ("test", "recall@10")),
    ("Test 95% CI", None),
    ("Val NDCG@10", ("val", "ndcg@10")),
    ("Test NDCG@10", ("test", "ndcg@10")),
    ("Val new-show Recall@10", ("val", "new_recall@10")),
    ("Test new-show Recall@10", ("test", "new_recall@10")),
    ("Test coverage@10", ("test", "coverage@10")),
    ("Train seconds", None),
)


def experiments_markdown(rows: Sequence[ExperimentRow], dataset: Dataset, training: TrainingConfig) -> str:
    """The table as markdown, with a header naming the dataset and the training settings."""
    counts = dataset.info.get("counts", {})
    lines = [
        f"# Experiments: `{dataset.protocol}` protocol",
        "",
        f"Dataset: {dataset.info.get('viewers', '?')} viewers, {dataset.vocabulary.num_shows} shows, window "
        f"{dataset.window}; samples train {counts.get('train', '?')}, val {counts.get('val', '?')}, test "
        f"{counts.get('test', '?')}. Training: {training.epochs} epochs, lr {training.learning_rate}, batch "
        f"{training.batch_size}, seed {training.seed}; best epoch by validation Recall@10. Metrics over the full "
        f"catalogue; train metrics on at most {training.train_eval_cases} train cases; new-show Recall@10 excludes "
        "the viewer's seen shows; baselines fit on the training plays (seconds: fitting all four).",
        "",
        "| " + " | ".join(title for title, _ in _COLUMNS) + " |",
        "|" + "|".join("---" for _ in _COLUMNS) + "|",
    ]
    for row in rows:
        lines.append("| " + " | ".join(_cell(row, title, source) for title, source in _COLUMNS) + " |")
    return "\n".join(lines) + "\n"


def _cell(row: ExperimentRow, title: str, source: tuple[str, str] | None) -> str:
    if source is not None:
        value = row.metrics.get(source[0], {}).get(source[1])
        return "-" if value is None else f"{value:.4f}"
    test = row.metrics.get("test", {})
    fixed: Mapping[str, Any] = {
        "Model": row.name,
        "Objective": row.objective or "baseline",
        "Layers": row.layers,
        "Embedding dim": row.embedding_dim,
        "Hidden dim": row.hidden_dim,
        "Dropout": row.dropout,
        "Train seconds": f"{row.seconds:.1f}",
        "Test 95% CI": (
            f"[{test['recall@10_low']:.4f}, {test['recall@10_high']:.4f}]"
            if test.get("recall@10_low") is not None and test.get("recall@10_high") is not None
            else None
        ),
    }
    value = fixed[title]
    return "-" if value is None else str(value)


def write_experiments(
    rows: Sequence[ExperimentRow], dataset: Dataset, training: TrainingConfig, reports_dir: Path | str
) -> tuple[Path, Path]:
    """Write ``experiments_<protocol>.md`` and ``.json`` into ``reports_dir`` atomically; return both paths."""
    root = Path(reports_dir)
    stem = f"experiments_{dataset.protocol}"
    paths = [root / f"{stem}.md", root / f"{stem}.json"]
    document = {
        "protocol": dataset.protocol,
        "dataset": json_ready(dict(dataset.info)),
        "training_config": training.to_dict(),
        "rows": [row.to_dict() for row in rows],
    }
    with atomic_paths(paths) as tmp:
        tmp[0].write_text(experiments_markdown(rows, dataset, training))
        tmp[1].write_text(json.dumps(document, indent=2, allow_nan=False))
    return paths[0], paths[1]
