"""A checkpoint that describes itself (Contract 4): weights, configs, vocabulary, viewers, metrics, format version.

It is ``torch.save`` of plain data and tensors only and loads with ``torch.load(path, weights_only=True)``.
"""

from __future__ import annotations

import pickle  # only for the exception type torch raises on a damaged file
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import numpy as np
import polars as pl
import torch

from nextwatch.atomic_io import atomic_path
from nextwatch.errors import CheckpointError
from nextwatch.models.lstm import LSTMConfig, LSTMNextShow
from nextwatch.sequences.encoding import encode_windows, list_column_parts
from nextwatch.sequences.vocabulary import Vocabulary

__all__ = [
    "CHECKPOINT_FORMAT",
    "CHECKPOINT_FORMAT_VERSION",
    "Checkpoint",
    "ViewerHistories",
    "build_model",
    "load_checkpoint",
    "popular_show_ids",
    "save_checkpoint",
]

CHECKPOINT_FORMAT: Final = "nextwatch-checkpoint"
CHECKPOINT_FORMAT_VERSION: Final = 1


@dataclass(frozen=True)
class ViewerHistories:
    """The newest window of every known viewer, encoded, and each viewer's seen shows (CSR), as tensors."""

    user_ids: torch.Tensor  # (viewers,) int64, ascending
    show_index: torch.Tensor  # (viewers, window) int64, left padded
    asset_index: torch.Tensor  # (viewers, window) int64
    minutes: torch.Tensor  # (viewers, window) float32, raw minutes
    seen_offsets: torch.Tensor  # (viewers + 1,) int64
    seen_index: torch.Tensor  # (total seen,) int64 show indices

    @classmethod
    def from_inference(cls, inference: pl.DataFrame, vocabulary: Vocabulary, window: int) -> ViewerHistories:
        """Encode ``inference.parquet``'s rows (any order) into tensors sorted by user id."""
        frame = inference.sort("user_id")
        windows = encode_windows(frame, vocabulary, window)
        offsets, seen_values = list_column_parts(frame["seen_show_ids"])
        return cls(
            user_ids=torch.from_numpy(frame["user_id"].cast(pl.Int64).to_numpy().copy()),
            show_index=torch.from_numpy(windows.show_index),
            asset_index=torch.from_numpy(windows.asset_index),
            minutes=torch.from_numpy(windows.minutes),
            seen_offsets=torch.from_numpy(offsets.copy()),
            seen_index=torch.from_numpy(vocabulary.show_index(seen_values.to_numpy())),
        )

    def row_of(self, user_id: int) -> int | None:
        """Row of ``user_id`` in these tensors, or None for a viewer never seen."""
        position = int(torch.searchsorted(self.user_ids, torch.tensor(user_id, dtype=torch.int64)))
        if position < len(self.user_ids) and int(self.user_ids[position]) == user_id:
            return position
        return None

    def seen_of(self, row: int) -> torch.Tensor:
        return self.seen_index[int(self.seen_offsets[row]) : int(self.seen_offsets[row + 1])]

    def to_dict(self) -> dict[str, torch.Tensor]:
        return {name: getattr(self, name) for name in _VIEWER_FIELDS}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ViewerHistories:
        missing = [name for name in _VIEWER_FIELDS if not isinstance(data.get(name), torch.Tensor)]
        if missing:
            raise CheckpointError(f"checkpoint viewers lack tensor(s) {missing}")
        return cls(**{name: data[name] for name in _VIEWER_FIELDS})


_VIEWER_FIELDS: Final = ("user_ids", "show_index", "asset_index", "minutes", "seen_offsets", "seen_index")


