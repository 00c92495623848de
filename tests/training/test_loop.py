"""train_model: overfitting a tiny dataset, determinism, NaN losses, best-epoch selection, early stopping, outputs."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import torch

from nextwatch.checkpoint import load_checkpoint
from nextwatch.errors import InvalidOptionError, TrainingError
from nextwatch.models.lstm import LSTMConfig, LSTMNextShow
from nextwatch.sequences.dataset_files import Dataset
from nextwatch.training import loop
from nextwatch.training.batches import Batch, TrainingTensors
from nextwatch.training.config import TrainingConfig
from nextwatch.training.loop import batch_loss, train_model

FAST = {"learning_rate": 0.03, "batch_size": 16, "bootstrap_samples": 50}


@pytest.mark.parametrize("objective", ["last", "dense"])
def test_tiny_model_overfits_tiny_dataset(
    tiny_dataset: Dataset, tmp_path: Path, objective: str, tiny_model_config: Callable[..., LSTMConfig]
) -> None:
    """On a deterministic cycle the loss falls tenfold, train Recall@10 and val Recall@1 reach 1."""
    config = TrainingConfig(epochs=20, objective=objective, **FAST)  # type: ignore[arg-type]
    result = train_model(tiny_dataset, tiny_model_config(), config, tmp_path, "tiny", progress=False)
    losses = [record["train_loss"] for record in result.checkpoint.history]
    assert losses[-1] < losses[0] / 10
    assert result.metrics["train"]["recall@10"] == 1.0
    assert result.metrics["val"]["recall@1"] == 1.0
    assert result.metrics["train"]["cases"] == result.metrics["train"]["total_cases"] == 24 * 4


def test_same_seed_same_weights_and_metrics(
    tiny_dataset: Dataset, tmp_path: Path, tiny_model_config: Callable[..., LSTMConfig]
) -> None:
    """Two runs with one seed give identical weights, metrics and losses; another seed gives other weights."""
    config = TrainingConfig(epochs=3, objective="dense", **FAST)
    model_config = tiny_model_config(num_layers=2, dropout=0.3)
    first = train_model(tiny_dataset, model_config, config, tmp_path / "a", "run", progress=False)
    second = train_model(tiny_dataset, model_config, config, tmp_path / "b", "run", progress=False)
    other = train_model(
        tiny_dataset, model_config, TrainingConfig(epochs=3, objective="dense", seed=7, **FAST), tmp_path, "o", False
    )
    assert first.metrics == second.metrics
    assert [r["train_loss"] for r in first.checkpoint.history] == [r["train_loss"] for r in second.checkpoint.history]
    for key, tensor in first.checkpoint.state_dict.items():
        assert torch.equal(tensor, second.checkpoint.state_dict[key]), key
    assert not torch.equal(first.checkpoint.state_dict["output.weight"], other.checkpoint.state_dict["output.weight"])


def test_nan_loss_is_a_training_error(
    tiny_dataset: Dataset,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    tiny_model_config: Callable[..., LSTMConfig],
) -> None:
    """A NaN in one sample's minutes poisons its batch: TrainingError naming epoch 1 and the step, no checkpoint."""
    real = TrainingTensors.from_samples

    def poisoned(samples: Any, vocabulary: Any, window: int) -> TrainingTensors:
        tensors = real(samples, vocabulary, window)
        tensors.minutes[5, -1] = float("nan")
        return tensors

    monkeypatch.setattr(loop.TrainingTensors, "from_samples", staticmethod(poisoned))
    config = TrainingConfig(epochs=2, batch_size=16)
    with pytest.raises(TrainingError, match=r"loss is nan at epoch 1, step \d of 6"):
        train_model(tiny_dataset, tiny_model_config(), config, tmp_path, "boom", progress=False)
    assert not (tmp_path / "boom.pth").exists()


