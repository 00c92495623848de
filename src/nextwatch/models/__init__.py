"""Sequence models that score every show as a viewer's next play."""

from nextwatch.models.lstm import PRESETS, LSTMConfig, LSTMNextShow, preset_config

__all__ = ["PRESETS", "LSTMConfig", "LSTMNextShow", "preset_config"]
