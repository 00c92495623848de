"""The reference architecture: show and asset-type embeddings plus watch minutes, an LSTM, a projection to every show.

Inputs are left padded with index 0, so the newest play is always at position -1 (as in SASRec).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any, Final, Literal

import torch
import torch.nn.functional as F
from torch import nn

from nextwatch.config_data import config_from_dict
from nextwatch.errors import InvalidOptionError
from nextwatch.sequences.vocabulary import PAD_INDEX

__all__ = ["PRESETS", "REPEAT_GATE_PRIOR", "REPEAT_MAX_AGE", "LSTMConfig", "LSTMNextShow", "preset_config"]

# Plays older than this many steps share the repeat head's last age weight.
REPEAT_MAX_AGE: Final = 32
# Starting share of repeats: on TV logs most plays continue a show of the recent window.
REPEAT_GATE_PRIOR: Final = 0.75
_NEVER: Final = -1.0e4

MinutesScaling = Literal["log1p", "none"]


@dataclass(frozen=True)
class LSTMConfig:
    """Everything that fixes the model's shape. ``num_shows`` counts real shows; index 0 is padding.

    ``minutes_scaling="log1p"`` feeds ``log(1 + watch_minutes)``: minutes span 1..1440, and a raw value that
    large would swamp the embeddings; log1p keeps a 1-minute abandonment and a 3-hour film on one scale.

    ``repeat_head=True`` adds our one change to the reference architecture, a repeat/explore mixture in the spirit
    of RepeatNet (Ren et al., 2019): the next show is a repeat of a show in the window with probability g (a gate
    read from the hidden state), chosen by a learned weight per age (plays since each was watched, summed over
    its plays), or else any show from the projection's softmax. Re-offering what the viewer is watching (next
    episode, followed series) then takes a handful of parameters, learnt in the first steps, and the projection
    over thousands of shows is spent on discovery. The scores are log-probabilities. ``repeat_head=False`` is the
    reference architecture exactly (scores are logits).
    """

    num_shows: int
    num_asset_types: int
    num_layers: int = 2
    show_embedding_dim: int = 64
    asset_embedding_dim: int = 64
    hidden_dim: int = 128
    dropout: float = 0.2
    minutes_scaling: MinutesScaling = "log1p"
    repeat_head: bool = True

    def __post_init__(self) -> None:
        for name in ("num_shows", "num_layers", "show_embedding_dim", "asset_embedding_dim", "hidden_dim"):
            if getattr(self, name) < 1:
                raise InvalidOptionError(f"model config {name} must be at least 1, got {getattr(self, name)}")
        if self.num_asset_types < 0:
            raise InvalidOptionError(f"model config num_asset_types must be >= 0, got {self.num_asset_types}")
        if not 0.0 <= self.dropout < 1.0:
            raise InvalidOptionError(f"model config dropout must be in [0, 1), got {self.dropout}")
        if self.minutes_scaling not in ("log1p", "none"):
            raise InvalidOptionError(
                f"model config minutes_scaling must be 'log1p' or 'none', got {self.minutes_scaling!r}"
            )

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LSTMConfig:
        return config_from_dict(cls, data, "model config")


# The reference design's three sizes. Vocabulary sizes come from the dataset.
PRESETS: Final[dict[str, dict[str, Any]]] = {
    "lstm_1": {"num_layers": 1, "show_embedding_dim": 32, "asset_embedding_dim": 32, "hidden_dim": 128, "dropout": 0.0},
    "lstm_2": {"num_layers": 2, "show_embedding_dim": 64, "asset_embedding_dim": 64, "hidden_dim": 128, "dropout": 0.2},
    "lstm_3": {
        "num_layers": 3,
        "show_embedding_dim": 128,
        "asset_embedding_dim": 128,
        "hidden_dim": 256,
        "dropout": 0.3,
    },
}


def preset_config(name: str, num_shows: int, num_asset_types: int, **overrides: Any) -> LSTMConfig:
    """The preset ``name`` sized for a vocabulary, with optional field overrides."""
    if name not in PRESETS:
        raise InvalidOptionError(f"unknown preset {name!r}; choose one of {sorted(PRESETS)}")
    return LSTMConfig.from_dict(
        {**PRESETS[name], "num_shows": num_shows, "num_asset_types": num_asset_types, **overrides}
    )


class LSTMNextShow(nn.Module):
    """Scores every show (index 1..num_shows) as the next play after each position of a window."""

    def __init__(self, config: LSTMConfig) -> None:
        super().__init__()
        self.config = config
        self.show_embedding = nn.Embedding(config.num_shows + 1, config.show_embedding_dim, padding_idx=PAD_INDEX)
        self.asset_embedding = nn.Embedding(
            config.num_asset_types + 1, config.asset_embedding_dim, padding_idx=PAD_INDEX
        )
        input_dim = config.show_embedding_dim + config.asset_embedding_dim + 1
        self.lstm = nn.LSTM(
            input_size=input_dim,
            hidden_size=config.hidden_dim,
            num_layers=config.num_layers,
            dropout=config.dropout if config.num_layers > 1 else 0.0,
            batch_first=True,
        )
        self.dropout = nn.Dropout(config.dropout)
        self.output = nn.Linear(config.hidden_dim, config.num_shows + 1)
        if config.repeat_head:
            self.repeat_age_weight = nn.Parameter(torch.empty(REPEAT_MAX_AGE))
            self.repeat_gate = nn.Linear(config.hidden_dim, 1)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Initialise every parameter on purpose, every LSTM layer included."""
        for name, parameter in self.named_parameters():
            if name.endswith("embedding.weight"):
                nn.init.normal_(parameter, mean=0.0, std=0.02)
                with torch.no_grad():
                    parameter[PAD_INDEX].zero_()
            elif name.startswith("lstm.weight_ih"):
                for gate in parameter.chunk(4, dim=0):
                    nn.init.xavier_uniform_(gate)
            elif name.startswith("lstm.weight_hh"):
                for gate in parameter.chunk(4, dim=0):
                    nn.init.orthogonal_(gate)
            elif name.startswith("lstm.bias"):
                # Gates are ordered input, forget, cell, output; bias_ih and bias_hh add up, so the forget
                # gate starts at +1 in total: remember by default (Jozefowicz et al., 2015).
                nn.init.zeros_(parameter)
                if name.startswith("lstm.bias_ih"):
                    hidden = self.config.hidden_dim
                    with torch.no_grad():
                        parameter[hidden : 2 * hidden].fill_(1.0)
            elif name == "output.weight":
                nn.init.xavier_uniform_(parameter)
            elif name == "output.bias":
                nn.init.zeros_(parameter)
            elif name == "repeat_age_weight":
                # Start as the repeat-recent baseline's recency: a play of age a weighs 0.8 ** a.
                with torch.no_grad():
                    parameter.copy_(torch.arange(REPEAT_MAX_AGE, dtype=parameter.dtype) * math.log(0.8))
            elif name == "repeat_gate.weight":
                nn.init.zeros_(parameter)
            elif name == "repeat_gate.bias":
                nn.init.constant_(parameter, math.log(REPEAT_GATE_PRIOR / (1.0 - REPEAT_GATE_PRIOR)))
            else:
                raise AssertionError(f"parameter {name} has no initialisation rule")

    def scale_minutes(self, minutes: torch.Tensor) -> torch.Tensor:
        return torch.log1p(minutes.clamp(min=0.0)) if self.config.minutes_scaling == "log1p" else minutes

    def encode(self, show_index: torch.Tensor, asset_index: torch.Tensor, minutes: torch.Tensor) -> torch.Tensor:
        """Hidden state after each position: ``(batch, window, hidden_dim)``."""
        features = torch.cat(
            [
                self.show_embedding(show_index),  # (batch, window, show_embedding_dim)
                self.asset_embedding(asset_index),  # (batch, window, asset_embedding_dim)
                self.scale_minutes(minutes).unsqueeze(-1),  # (batch, window, 1)
            ],
            dim=-1,
        )
        hidden: torch.Tensor = self.dropout(self.lstm(features)[0])
        return hidden

    def scores(self, hidden: torch.Tensor, show_index: torch.Tensor, positions: torch.Tensor) -> torch.Tensor:
        """Scores ``(batch, len(positions), num_shows + 1)`` from the hidden states at ``positions`` of the window.

        ``hidden`` is ``(batch, len(positions), hidden_dim)``; ``show_index`` is the whole ``(batch, window)``
        input, which the repeat head reads. The padding column is -inf.
        """
        logits: torch.Tensor = self.output(hidden)
        pad = torch.tensor([PAD_INDEX], device=logits.device)
        if not self.config.repeat_head:
            return logits.index_fill_(-1, pad, float("-inf"))  # in place: the linear backward needs no output
        gate = self.repeat_gate(hidden)  # (batch, positions, 1): log-odds of a repeat
        explore = torch.log_softmax(logits.index_fill_(-1, pad, float("-inf")), dim=-1)
        no_repeat = F.logsigmoid(-gate)
        mixed = explore + no_repeat  # log((1 - g) * p_explore), a new tensor: safe to write into
        index, repeat = self._repeat_log_probs(show_index, positions)  # (batch, positions, window) each
        # Gathered from explore, not mixed: gather keeps its source for backward, and mixed is written below.
        at_window = torch.logaddexp(explore.gather(2, index) + no_repeat, repeat + F.logsigmoid(gate))
        # Each show is written once, from its first play in the window: scatter_'s backward hands the gradient to
        # every source of an index, so writing a show once per play would count its gradient once per play.
        mixed.scatter_(2, index, at_window)
        return mixed.index_fill_(-1, pad, float("-inf"))

    def _repeat_log_probs(self, show_index: torch.Tensor, positions: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """For each position, log p_repeat of the show at each earlier window play (the sum over that show's plays).

        Returns ``index`` (the show index at a show's first play in the window; padding for later plays of it, for
        plays after the position and for padding) and log-probabilities, both ``(batch, positions, window)``.
        """
        window = show_index.shape[1]
        source = torch.arange(window, device=show_index.device)
        age = positions.unsqueeze(1) - source.unsqueeze(0)  # (positions, window): plays since each source play
        real = (show_index != PAD_INDEX).unsqueeze(1) & (age >= 0).unsqueeze(0)  # (batch, positions, window)
        weight = self.repeat_age_weight[age.clamp(0, REPEAT_MAX_AGE - 1)].unsqueeze(0)  # (1, positions, window)
        # A large finite "never" instead of -inf keeps every gradient finite (-inf minus -inf is NaN).
        logit = weight.masked_fill(~real, _NEVER)  # (batch, positions, window)
        total = torch.logsumexp(logit, dim=-1, keepdim=True)  # (batch, positions, 1)
        same_show = (show_index.unsqueeze(2) == show_index.unsqueeze(1)).to(logit.dtype)  # (batch, window, window)
        # log of the summed weight of every play of the same show: logsumexp over the plays k of show j.
        peak = logit.amax(dim=-1, keepdim=True)
        summed = torch.einsum("bjk,bpk->bpj", same_show, torch.exp(logit - peak))
        log_prob = (summed.clamp(min=1e-30).log() + peak - total).masked_fill(~real, _NEVER)
        earlier = torch.ones(window, window, dtype=torch.bool, device=show_index.device).tril(-1)  # (j, k): k < j
        repeated = ((same_show > 0) & earlier).any(dim=-1).unsqueeze(1)  # (batch, 1, window): show seen before j
        written = real & ~repeated
        index = show_index.unsqueeze(1).expand(-1, len(positions), -1).masked_fill(~written, PAD_INDEX)
        return index, log_prob

    def forward(self, show_index: torch.Tensor, asset_index: torch.Tensor, minutes: torch.Tensor) -> torch.Tensor:
        """Logits for the next show after every position: ``(batch, window, num_shows + 1)``."""
        hidden = self.encode(show_index, asset_index, minutes)
        positions = torch.arange(show_index.shape[1], device=show_index.device)
        return self.scores(hidden, show_index, positions)

    def predict(self, show_index: torch.Tensor, asset_index: torch.Tensor, minutes: torch.Tensor) -> torch.Tensor:
        """Logits for the show after the newest play: ``(batch, num_shows + 1)``."""
        hidden = self.encode(show_index, asset_index, minutes)[:, -1:]
        positions = torch.tensor([show_index.shape[1] - 1], device=show_index.device)
        return self.scores(hidden, show_index, positions)[:, 0]
