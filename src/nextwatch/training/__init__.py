"""Training: a frozen config, vectorised batches, an LR schedule and the loop that writes a checkpoint."""

from nextwatch.training.config import TrainingConfig
from nextwatch.training.loop import TrainResult, train_model
from nextwatch.training.schedule import learning_rate_at

__all__ = ["TrainResult", "TrainingConfig", "learning_rate_at", "train_model"]