def test_dense_loss_equals_last_loss_on_one_play_windows(tiny_model_config: Callable[..., LSTMConfig]) -> None:
    """With one real play per window the dense objective has only the last position, so both losses agree."""
    torch.manual_seed(0)
    model = LSTMNextShow(tiny_model_config())
    batch = Batch(
        show_index=torch.tensor([[0, 0, 3], [0, 0, 7]]),
        asset_index=torch.tensor([[0, 0, 1], [0, 0, 2]]),
        minutes=torch.tensor([[0.0, 0.0, 12.0], [0.0, 0.0, 30.0]]),
        target_index=torch.tensor([4, 8]),
    )
    dense, dense_count = batch_loss(model, batch, "dense")
    last, last_count = batch_loss(model, batch, "last")
    assert (dense_count, last_count) == (2, 2)
    assert torch.allclose(dense, last)


def test_dense_loss_counts_every_real_position(tiny_model_config: Callable[..., LSTMConfig]) -> None:
    """A full window of 3 plays and a window of 2 give 5 dense targets."""
    torch.manual_seed(0)
    model = LSTMNextShow(tiny_model_config())
    batch = Batch(
        show_index=torch.tensor([[1, 2, 3], [0, 5, 6]]),
        asset_index=torch.tensor([[1, 1, 1], [0, 2, 2]]),
        minutes=torch.ones(2, 3),
        target_index=torch.tensor([4, 7]),
    )
    assert batch_loss(model, batch, "dense")[1] == 5


def _scripted_validation(monkeypatch: pytest.MonkeyPatch, recalls: list[float]) -> list[dict[str, torch.Tensor]]:
    """Make per-epoch validation return ``recalls`` in turn and record the weights seen at each epoch."""
    real_evaluate = loop.evaluate_scorer
    real_scorer = loop.model_scorer
    seen: list[dict[str, torch.Tensor]] = []
    epoch_calls = iter(recalls)

    def scorer(model: LSTMNextShow) -> Any:
        seen.append({k: v.clone() for k, v in model.state_dict().items()})
        return real_scorer(model)

    def evaluate(scorer: Any, cases: Any, num_shows: int, ks: Any = (1, 5, 10, 20), **kwargs: Any) -> dict[str, float]:
        if tuple(ks) == (10,):
            return {"recall@10": next(epoch_calls), "ndcg@10": 0.0}
        return dict(real_evaluate(scorer, cases, num_shows, ks, **kwargs))

    monkeypatch.setattr(loop, "model_scorer", scorer)
    monkeypatch.setattr(loop, "evaluate_scorer", evaluate)
    return seen


def test_best_epoch_weights_are_kept(
    tiny_dataset: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny_model_config: Callable[..., LSTMConfig]
) -> None:
    """With validation recalls 0.2, 0.6, 0.4, 0.6 epoch 2 is best (ties keep the earlier) and its weights are saved."""
    seen = _scripted_validation(monkeypatch, [0.2, 0.6, 0.4, 0.6])
    result = train_model(tiny_dataset, tiny_model_config(), TrainingConfig(epochs=4, **FAST), tmp_path, "b", False)
    assert result.checkpoint.best_epoch == 2
    assert [r["val_recall@10"] for r in result.checkpoint.history] == [0.2, 0.6, 0.4, 0.6]
    for key, tensor in result.checkpoint.state_dict.items():
        assert torch.equal(tensor, seen[1][key]), key
    assert not torch.equal(seen[1]["output.weight"], seen[3]["output.weight"])


def test_early_stopping_after_patience(
    tiny_dataset: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny_model_config: Callable[..., LSTMConfig]
) -> None:
    """Patience 2 stops after two epochs without a gain: recalls 0.3, 0.5, 0.5, 0.4 end at epoch 4 of 10."""
    _scripted_validation(monkeypatch, [0.3, 0.5, 0.5, 0.4, 0.9, 0.9])
    config = TrainingConfig(epochs=10, early_stopping_patience=2, **FAST)
    result = train_model(tiny_dataset, tiny_model_config(), config, tmp_path, "e", progress=False)
    assert [r["epoch"] for r in result.checkpoint.history] == [1, 2, 3, 4]
    assert result.checkpoint.best_epoch == 2


