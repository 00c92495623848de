"""What a training run leaves beside its checkpoint: ``NAME.pth``, ``NAME.metrics.json`` and ``NAME.curve.png``.

The three files are written to temporaries and renamed into place together, so a reader never sees a half run.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from nextwatch.atomic_io import atomic_paths
from nextwatch.checkpoint import Checkpoint, save_checkpoint
from nextwatch.errors import InvalidOptionError

__all__ = ["OutputPaths", "check_name", "finite_or_none", "output_paths", "plot_training_curve", "write_outputs"]

_NAME: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


@dataclass(frozen=True)
class OutputPaths:
    checkpoint: Path
    metrics: Path
    curve: Path


def check_name(name: str) -> None:
    """A run name becomes file names: letters, digits, ``_ . -``, not starting with a dot or a dash."""
    if not _NAME.fullmatch(name):
        raise InvalidOptionError(f"run name {name!r} must be letters, digits, '_', '.' or '-' (it names the files)")


def output_paths(out_dir: Path, name: str) -> OutputPaths:
    """``out_dir/NAME.pth``, ``out_dir/NAME.metrics.json`` and ``out_dir/NAME.curve.png``."""
    return OutputPaths(out_dir / f"{name}.pth", out_dir / f"{name}.metrics.json", out_dir / f"{name}.curve.png")


def finite_or_none(value: float) -> float | None:
    """NaN and infinities become None, so the JSON is strict (``null``) rather than ``NaN``."""
    return value if math.isfinite(value) else None


def write_outputs(paths: OutputPaths, checkpoint: Checkpoint, summary: dict[str, Any]) -> None:
    """Write the checkpoint, the metrics JSON and the training curve; all three appear only once all are written."""
    with atomic_paths([paths.checkpoint, paths.metrics, paths.curve]) as (checkpoint_tmp, metrics_tmp, curve_tmp):
        save_checkpoint(checkpoint_tmp, checkpoint)
        metrics_tmp.write_text(json.dumps(summary, indent=2, allow_nan=False) + "\n")
        plot_training_curve(checkpoint.history, curve_tmp, title=checkpoint.name, best_epoch=checkpoint.best_epoch)


def plot_training_curve(history: list[dict[str, Any]], path: Path, title: str, best_epoch: int) -> None:
    """A PNG with the train loss (left axis) and validation Recall@10 (right axis) per epoch; the best epoch marked.

    Draws on an Agg canvas of its own, so it neither needs a display nor changes matplotlib's global backend.
    """
    epochs = [record["epoch"] for record in history]
    figure = Figure(figsize=(7.0, 4.0), dpi=100)
    FigureCanvasAgg(figure)
    loss_axis = figure.add_subplot(1, 1, 1)
    loss_axis.plot(epochs, [record["train_loss"] for record in history], "o-", color="tab:blue", label="train loss")
    loss_axis.set_xlabel("epoch")
    loss_axis.xaxis.set_major_locator(MaxNLocator(integer=True))
    loss_axis.set_ylabel("train loss (cross entropy)", color="tab:blue")
    recall_axis = loss_axis.twinx()
    recalls = [math.nan if record.get("val_recall@10") is None else record["val_recall@10"] for record in history]
    recall_axis.plot(epochs, recalls, "s-", color="tab:orange", label="val Recall@10")
    recall_axis.set_ylabel("validation Recall@10", color="tab:orange")
    if best_epoch:
        loss_axis.axvline(best_epoch, color="grey", linestyle="--", linewidth=1)
    loss_axis.set_title(f"{title}: best epoch {best_epoch}")
    figure.tight_layout()
    figure.savefig(path, format="png")
