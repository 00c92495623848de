"""Checkpoints: round trip with weights_only=True, and clear errors for bad files."""

from pathlib import Path

import polars as pl
import pytest
import torch

from nextwatch.checkpoint import Checkpoint, ViewerHistories, build_model, load_checkpoint, save_checkpoint
from nextwatch.errors import CheckpointError
from nextwatch.models.lstm import LSTMConfig, LSTMNextShow
from nextwatch.sequences.vocabulary import Vocabulary


def _checkpoint() -> Checkpoint:
    vocab = Vocabulary.build([10, 20, 30], ["VOD"])
    inference = pl.DataFrame(
        {
            "user_id": [8, 3],
            "show_ids": [[20], [10, 30]],
            "asset_types": [["VOD"], ["VOD", "VOD"]],
            "watch_minutes": [[5], [6, 7]],
            "seen_show_ids": [[20], [10, 30]],
        }
    )
    config = LSTMConfig(num_shows=3, num_asset_types=1, num_layers=1, hidden_dim=4)
    torch.manual_seed(0)
    return Checkpoint(
        name="tiny",
        model_config=config,
        state_dict=LSTMNextShow(config).state_dict(),
        vocabulary=vocab,
        window=2,
        viewers=ViewerHistories.from_inference(inference, vocab, window=2),
        popular_show_ids=(20, 10, 30),
        metrics={"val": {"recall@10": 0.5}},
    )


def test_round_trip_loads_with_weights_only(tmp_path: Path) -> None:
    """A saved checkpoint loads with torch.load(weights_only=True) and rebuilds the same model."""
    original = _checkpoint()
    save_checkpoint(tmp_path / "tiny.pth", original)
    assert torch.load(tmp_path / "tiny.pth", weights_only=True)["format_version"] == 1
    loaded = load_checkpoint(tmp_path / "tiny.pth")
    assert loaded.vocabulary == original.vocabulary
    assert loaded.metrics == {"val": {"recall@10": 0.5}}
    assert loaded.viewers.user_ids.tolist() == [3, 8]
    assert loaded.viewers.show_index.tolist() == [[1, 3], [0, 2]]
    assert loaded.viewers.seen_of(0).tolist() == [1, 3]
    assert loaded.viewers.row_of(8) == 1 and loaded.viewers.row_of(5) is None
    model = build_model(loaded)
    assert torch.equal(model.output.weight, original.state_dict["output.weight"])


def test_truncated_file_is_a_clear_error(tmp_path: Path) -> None:
    """Half a checkpoint file is a CheckpointError, not a traceback from torch."""
    save_checkpoint(tmp_path / "tiny.pth", _checkpoint())
    data = (tmp_path / "tiny.pth").read_bytes()
    (tmp_path / "cut.pth").write_bytes(data[: len(data) // 2])
    with pytest.raises(CheckpointError, match="not a readable nextwatch checkpoint"):
        load_checkpoint(tmp_path / "cut.pth")


def test_other_version_and_foreign_files_are_refused(tmp_path: Path) -> None:
    """Another format version, or a torch file that is not ours, is a CheckpointError."""
    data = _checkpoint().to_dict()
    torch.save({**data, "format_version": 0}, tmp_path / "old.pth")
    torch.save({"weights": torch.zeros(2)}, tmp_path / "foreign.pth")
    with pytest.raises(CheckpointError, match="format version 0"):
        load_checkpoint(tmp_path / "old.pth")
    with pytest.raises(CheckpointError, match="not a nextwatch checkpoint"):
        load_checkpoint(tmp_path / "foreign.pth")
