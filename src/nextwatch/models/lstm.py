"""The reference architecture: show and asset-type embeddings plus watch minutes, an LSTM, a projection to every show.

Inputs are left padded with index 0, so the newest play is always at position -1 (as in SASRec).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Final, Literal

import torch
from torch import nn

from nextwatch.errors import InvalidOptionError
from nextwatch.sequences.vocabulary import PAD_INDEX

__all__ = ["PRESETS", "REPEAT_MAX_AGE", "LSTMConfig", "LSTMNextShow", "preset_config"]

# Plays older than this many steps share the repeat head's last age weight.
REPEAT_MAX_AGE: Final = 32

MinutesScaling = Literal["log1p", "none"]


@dataclass(frozen=True)
class LSTMConfig:
    """Everything that fixes the model's shape. ``num_shows`` counts real shows; index 0 is padding.

    ``minutes_scaling="log1p"`` feeds ``log(1 + watch_minutes)``: minutes span 1..1440, and a raw value that
    large would swamp the embeddings; log1p keeps a 1-minute abandonment and a 3-hour film on one scale.

    ``repeat_head=True`` adds our one change to the reference architecture: each show already in the window gets
    an extra score, a learned weight per age (plays since it was watched) times a gate read from the hidden state,
    so the model can re-offer what the viewer is watching (next episode, followed series) from the first steps,
    and spend the LSTM and the projection on when to repeat and what else to offer. ``repeat_head=False`` is the
    reference architecture exactly.
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
        known = {field.name for field in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise InvalidOptionError(f"model config has unknown key(s) {unknown}; known keys: {sorted(known)}")
        return cls(**data)


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
                # Start as a recency prior (the newest show scores 4, decaying by 0.8 a play), which puts the
                # viewer's own recent shows first, as the repeat-recent baseline does; training reshapes it.
                with torch.no_grad():
                    parameter.copy_(4.0 * 0.8 ** torch.arange(REPEAT_MAX_AGE, dtype=parameter.dtype))
            elif name in ("repeat_gate.weight", "repeat_gate.bias"):
                nn.init.zeros_(parameter)  # the gate starts at 2 * sigmoid(0) = 1 for every state
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
        """Logits ``(batch, len(positions), num_shows + 1)`` from the hidden states at ``positions`` of the window.

        ``hidden`` is ``(batch, len(positions), hidden_dim)``; ``show_index`` is the whole ``(batch, window)``
        input, which the repeat head reads. The padding column is -inf.
        """
        logits: torch.Tensor = self.output(hidden)
        if self.config.repeat_head:
            logits = logits + self._repeat_scores(hidden, show_index, positions)
        return logits.index_fill(-1, torch.tensor([PAD_INDEX], device=logits.device), float("-inf"))

    def _repeat_scores(self, hidden: torch.Tensor, show_index: torch.Tensor, positions: torch.Tensor) -> torch.Tensor:
        """For the window up to each position: gate * weight[age] summed per show, scattered onto the catalogue."""
        window = show_index.shape[1]
        source = torch.arange(window, device=show_index.device)
        age = positions.unsqueeze(1) - source.unsqueeze(0)  # (positions, window): plays since each source play
        before = age >= 0
        weight = self.repeat_age_weight[age.clamp(0, REPEAT_MAX_AGE - 1)] * before  # (positions, window)
        gate = 2.0 * torch.sigmoid(self.repeat_gate(hidden))  # (batch, positions, 1)
        real = (show_index != PAD_INDEX).unsqueeze(1)  # (batch, 1, window)
        values = gate * weight.unsqueeze(0) * real  # (batch, positions, window)
        index = show_index.unsqueeze(1).expand(-1, len(positions), -1)
        boost = torch.zeros((*hidden.shape[:2], self.config.num_shows + 1), dtype=values.dtype, device=values.device)
        return boost.scatter_add(2, index, values)

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
