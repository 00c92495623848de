"""LSTMNextShow: shapes, the padding column, presets and config validation."""

import pytest
import torch

from nextwatch.errors import InvalidOptionError
from nextwatch.models.lstm import PRESETS, LSTMConfig, LSTMNextShow, preset_config


def test_padding_column_is_never_ranked() -> None:
    """Column 0 (padding) is -inf at every position; the shape is (batch, window, shows + 1)."""
    torch.manual_seed(0)
    model = LSTMNextShow(LSTMConfig(num_shows=5, num_asset_types=2, num_layers=2, hidden_dim=8))
    shows = torch.tensor([[0, 1, 2], [3, 4, 5]])
    logits = model(shows, torch.tensor([[0, 1, 2], [1, 1, 2]]), torch.tensor([[0.0, 3.0, 50.0], [1.0, 1.0, 2.0]]))
    assert logits.shape == (2, 3, 6)
    assert torch.isneginf(logits[..., 0]).all()
    assert torch.isfinite(logits[..., 1:]).all()
    assert model.predict(shows, shows.clamp(max=2), shows.float()).shape == (2, 6)


def test_presets_match_the_reference_sizes() -> None:
    """The three presets have the reference design's layers, embeddings, hidden size and dropout."""
    sizes = {name: preset_config(name, 10, 4) for name in PRESETS}
    assert [(c.num_layers, c.show_embedding_dim, c.hidden_dim, c.dropout) for c in sizes.values()] == [
        (1, 32, 128, 0.0),
        (2, 64, 128, 0.2),
        (3, 128, 256, 0.3),
    ]


def test_unknown_config_key_fails_loudly() -> None:
    """A misspelt key in a stored config is an error naming it."""
    with pytest.raises(InvalidOptionError, match="hiden_dim"):
        LSTMConfig.from_dict({"num_shows": 3, "num_asset_types": 1, "hiden_dim": 4})


def test_forget_gate_bias_starts_at_one_in_every_layer() -> None:
    """Every LSTM layer (not only the first) gets the forget-gate bias of 1 and a zero padding embedding."""
    model = LSTMNextShow(LSTMConfig(num_shows=4, num_asset_types=1, num_layers=3, hidden_dim=4))
    for layer in range(3):
        bias = getattr(model.lstm, f"bias_ih_l{layer}") + getattr(model.lstm, f"bias_hh_l{layer}")
        assert bias[4:8].tolist() == [1.0] * 4
        assert bias[:4].tolist() == [0.0] * 4
    assert model.show_embedding.weight[0].abs().sum().item() == 0.0
