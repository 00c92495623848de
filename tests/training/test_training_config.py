"""TrainingConfig: the reference defaults, validation, and a strict dict round trip."""

import pytest

from nextwatch.errors import InvalidOptionError
from nextwatch.training.config import TrainingConfig


def test_defaults_are_the_reference() -> None:
    """The defaults are 10 epochs, Adam lr 0.001, batch 512, loss on the last step, clipping at norm 1."""
    config = TrainingConfig()
    assert (config.epochs, config.learning_rate, config.batch_size, config.objective) == (10, 1e-3, 512, "last")
    assert (config.grad_clip_norm, config.lr_schedule, config.early_stopping_patience) == (1.0, "constant", None)


def test_dict_round_trip() -> None:
    """to_dict then from_dict gives back an equal config."""
    config = TrainingConfig(epochs=3, objective="dense", lr_schedule="cosine", warmup_steps=5, num_threads=2)
    assert TrainingConfig.from_dict(config.to_dict()) == config


def test_unknown_key_is_named() -> None:
    """A misspelt key fails loudly and names itself."""
    with pytest.raises(InvalidOptionError, match="learning_rat"):
        TrainingConfig.from_dict({"learning_rat": 0.1})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("epochs", 0),
        ("epochs", 2.5),
        ("learning_rate", 0.0),
        ("learning_rate", float("inf")),
        ("learning_rate", float("nan")),
        ("batch_size", -1),
        ("objective", "every"),
        ("lr_schedule", "linear"),
        ("grad_clip_norm", 0.0),
        ("weight_decay", -0.1),
        ("warmup_steps", -1),
        ("early_stopping_patience", 0),
        ("num_threads", 0),
        ("seed", -3),
        ("train_eval_cases", 0),
    ],
)
def test_bad_values_are_refused(field: str, value: object) -> None:
    """Every out-of-range value is an InvalidOptionError naming the field."""
    with pytest.raises(InvalidOptionError, match=field):
        TrainingConfig.from_dict({field: value})
