"""Write the top-k of every known viewer to one parquet file, batch by batch, atomically."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Final

import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from nextwatch.atomic_io import atomic_path
from nextwatch.recommend.recommender import DEFAULT_BATCH_SIZE, RecommendationBatch, Recommender

__all__ = ["EXPORT_SCHEMA", "export_recommendations"]

EXPORT_SCHEMA: Final = pa.schema(
    [
        pa.field("user_id", pa.int64(), nullable=False),
        pa.field("show_ids", pa.list_(pa.int64()), nullable=False),
        pa.field("scores", pa.list_(pa.float32()), nullable=False),
    ]
)


def export_recommendations(
    recommender: Recommender,
    path: Path | str,
    k: int = 10,
    exclude_seen: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: bool | None = None,
) -> int:
    """Write one row per known viewer (``user_id``, ``show_ids`` best first, ``scores``) to ``path``; return rows.

    ``progress=None`` shows a bar on stderr only when it is a terminal. A reader sees no file, the old file, or the
    whole new one, never a part.
    """
    show_bar = sys.stderr.isatty() if progress is None else progress
    batches = recommender.recommend_known(k=k, exclude_seen=exclude_seen, batch_size=batch_size)
    rows = 0
    with (
        atomic_path(path) as tmp,
        tqdm(total=recommender.num_viewers, unit="viewer", desc="export", disable=not show_bar, file=sys.stderr) as bar,
        pq.ParquetWriter(tmp, EXPORT_SCHEMA) as writer,
    ):
        for batch in batches:
            writer.write_table(_table(batch))
            rows += len(batch)
            bar.update(len(batch))
        if rows == 0:
            writer.write_table(EXPORT_SCHEMA.empty_table())
    return rows


def _table(batch: RecommendationBatch) -> pa.Table:
    offsets = pa.array(batch.offsets.astype("int32"), type=pa.int32())
    return pa.Table.from_arrays(
        [
            pa.array(batch.user_ids, type=pa.int64()),
            pa.ListArray.from_arrays(offsets, pa.array(batch.show_ids, type=pa.int64())),
            pa.ListArray.from_arrays(offsets, pa.array(batch.scores, type=pa.float32())),
        ],
        schema=EXPORT_SCHEMA,
    )
