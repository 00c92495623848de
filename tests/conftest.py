"""Shared fixtures: a tiny hand-built checkpoint (random weights) for the recommend, serving and CLI tests.

Tests get it through fixtures only (pytest may run with --import-mode=importlib, where tests cannot import each
other); the facts they check (show ids, seen shows, popular shows) are written out in each test module.
"""

from pathlib import Path

import polars as pl
import pytest
import torch

from nextwatch.checkpoint import Checkpoint, ViewerHistories, save_checkpoint
from nextwatch.models.lstm import LSTMConfig, LSTMNextShow
from nextwatch.sequences.vocabulary import Vocabulary

TINY_SHOW_IDS = (10, 20, 30, 40, 50, 60)
TINY_USER_IDS = (3, 8, 11)
TINY_SEEN = {3: (10, 30), 8: (20,), 11: (10, 20, 40, 50)}
TINY_POPULAR = (40, 10, 20)  # 30, 50, 60 have no training plays


def build_tiny_checkpoint(seed: int = 0) -> Checkpoint:
    """Six shows, two asset types, three viewers, window 3, random weights."""
    vocab = Vocabulary.build(TINY_SHOW_IDS, ["CHANNEL", "VOD"])
    inference = pl.DataFrame(
        {
            "user_id": [8, 3, 11],
            "show_ids": [[20], [10, 30], [10, 20, 40, 50]],
            "asset_types": [["VOD"], ["VOD", "CHANNEL"], ["VOD", "VOD", "CHANNEL", "VOD"]],
            "watch_minutes": [[5], [6, 7], [30, 40, 50, 60]],
            "seen_show_ids": [list(TINY_SEEN[8]), list(TINY_SEEN[3]), list(TINY_SEEN[11])],
        }
    )
    config = LSTMConfig(
        num_shows=6,
        num_asset_types=2,
        num_layers=1,
        show_embedding_dim=4,
        asset_embedding_dim=2,
        hidden_dim=8,
        dropout=0.0,
    )
    torch.manual_seed(seed)
    model = LSTMNextShow(config)
    with torch.no_grad():  # spread the scores so that rankings are not all ties
        model.output.weight.normal_(0.0, 1.0)
        model.show_embedding.weight[1:].normal_(0.0, 1.0)
    return Checkpoint(
        name="tiny",
        model_config=config,
        state_dict=model.state_dict(),
        vocabulary=vocab,
        window=3,
        viewers=ViewerHistories.from_inference(inference, vocab, window=3),
        popular_show_ids=TINY_POPULAR,
    )


@pytest.fixture
def tiny_checkpoint() -> Checkpoint:
    return build_tiny_checkpoint()


@pytest.fixture(scope="session")
def tiny_checkpoint_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("checkpoint") / "tiny.pth"
    save_checkpoint(path, build_tiny_checkpoint())
    return path
