"""How `prepare` cuts a clean log into samples: the protocol and its options."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Final

from nextwatch.config_data import config_from_dict
from nextwatch.errors import InvalidOptionError

__all__ = ["PROTOCOLS", "PrepareConfig"]

PROTOCOLS: Final = ("seed", "temporal", "leave-one-out")


@dataclass(frozen=True)
class PrepareConfig:
    """The protocol and window options of one dataset.

    ``window``: the most plays an input window holds (inference windows too).
    ``seed``: the random split of the ``seed`` protocol (other protocols are deterministic without it).
    ``stride``: plays between consecutive training targets of ``temporal`` and ``leave-one-out``; ``None`` means
    ``window + 1`` (non-overlapping windows, as the reference design). Values 1..window give overlapping windows.
    ``val_days``, ``test_days``: the lengths of the ``temporal`` validation and test periods, at the log's end.
    """

    protocol: str = "seed"
    window: int = 20
    seed: int = 42
    stride: int | None = None
    val_days: int = 3
    test_days: int = 7

    def __post_init__(self) -> None:
        if self.protocol not in PROTOCOLS:
            raise InvalidOptionError(f"protocol must be one of {', '.join(PROTOCOLS)}, got {self.protocol!r}")
        for name in ("window", "val_days", "test_days"):
            _require_positive_int(name, getattr(self, name))
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise InvalidOptionError(f"seed must be a non-negative integer, got {self.seed!r}")
        if self.stride is not None:
            _require_positive_int("stride", self.stride)
            if self.protocol == "seed":
                raise InvalidOptionError(
                    "stride applies to the temporal and leave-one-out protocols; "
                    "the seed protocol always steps window + 1 plays (the reference design)"
                )

    @property
    def training_stride(self) -> int:
        """The stride actually used between training targets."""
        return self.window + 1 if self.stride is None else self.stride

    def to_dict(self) -> dict[str, Any]:
        """The config as plain data (``from_dict`` reads it back)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PrepareConfig:
        """A config from plain data; an unknown key is an InvalidOptionError naming it."""
        return config_from_dict(cls, data, "prepare config")


def _require_positive_int(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidOptionError(f"{name} must be a positive integer, got {value!r}")
