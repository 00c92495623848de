"""The training loop we own: zero_grad, forward, loss, backward, clip, step, log, evaluate, keep the best, save."""

from __future__ import annotations

import contextlib
import math
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from tqdm import tqdm

from nextwatch.atomic_io import ensure_parent_dir
from nextwatch.checkpoint import Checkpoint, ViewerHistories, popular_show_ids
from nextwatch.errors import InvalidInputError, InvalidOptionError, TrainingError
from nextwatch.evaluation.cases import EvaluationCases
from nextwatch.evaluation.scoring import evaluate_scorer, model_scorer
from nextwatch.models.lstm import LSTMConfig, LSTMNextShow
from nextwatch.sequences.dataset_files import Dataset
from nextwatch.sequences.vocabulary import PAD_INDEX
from nextwatch.training.batches import Batch, TrainingTensors, dense_targets, shuffled_batches
from nextwatch.training.config import Objective, TrainingConfig
from nextwatch.training.outputs import OutputPaths, check_name, finite_or_none, output_paths, write_outputs
from nextwatch.training.schedule import learning_rate_at

__all__ = ["EpochRecord", "TrainResult", "batch_loss", "train_model"]

# The best epoch has the highest validation Recall@10; NDCG@10 breaks ties (Recall@10 saturates on small catalogues).
SELECTION_METRICS = ("recall@10", "ndcg@10")
_EPOCH_METRICS = ("recall@10", "ndcg@10", "new_recall@10")
_POSTFIX_EVERY = 10


@dataclass(frozen=True)
class TrainResult:
    """What ``train_model`` wrote and measured; ``metrics`` is ``{"train": {...}, "val": {...}, "test": {...}}``."""

    checkpoint_path: Path
    checkpoint: Checkpoint
    metrics: dict[str, dict[str, float | None]]
    seconds: float
    metrics_path: Path
    curve_path: Path


@dataclass(frozen=True)
class EpochRecord:
    """One epoch of the history: mean train loss per target, validation metrics, last lr, wall time."""

    epoch: int
    train_loss: float
    val: dict[str, float | None]
    lr: float
    seconds: float
    samples_per_second: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "epoch": self.epoch,
            "train_loss": self.train_loss,
            **{f"val_{name}": value for name, value in self.val.items()},
            "lr": self.lr,
            "seconds": self.seconds,
            "samples_per_second": self.samples_per_second,
        }


def train_model(
    dataset: Dataset,
    model_config: LSTMConfig,
    config: TrainingConfig,
    out_dir: Path | str,
    name: str,
    progress: bool = True,
) -> TrainResult:
    """Train an LSTM on ``dataset``'s train split, keep the epoch with the best validation Recall@10 (ties: NDCG@10),
    grade it on train, val and test, and write ``out_dir/NAME.pth``, ``NAME.metrics.json`` and ``NAME.curve.png``.

    The same ``config.seed`` gives the same weights and metrics (on the same machine and thread count).
    """
    started = time.perf_counter()
    check_name(name)
    paths = output_paths(Path(out_dir), name)
    ensure_parent_dir(paths.checkpoint)  # an unwritable folder fails now, not after the last epoch
    vocabulary = dataset.vocabulary
    if (model_config.num_shows, model_config.num_asset_types) != (vocabulary.num_shows, vocabulary.num_asset_types):
        raise InvalidOptionError(
            f"model config is sized for {model_config.num_shows} shows and {model_config.num_asset_types} asset types "
            f"but the dataset has {vocabulary.num_shows} and {vocabulary.num_asset_types}: size it from the dataset"
        )
    train_samples, val_samples = dataset.split("train"), dataset.split("val")
    if len(train_samples) == 0 or len(val_samples) == 0:
        raise InvalidInputError(
            f"the dataset has {len(train_samples)} train and {len(val_samples)} validation samples; training needs "
            "both: prepare it from a larger log"
        )
    with _torch_threads(config.num_threads):
        torch.manual_seed(config.seed)
        model = LSTMNextShow(model_config)
        tensors = TrainingTensors.from_samples(train_samples, vocabulary, dataset.window)
        val_cases = EvaluationCases.from_samples(val_samples, vocabulary, dataset.window)
        best_state, best_epoch, history = _fit(model, tensors, val_cases, config, name, progress)
        model.load_state_dict(best_state)
        metrics = _final_metrics(model, dataset, config, val_cases)
    checkpoint = Checkpoint(
        name=name,
        model_config=model_config,
        state_dict=best_state,
        vocabulary=vocabulary,
        window=dataset.window,
        viewers=ViewerHistories.from_inference(dataset.inference, vocabulary, dataset.window),
        popular_show_ids=popular_show_ids(dataset.train_plays),
        training_config=config.to_dict(),
        best_epoch=best_epoch,
        metrics=metrics,
        history=[record.to_dict() for record in history],
    )
    seconds = time.perf_counter() - started
    write_outputs(paths, checkpoint, _summary(checkpoint, paths, dataset, len(history), seconds))
    return TrainResult(paths.checkpoint, checkpoint, metrics, seconds, paths.metrics, paths.curve)


