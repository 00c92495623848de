"""A tiny dataset (Contract 2 frames built in memory) whose next show is always the last show plus one, cyclically."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import pytest
import torch

from nextwatch.models.lstm import LSTMConfig
from nextwatch.sequences.dataset_files import Dataset
from nextwatch.sequences.vocabulary import Vocabulary

SHOWS = tuple(range(100, 2500, 100))  # 24 shows: Recall@10 is not reached by chance
ASSETS = ("CHANNEL", "VOD")
WINDOW = 3
PLAYS_PER_VIEWER = 7


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def _plays(user_id: int) -> list[tuple[int, str, int]]:
    start = user_id % len(SHOWS)
    return [
        (SHOWS[(start + i) % len(SHOWS)], ASSETS[(user_id + i) % 2], 5 + 7 * ((user_id + i) % 4))
        for i in range(PLAYS_PER_VIEWER)
    ]


def build_tiny_dataset(viewers: int = 24) -> Dataset:
    """Each viewer plays shows in the cycle 100 -> 200 -> ... -> 2400 -> 100 from their own start.

    Every prefix of at least one play is a sample with the next play as target; each viewer's last sample is test,
    the one before it validation, the rest train. Validation and test rows carry seen and new shows.
    """
    samples: list[dict[str, object]] = []
    inference: list[dict[str, object]] = []
    train_plays: list[dict[str, object]] = []
    for user_id in range(1, viewers + 1):
        plays = _plays(user_id)
        for t in range(1, len(plays)):
            split = "test" if t == len(plays) - 1 else "val" if t == len(plays) - 2 else "train"
            window = plays[max(0, t - WINDOW) : t]
            seen = sorted({show for show, _, _ in plays[:t]})
            target = plays[t][0]
            samples.append(
                {
                    "user_id": user_id,
                    "split": split,
                    "target_show_id": target,
                    "target_day": t,
                    "show_ids": [p[0] for p in window],
                    "asset_types": [p[1] for p in window],
                    "watch_minutes": [p[2] for p in window],
                    "new_show_ids": None if split == "train" else ([] if target in seen else [target]),
                    "seen_show_ids": None if split == "train" else seen,
                }
            )
        for day, (show, asset, minutes) in enumerate(plays[:-2], start=1):
            train_plays.append(
                {"user_id": user_id, "show_id": show, "asset_type": asset, "watch_minutes": minutes, "day_number": day}
            )
        inference.append(
            {
                "user_id": user_id,
                "show_ids": [p[0] for p in plays[-WINDOW:]],
                "asset_types": [p[1] for p in plays[-WINDOW:]],
                "watch_minutes": [p[2] for p in plays[-WINDOW:]],
                "seen_show_ids": sorted({p[0] for p in plays}),
            }
        )
    list_int = pl.List(pl.Int32)
    sample_schema = {
        "user_id": pl.Int32,
        "split": pl.String,
        "target_show_id": pl.Int32,
        "target_day": pl.Int32,
        "show_ids": list_int,
        "asset_types": pl.List(pl.String),
        "watch_minutes": list_int,
        "new_show_ids": list_int,
        "seen_show_ids": list_int,
    }
    inference_schema = {
        "user_id": pl.Int32,
        "show_ids": list_int,
        "asset_types": pl.List(pl.String),
        "watch_minutes": list_int,
        "seen_show_ids": list_int,
    }
    plays_schema = {
        "user_id": pl.Int32,
        "show_id": pl.Int32,
        "asset_type": pl.String,
        "watch_minutes": pl.Int32,
        "day_number": pl.Int32,
    }
    frame = pl.DataFrame(samples, schema=sample_schema)
    counts = {split: int((frame["split"] == split).sum()) for split in ("train", "val", "test")}
    return Dataset(
        samples=frame,
        inference=pl.DataFrame(inference, schema=inference_schema),
        train_plays=pl.DataFrame(train_plays, schema=plays_schema),
        vocabulary=Vocabulary.build(SHOWS, ASSETS),
        info={"protocol": "leave-one-out", "config": {"window": WINDOW}, "counts": counts, "viewers": viewers},
        ingest_report={},
    )


def _tiny_model_config(**overrides: object) -> LSTMConfig:
    fields: dict[str, object] = {
        "num_shows": len(SHOWS),
        "num_asset_types": len(ASSETS),
        "num_layers": 1,
        "show_embedding_dim": 8,
        "asset_embedding_dim": 4,
        "hidden_dim": 16,
        "dropout": 0.0,
        **overrides,
    }
    return LSTMConfig.from_dict(fields)


@pytest.fixture
def tiny_dataset() -> Dataset:
    return build_tiny_dataset()


ModelConfigFactory = Callable[..., LSTMConfig]


@pytest.fixture
def tiny_model_config() -> ModelConfigFactory:
    """A factory of small one-layer LSTM configs sized for the tiny dataset; keyword overrides allowed."""
    return _tiny_model_config