@dataclass(frozen=True)
class Checkpoint:
    """A trained model with everything needed to serve and to judge it."""

    name: str
    model_config: LSTMConfig
    state_dict: dict[str, torch.Tensor]
    vocabulary: Vocabulary
    window: int
    viewers: ViewerHistories
    popular_show_ids: tuple[int, ...]
    training_config: dict[str, Any] = field(default_factory=dict)
    best_epoch: int = 0
    metrics: dict[str, Any] = field(default_factory=dict)
    history: list[dict[str, Any]] = field(default_factory=list)
    model_type: str = "lstm"

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": CHECKPOINT_FORMAT,
            "format_version": CHECKPOINT_FORMAT_VERSION,
            "name": self.name,
            "model_type": self.model_type,
            "model_config": self.model_config.to_dict(),
            "state_dict": self.state_dict,
            "vocabulary": self.vocabulary.to_dict(),
            "window": self.window,
            "viewers": self.viewers.to_dict(),
            "popular_show_ids": list(self.popular_show_ids),
            "training_config": self.training_config,
            "best_epoch": self.best_epoch,
            "metrics": self.metrics,
            "history": self.history,
        }


def save_checkpoint(path: Path | str, checkpoint: Checkpoint) -> None:
    """Write ``checkpoint`` atomically: a reader sees the old file or the whole new one."""
    with atomic_path(path) as tmp:
        torch.save(checkpoint.to_dict(), tmp)


def load_checkpoint(path: Path | str) -> Checkpoint:
    """Read a checkpoint; truncated, foreign or other-version files raise CheckpointError saying what to do."""
    source = Path(path)
    if not source.is_file():
        raise CheckpointError(f"checkpoint {source} does not exist: train one with `nextwatch train`")
    try:
        data = torch.load(source, map_location="cpu", weights_only=True)
    except (RuntimeError, EOFError, OSError, zipfile.BadZipFile, pickle.UnpicklingError, ValueError) as error:
        raise CheckpointError(
            f"{source} is not a readable nextwatch checkpoint (truncated or another format: {error}); "
            "train it again with `nextwatch train`"
        ) from error
    if not isinstance(data, dict) or data.get("format") != CHECKPOINT_FORMAT:
        raise CheckpointError(f"{source} is not a nextwatch checkpoint")
    if data.get("format_version") != CHECKPOINT_FORMAT_VERSION:
        raise CheckpointError(
            f"{source} has checkpoint format version {data.get('format_version')!r}; this nextwatch reads version "
            f"{CHECKPOINT_FORMAT_VERSION}: train it again with `nextwatch train`"
        )
    if data.get("model_type") != "lstm":
        raise CheckpointError(f"{source} holds a model of type {data.get('model_type')!r}, which this nextwatch lacks")
    try:
        return Checkpoint(
            name=str(data["name"]),
            model_type=str(data["model_type"]),
            model_config=LSTMConfig.from_dict(dict(data["model_config"])),
            state_dict=dict(data["state_dict"]),
            vocabulary=Vocabulary.from_dict(dict(data["vocabulary"]), source=str(source)),
            window=int(data["window"]),
            viewers=ViewerHistories.from_dict(dict(data["viewers"])),
            popular_show_ids=tuple(int(s) for s in data["popular_show_ids"]),
            training_config=dict(data.get("training_config", {})),
            best_epoch=int(data.get("best_epoch", 0)),
            metrics=dict(data.get("metrics", {})),
            history=list(data.get("history", [])),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise CheckpointError(f"{source} is a damaged nextwatch checkpoint (field {error})") from error


def build_model(checkpoint: Checkpoint) -> LSTMNextShow:
    """The checkpoint's model with its weights, in inference mode."""
    model = LSTMNextShow(checkpoint.model_config)
    try:
        model.load_state_dict(checkpoint.state_dict)
    except RuntimeError as error:
        raise CheckpointError(f"checkpoint weights do not fit its model config: {error}") from error
    model.eval()
    return model


def popular_show_ids(train_plays: pl.DataFrame) -> tuple[int, ...]:
    """Show ids by play count in the training plays, most played first; ties by ascending show id."""
    counts = train_plays.group_by("show_id").len().sort(["len", "show_id"], descending=[True, False])
    return tuple(int(s) for s in counts["show_id"].to_numpy(allow_copy=True).astype(np.int64))
