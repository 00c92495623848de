"""Frozen config dataclasses to and from plain data (JSON, checkpoints); a misspelt key fails loudly."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, TypeVar

from nextwatch.errors import InvalidOptionError

__all__ = ["config_from_dict"]

ConfigT = TypeVar("ConfigT")


def config_from_dict(cls: type[ConfigT], data: Mapping[str, Any], what: str) -> ConfigT:
    """``cls(**data)``, after refusing keys ``cls`` lacks with an InvalidOptionError naming them.

    >>> from nextwatch.models.lstm import LSTMConfig
    >>> config_from_dict(LSTMConfig, {"num_shows": 3, "num_asset_types": 1}, "model config").num_shows
    3
    """
    known = {field.name for field in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(data) - known)
    if unknown:
        raise InvalidOptionError(f"{what} has unknown key(s) {unknown}; known keys: {sorted(known)}")
    return cls(**data)