def batch_loss(model: LSTMNextShow, batch: Batch, objective: Objective) -> tuple[torch.Tensor, int]:
    """Mean cross entropy of a batch and the number of targets it averages over.

    ``last``: one target per window, after its newest play. ``dense``: every non-padding position predicts the
    next play (``dense_targets``), from the same forward pass; only those positions are projected to the catalogue.
    """
    if objective == "last":
        logits = model.predict(batch.show_index, batch.asset_index, batch.minutes)  # (batch, shows + 1)
        return F.cross_entropy(logits, batch.target_index), len(batch)
    hidden = model.encode(batch.show_index, batch.asset_index, batch.minutes)  # (batch, window, hidden)
    targets = dense_targets(batch.show_index, batch.target_index)  # (batch, window)
    real = batch.show_index != PAD_INDEX
    logits = model.scores(hidden[real])  # (positions, shows + 1)
    return F.cross_entropy(logits, targets[real]), int(real.sum())


def _fit(
    model: LSTMNextShow,
    tensors: TrainingTensors,
    val_cases: EvaluationCases,
    config: TrainingConfig,
    name: str,
    progress: bool,
) -> tuple[dict[str, torch.Tensor], int, list[EpochRecord]]:
    """Run the epochs; return the best epoch's weights (a copy), its 1-based number, and the history."""
    optimizer = torch.optim.Adam(model.parameters(), lr=config.learning_rate, weight_decay=config.weight_decay)
    rng = np.random.default_rng(config.seed)
    steps_per_epoch = math.ceil(len(tensors) / config.batch_size)
    total_steps = steps_per_epoch * config.epochs
    num_shows = model.config.num_shows
    best_state: dict[str, torch.Tensor] = _copy_state(model)
    best_score, best_epoch, since_best = (-1.0, -1.0), 0, 0
    history: list[EpochRecord] = []
    step = 0
    for epoch in range(1, config.epochs + 1):
        epoch_started = time.perf_counter()
        model.train()
        loss_sum, targets_seen, samples_seen, lr = 0.0, 0, 0, config.learning_rate
        bar = tqdm(
            total=steps_per_epoch,
            desc=f"{name} epoch {epoch}/{config.epochs}",
            unit="batch",
            file=sys.stderr,
            disable=None if progress else True,
            leave=False,
        )
        with bar:
            for step_in_epoch, batch in enumerate(shuffled_batches(tensors, config.batch_size, rng), start=1):
                lr = learning_rate_at(step, config.learning_rate, total_steps, config.lr_schedule, config.warmup_steps)
                for group in optimizer.param_groups:
                    group["lr"] = lr
                optimizer.zero_grad(set_to_none=True)
                loss, count = batch_loss(model, batch, config.objective)
                value = float(loss.item())
                if not math.isfinite(value):
                    raise TrainingError(
                        f"training loss is {value} at epoch {epoch}, step {step_in_epoch} of {steps_per_epoch}: "
                        "lower the learning rate (--lr), keep gradient clipping on (--grad-clip), or check the data"
                    )
                loss.backward()  # type: ignore[no-untyped-call]
                if config.grad_clip_norm is not None:
                    torch.nn.utils.clip_grad_norm_(model.parameters(), config.grad_clip_norm)
                optimizer.step()
                step += 1
                loss_sum += value * count
                targets_seen += count
                samples_seen += len(batch)
                bar.update(1)
                if step_in_epoch % _POSTFIX_EVERY == 0 or step_in_epoch == steps_per_epoch:
                    rate = samples_seen / max(time.perf_counter() - epoch_started, 1e-9)
                    bar.set_postfix(loss=f"{loss_sum / targets_seen:.4f}", samples_s=f"{rate:,.0f}", refresh=False)
        train_seconds = time.perf_counter() - epoch_started
        val = evaluate_scorer(model_scorer(model), val_cases, num_shows, ks=(10,), batch_size=config.eval_batch_size)
        score = (val[SELECTION_METRICS[0]], val[SELECTION_METRICS[1]])
        history.append(
            EpochRecord(
                epoch=epoch,
                train_loss=loss_sum / targets_seen,
                val={metric: finite_or_none(val[metric]) for metric in _EPOCH_METRICS if metric in val},
                lr=lr,
                seconds=time.perf_counter() - epoch_started,
                samples_per_second=samples_seen / max(train_seconds, 1e-9),
            )
        )
        if score > best_score:
            best_score, best_epoch, since_best = score, epoch, 0
            best_state = _copy_state(model)
        else:
            since_best += 1
            if config.early_stopping_patience is not None and since_best >= config.early_stopping_patience:
                break
    return best_state, best_epoch, history


