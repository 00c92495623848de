"""Evaluation cases: encoded input windows, the target show, and (temporal, leave-one-out) new and seen shows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from nextwatch.sequences.encoding import EncodedWindows, encode_windows, list_column_parts
from nextwatch.sequences.vocabulary import Vocabulary

__all__ = ["EvaluationCases", "RaggedIndex"]


@dataclass(frozen=True)
class RaggedIndex:
    """One list of show indices per case, as offsets ``(cases + 1,)`` and flat values (CSR)."""

    offsets: npt.NDArray[np.int64]
    values: npt.NDArray[np.int64]

    def counts(self) -> npt.NDArray[np.int64]:
        return np.diff(self.offsets)

    def slice(self, start: int, stop: int) -> RaggedIndex:
        """Rows ``start:stop``, offsets rebased to 0."""
        offsets = self.offsets[start : stop + 1]
        return RaggedIndex(offsets=offsets - offsets[0], values=self.values[offsets[0] : offsets[-1]])

    @classmethod
    def from_column(cls, column: pl.Series, vocabulary: Vocabulary) -> RaggedIndex:
        offsets, values = list_column_parts(column)
        return cls(offsets=offsets, values=vocabulary.show_index(values.to_numpy()))


@dataclass(frozen=True)
class EvaluationCases:
    """What a scorer is graded on: ``windows`` in, ``target_index`` out, and optional new/seen show lists."""

    windows: EncodedWindows
    target_index: npt.NDArray[np.int64]
    new_shows: RaggedIndex | None = None
    seen_shows: RaggedIndex | None = None

    def __len__(self) -> int:
        return int(self.target_index.shape[0])

    @classmethod
    def from_samples(cls, samples: pl.DataFrame, vocabulary: Vocabulary, window: int) -> EvaluationCases:
        """Encode sample rows; ``new_show_ids``/``seen_show_ids`` are used when present and not all null."""
        has_new = "new_show_ids" in samples.columns and samples["new_show_ids"].null_count() < len(samples)
        has_seen = "seen_show_ids" in samples.columns and samples["seen_show_ids"].null_count() < len(samples)
        return cls(
            windows=encode_windows(samples, vocabulary, window),
            target_index=vocabulary.show_index(samples["target_show_id"].to_numpy()),
            new_shows=RaggedIndex.from_column(samples["new_show_ids"], vocabulary) if has_new else None,
            seen_shows=RaggedIndex.from_column(samples["seen_show_ids"], vocabulary) if has_seen else None,
        )
