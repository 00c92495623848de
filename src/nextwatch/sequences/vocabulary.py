"""Show ids and asset types mapped to dense indices, 0 for padding, in sorted order."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from nextwatch.atomic_io import atomic_path
from nextwatch.errors import InvalidInputError, UnknownShowError

__all__ = ["PAD_INDEX", "VOCABULARY_FORMAT_VERSION", "Vocabulary"]

PAD_INDEX = 0
VOCABULARY_FORMAT_VERSION = 1


@dataclass(frozen=True)
class Vocabulary:
    """Sorted show ids and asset types; a value's index is its position + 1, index 0 is padding.

    >>> vocab = Vocabulary.build(show_ids=[30, 10, 20, 10], asset_types=["VOD", "CHANNEL"])
    >>> vocab.show_ids, vocab.asset_types
    ((10, 20, 30), ('CHANNEL', 'VOD'))
    >>> vocab.show_index([30, 10]).tolist()
    [3, 1]
    """

    show_ids: tuple[int, ...]
    asset_types: tuple[str, ...]

    def __post_init__(self) -> None:
        if list(self.show_ids) != sorted(set(self.show_ids)):
            raise InvalidInputError("vocabulary show_ids must be unique and sorted ascending")
        if list(self.asset_types) != sorted(set(self.asset_types)):
            raise InvalidInputError("vocabulary asset_types must be unique and sorted ascending")

    @classmethod
    def build(cls, show_ids: Iterable[int], asset_types: Iterable[str]) -> Vocabulary:
        return cls(
            show_ids=tuple(sorted({int(s) for s in show_ids})),
            asset_types=tuple(sorted({str(a) for a in asset_types})),
        )

    @property
    def num_shows(self) -> int:
        """Number of real shows (the index range is 0..num_shows, 0 being padding)."""
        return len(self.show_ids)

    @property
    def num_asset_types(self) -> int:
        return len(self.asset_types)

    def show_index(self, show_ids: Sequence[int] | npt.NDArray[np.integer[Any]]) -> npt.NDArray[np.int64]:
        """Indices of ``show_ids``; an id outside the vocabulary raises UnknownShowError naming it."""
        ids = np.asarray(show_ids, dtype=np.int64)
        known = np.asarray(self.show_ids, dtype=np.int64)
        positions = np.searchsorted(known, ids)
        found = positions < len(known)
        found[found] = known[positions[found]] == ids[found]
        if not found.all():
            unknown = ids[~found][:5].tolist()
            raise UnknownShowError(f"show id(s) {unknown} are not in the model's vocabulary of {len(known)} shows")
        return positions + 1

    def show_id_of(self, indices: npt.NDArray[np.integer[Any]]) -> npt.NDArray[np.int64]:
        """Show ids of indices 1..num_shows (index 0, padding, has no show)."""
        index = np.asarray(indices, dtype=np.int64)
        if index.size and (index.min() < 1 or index.max() > self.num_shows):
            raise ValueError("show index out of range 1..num_shows")
        return np.asarray(self.show_ids, dtype=np.int64)[index - 1]

    def asset_index(self, asset_types: Sequence[str] | npt.NDArray[Any]) -> npt.NDArray[np.int64]:
        """Indices of asset types; a type the vocabulary lacks maps to padding (0), which carries no signal."""
        lookup = {name: i + 1 for i, name in enumerate(self.asset_types)}
        return np.fromiter((lookup.get(str(a), PAD_INDEX) for a in asset_types), dtype=np.int64, count=len(asset_types))

    def to_dict(self) -> dict[str, Any]:
        return {
            "format_version": VOCABULARY_FORMAT_VERSION,
            "show_ids": list(self.show_ids),
            "asset_types": list(self.asset_types),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "vocabulary") -> Vocabulary:
        if data.get("format_version") != VOCABULARY_FORMAT_VERSION:
            raise InvalidInputError(
                f"{source}: format_version {data.get('format_version')!r} is not {VOCABULARY_FORMAT_VERSION}; "
                "re-run `nextwatch prepare`"
            )
        try:
            return cls(
                show_ids=tuple(int(s) for s in data["show_ids"]),
                asset_types=tuple(str(a) for a in data["asset_types"]),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise InvalidInputError(f"{source}: malformed vocabulary ({error}); re-run `nextwatch prepare`") from error

    def write(self, path: Path) -> None:
        with atomic_path(path) as tmp:
            tmp.write_text(json.dumps(self.to_dict()))

    @classmethod
    def read(cls, path: Path) -> Vocabulary:
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError) as error:
            raise InvalidInputError(
                f"{path}: cannot read the vocabulary ({error}); re-run `nextwatch prepare`"
            ) from error
        if not isinstance(data, dict):
            raise InvalidInputError(f"{path}: not a vocabulary object; re-run `nextwatch prepare`")
        return cls.from_dict(data, source=str(path))
