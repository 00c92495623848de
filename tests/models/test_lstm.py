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


def test_repeat_head_scores_are_a_distribution_over_shows() -> None:
    """With the repeat head, exp(scores) sums to 1 over the real shows at every position after a play."""
    torch.manual_seed(0)
    model = LSTMNextShow(LSTMConfig(num_shows=6, num_asset_types=1, num_layers=1, hidden_dim=4)).eval()
    shows = torch.tensor([[0, 2, 5, 2], [1, 1, 1, 1]])
    probabilities = model(shows, (shows > 0).long(), shows.float()).exp()
    assert torch.allclose(probabilities[:, 1:].sum(-1), torch.ones(2, 3))
    assert torch.allclose(model.predict(shows, (shows > 0).long(), shows.float()).exp(), probabilities[:, -1])


def test_repeat_head_starts_as_recency_weighted_repeats() -> None:
    """At initialisation a window show gets 0.75 * (its plays' 0.8 ** age) / (all plays' 0.8 ** age) on top."""
    torch.manual_seed(0)
    model = LSTMNextShow(LSTMConfig(num_shows=5, num_asset_types=1, num_layers=1, hidden_dim=4)).eval()
    shows = torch.tensor([[0, 2, 3, 2]])
    probabilities = model.predict(shows, (shows > 0).long(), shows.float()).exp()[0]
    explore = torch.softmax(model.output(model.encode(shows, (shows > 0).long(), shows.float())[:, -1])[0, 1:], -1)
    total = 1 + 0.8 + 0.8**2
    expected_repeat = torch.zeros(5)
    expected_repeat[1] = (1 + 0.8**2) / total  # show index 2: ages 0 and 2
    expected_repeat[2] = 0.8 / total  # show index 3: age 1
    assert torch.allclose(probabilities[1:], 0.75 * expected_repeat + 0.25 * explore, atol=1e-6)


def test_without_repeat_head_scores_are_the_projection() -> None:
    """repeat_head=False is the reference architecture: the scores are the linear layer's logits."""
    torch.manual_seed(0)
    model = LSTMNextShow(LSTMConfig(num_shows=4, num_asset_types=1, num_layers=1, hidden_dim=4, repeat_head=False))
    model.eval()
    shows = torch.tensor([[1, 2, 3]])
    logits = model.predict(shows, torch.ones_like(shows), shows.float())
    expected = model.output(model.encode(shows, torch.ones_like(shows), shows.float())[:, -1])
    assert torch.equal(logits[:, 1:], expected[:, 1:])
    assert not any(name.startswith("repeat") for name, _ in model.named_parameters())


def _mixture_by_definition(model: LSTMNextShow, shows: torch.Tensor) -> torch.Tensor:
    """g p_repeat + (1 - g) p_explore at the last position, built densely from the documented formula."""
    hidden = model.encode(shows, (shows > 0).long(), shows.float())[:, -1]
    gate = torch.sigmoid(model.repeat_gate(hidden))  # (batch, 1)
    logits = model.output(hidden).clone()
    logits[:, 0] = float("-inf")
    explore = torch.softmax(logits, dim=-1)
    window = shows.shape[1]
    weight = model.repeat_age_weight[torch.arange(window - 1, -1, -1)].exp() * (shows > 0)  # (batch, window)
    repeat = torch.zeros_like(explore).scatter_add(1, shows, weight)
    repeat[:, 0] = 0.0
    repeat = repeat / repeat.sum(dim=1, keepdim=True)
    return gate * repeat + (1 - gate) * explore


def test_repeat_head_gradients_match_the_formula() -> None:
    """Loss and gradients equal those of the mixture written out densely, a show played twice included."""
    torch.manual_seed(0)
    model = LSTMNextShow(LSTMConfig(num_shows=6, num_asset_types=1, num_layers=1, hidden_dim=4)).eval()
    shows = torch.tensor([[0, 3, 5, 3, 3], [1, 2, 3, 4, 2]])
    targets = torch.tensor([3, 6])
    loss = torch.nn.functional.cross_entropy(model.predict(shows, (shows > 0).long(), shows.float()), targets)
    loss.backward()
    ours = [p.grad.clone() for p in (model.repeat_age_weight, model.repeat_gate.bias, model.output.weight)]
    model.zero_grad()
    reference = -_mixture_by_definition(model, shows).gather(1, targets.unsqueeze(1)).log().mean()
    reference.backward()
    assert torch.allclose(loss, reference, atol=1e-6)
    for mine, expected in zip(
        ours, (model.repeat_age_weight.grad, model.repeat_gate.bias.grad, model.output.weight.grad), strict=True
    ):
        assert torch.allclose(mine, expected, atol=1e-6)