def _final_metrics(
    model: LSTMNextShow, dataset: Dataset, config: TrainingConfig, val_cases: EvaluationCases
) -> dict[str, dict[str, float | None]]:
    """All metrics of the (best) model on train (a seeded subsample when capped), val and test."""
    vocabulary, window, num_shows = dataset.vocabulary, dataset.window, model.config.num_shows
    scorer = model_scorer(model)
    train_samples = dataset.split("train")
    total_train = len(train_samples)
    if config.train_eval_cases is not None and total_train > config.train_eval_cases:
        rows = np.sort(np.random.default_rng(config.seed).choice(total_train, config.train_eval_cases, replace=False))
        train_samples = train_samples[rows]
    splits: dict[str, tuple[EvaluationCases, int]] = {
        "train": (EvaluationCases.from_samples(train_samples, vocabulary, window), 0),
        "val": (val_cases, 0),
        "test": (EvaluationCases.from_samples(dataset.split("test"), vocabulary, window), config.bootstrap_samples),
    }
    metrics: dict[str, dict[str, float | None]] = {}
    for split, (cases, bootstrap) in splits.items():
        graded = evaluate_scorer(
            scorer, cases, num_shows, batch_size=config.eval_batch_size, bootstrap_samples=bootstrap, seed=config.seed
        )
        metrics[split] = {metric: finite_or_none(value) for metric, value in graded.items()}
    metrics["train"]["total_cases"] = float(total_train)
    return metrics


def _summary(
    checkpoint: Checkpoint, paths: OutputPaths, dataset: Dataset, epochs_run: int, seconds: float
) -> dict[str, Any]:
    """What ``NAME.metrics.json`` holds: the split metrics at the top, then how they were obtained."""
    return {
        "name": checkpoint.name,
        "checkpoint": paths.checkpoint.name,
        "protocol": dataset.info.get("protocol"),
        "best_epoch": checkpoint.best_epoch,
        "epochs_run": epochs_run,
        "selection": "highest val recall@10, ties broken by val ndcg@10",
        **checkpoint.metrics,
        "seconds": seconds,
        "model_config": checkpoint.model_config.to_dict(),
        "training_config": checkpoint.training_config,
        "history": checkpoint.history,
    }


def _copy_state(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    return {key: value.detach().clone() for key, value in model.state_dict().items()}


@contextlib.contextmanager
def _torch_threads(num_threads: int | None) -> Iterator[None]:
    """Use ``num_threads`` intra-op threads inside the block, then restore the previous count."""
    if num_threads is None:
        yield
        return
    previous = torch.get_num_threads()
    torch.set_num_threads(num_threads)
    try:
        yield
    finally:
        torch.set_num_threads(previous)
