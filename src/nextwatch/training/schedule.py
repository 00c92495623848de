"""The learning rate as a pure function of the optimiser step (as in nanoGPT)."""

from __future__ import annotations

import math

from nextwatch.training.config import LRSchedule

__all__ = ["learning_rate_at"]


def learning_rate_at(
    step: int, base_lr: float, total_steps: int, schedule: LRSchedule = "constant", warmup_steps: int = 0
) -> float:
    """Learning rate of optimiser step ``step`` (0-based) out of ``total_steps``.

    A linear warmup over the first ``warmup_steps`` steps reaches ``base_lr`` at step ``warmup_steps - 1``; after
    it, ``constant`` holds ``base_lr`` and ``cosine`` decays along half a cosine towards 0 at ``total_steps``.

    >>> [learning_rate_at(s, 1.0, 6, "cosine", warmup_steps=2) for s in range(6)]
    [0.5, 1.0, 1.0, 0.8535533905932737, 0.5, 0.14644660940672627]
    """
    if step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    if schedule == "constant":
        return base_lr
    progress = (step - warmup_steps) / max(1, total_steps - warmup_steps)
    return base_lr * 0.5 * (1.0 + math.cos(math.pi * min(progress, 1.0)))