def test_outputs_beside_the_checkpoint(
    tiny_dataset: Dataset, tmp_path: Path, tiny_model_config: Callable[..., LSTMConfig]
) -> None:
    """NAME.pth loads back with its metrics, NAME.metrics.json is strict JSON, NAME.curve.png is a PNG."""
    config = TrainingConfig(epochs=2, lr_schedule="cosine", warmup_steps=3, **FAST)
    result = train_model(tiny_dataset, tiny_model_config(), config, tmp_path / "out", "lstm_x", progress=False)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "lstm_x.curve.png",
        "lstm_x.metrics.json",
        "lstm_x.pth",
    ]
    loaded = load_checkpoint(result.checkpoint_path)
    assert loaded.metrics == result.metrics and set(loaded.metrics) == {"train", "val", "test"}
    assert loaded.training_config == config.to_dict() and loaded.window == 3
    assert loaded.viewers.user_ids.tolist() == list(range(1, 25))
    summary = json.loads(result.metrics_path.read_text(), parse_constant=lambda c: pytest.fail(f"non-strict {c}"))
    assert summary["best_epoch"] == loaded.best_epoch and summary["test"] == result.metrics["test"]
    assert {"recall@10_low", "recall@10_high", "new_recall@10"} <= set(summary["test"])
    assert [set(r) >= {"epoch", "train_loss", "val_recall@10", "lr", "seconds"} for r in summary["history"]] == [
        True,
        True,
    ]
    assert summary["history"][0]["lr"] < config.learning_rate  # the cosine schedule reached the optimiser
    assert result.curve_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_model_sized_for_another_vocabulary_is_refused(
    tiny_dataset: Dataset, tmp_path: Path, tiny_model_config: Callable[..., LSTMConfig]
) -> None:
    """A model config whose show count differs from the dataset's is an InvalidOptionError."""
    with pytest.raises(InvalidOptionError, match="24"):
        train_model(tiny_dataset, tiny_model_config(num_shows=5), TrainingConfig(epochs=1), tmp_path, "x", False)


def test_run_name_must_be_a_file_stem(
    tiny_dataset: Dataset, tmp_path: Path, tiny_model_config: Callable[..., LSTMConfig]
) -> None:
    """A run name with a slash is refused before any training."""
    with pytest.raises(InvalidOptionError, match="run name"):
        train_model(tiny_dataset, tiny_model_config(), TrainingConfig(epochs=1), tmp_path, "../evil", False)


def test_train_split_is_graded_on_a_seeded_subsample(
    tiny_dataset: Dataset, tmp_path: Path, tiny_model_config: Callable[..., LSTMConfig]
) -> None:
    """With train_eval_cases=10 train metrics cover 10 of the 96 train cases, the same 10 for the same seed."""
    config = TrainingConfig(epochs=1, train_eval_cases=10, **FAST)
    first = train_model(tiny_dataset, tiny_model_config(), config, tmp_path, "s", progress=False)
    second = train_model(tiny_dataset, tiny_model_config(), config, tmp_path, "s", progress=False)
    assert (first.metrics["train"]["cases"], first.metrics["train"]["total_cases"]) == (10.0, 96.0)
    assert first.metrics["train"] == second.metrics["train"]


def test_output_path_that_is_a_file_fails_before_training(
    tiny_dataset: Dataset, tmp_path: Path, tiny_model_config: Callable[..., LSTMConfig]
) -> None:
    """An output folder that is really a file is an InvalidOptionError raised before any epoch runs."""
    (tmp_path / "taken").write_text("a file")
    with pytest.raises(InvalidOptionError, match="taken"):
        train_model(tiny_dataset, tiny_model_config(), TrainingConfig(epochs=50), tmp_path / "taken", "x", False)
