"""PrepareConfig: validation of every option, and its plain-data round trip."""

import pytest

from nextwatch.errors import InvalidOptionError
from nextwatch.sequences.config import PrepareConfig


@pytest.mark.parametrize(
    "options",
    [
        {"protocol": "random"},
        {"window": 0},
        {"window": True},
        {"seed": -1},
        {"val_days": 0},
        {"test_days": 2.5},
        {"protocol": "temporal", "stride": 0},
        {"protocol": "seed", "stride": 5},
    ],
)
def test_bad_option_is_rejected(options: dict[str, object]) -> None:
    """An out-of-range, wrongly typed or inapplicable option is an InvalidOptionError."""
    with pytest.raises(InvalidOptionError):
        PrepareConfig(**options)  # type: ignore[arg-type]


def test_default_stride_is_window_plus_one() -> None:
    """Without a stride the training windows step window + 1 plays: they do not overlap."""
    assert PrepareConfig(protocol="temporal", window=10).training_stride == 11
    assert PrepareConfig(protocol="temporal", stride=3).training_stride == 3


def test_plain_data_round_trip() -> None:
    """to_dict gives plain data that from_dict turns back into the same config."""
    config = PrepareConfig(protocol="leave-one-out", window=5, stride=2)
    assert PrepareConfig.from_dict(config.to_dict()) == config


def test_unknown_key_is_rejected() -> None:
    """A misspelt key fails loudly and names the key."""
    with pytest.raises(InvalidOptionError, match="windw"):
        PrepareConfig.from_dict({"windw": 20})
