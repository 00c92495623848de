"""The training configuration: one frozen, validated dataclass; unknown keys fail loudly."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any, Final, Literal

from nextwatch.config_data import config_from_dict
from nextwatch.errors import InvalidOptionError

__all__ = ["LR_SCHEDULES", "OBJECTIVES", "LRSchedule", "Objective", "TrainingConfig"]

Objective = Literal["last", "dense"]
LRSchedule = Literal["constant", "cosine"]
OBJECTIVES: Final = ("last", "dense")
LR_SCHEDULES: Final = ("constant", "cosine")


@dataclass(frozen=True)
class TrainingConfig:
    """How to train; the defaults are the reference's (Adam, lr 0.001, batch 512, 10 epochs, loss on the last step).

    ``objective="last"`` puts the loss on the target after the window only (the reference); ``"dense"`` puts it at
    every non-padding position (each prefix predicts the next play) for the same forward pass.
    ``grad_clip_norm=None`` turns clipping off. ``train_eval_cases`` caps the train split's final evaluation at a
    seeded subsample of that many cases (None: all), so grading train does not dominate a large run.
    """

    epochs: int = 10
    learning_rate: float = 1e-3
    batch_size: int = 512
    objective: Objective = "last"
    seed: int = 42
    grad_clip_norm: float | None = 1.0
    weight_decay: float = 0.0
    lr_schedule: LRSchedule = "constant"
    warmup_steps: int = 0
    early_stopping_patience: int | None = None
    eval_batch_size: int = 1024
    num_threads: int | None = None
    train_eval_cases: int | None = 20_000
    bootstrap_samples: int = 1000

    def __post_init__(self) -> None:
        for name in ("epochs", "batch_size", "eval_batch_size"):
            _check_int(name, getattr(self, name), minimum=1)
        for name in ("seed", "warmup_steps", "bootstrap_samples"):
            _check_int(name, getattr(self, name), minimum=0)
        for name in ("early_stopping_patience", "num_threads", "train_eval_cases"):
            if getattr(self, name) is not None:
                _check_int(name, getattr(self, name), minimum=1)
        _check_float("learning_rate", self.learning_rate, positive=True)
        _check_float("weight_decay", self.weight_decay, positive=False)
        if self.grad_clip_norm is not None:
            _check_float("grad_clip_norm", self.grad_clip_norm, positive=True)
        if self.objective not in OBJECTIVES:
            raise InvalidOptionError(f"training objective must be one of {list(OBJECTIVES)}, got {self.objective!r}")
        if self.lr_schedule not in LR_SCHEDULES:
            raise InvalidOptionError(
                f"training lr_schedule must be one of {list(LR_SCHEDULES)}, got {self.lr_schedule!r}"
            )

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainingConfig:
        return config_from_dict(cls, data, "training config")


def _check_int(name: str, value: object, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidOptionError(f"training config {name} must be an integer >= {minimum}, got {value!r}")


def _check_float(name: str, value: object, positive: bool) -> None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or (positive and value <= 0) or (not positive and value < 0):  # type: ignore[operator]
        bound = "> 0" if positive else ">= 0"
        raise InvalidOptionError(f"training config {name} must be a finite number {bound}, got {value!r}")
