"""`nextwatch train` in process: a tiny dataset directory in, a checkpoint and a summary out; bad input is one line."""

from pathlib import Path

import pytest

from nextwatch.checkpoint import load_checkpoint
from nextwatch.cli import main
from nextwatch.sequences.dataset_files import Dataset, write_dataset

TINY_MODEL = ["--hidden-dim", "8", "--show-embedding-dim", "4", "--asset-embedding-dim", "4", "--num-layers", "1"]


def test_train_writes_checkpoint_and_prints_summary(
    tiny_dataset: Dataset, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command trains with the overrides, writes OUT/NAME.pth and prints the best epoch and recalls."""
    write_dataset(tmp_path / "data", tiny_dataset)
    argv = ["train", "--data", str(tmp_path / "data"), "--preset", "lstm_1", "--out", str(tmp_path / "art")]
    argv += ["--name", "small", "--epochs", "2", "--batch-size", "32", "--objective", "dense", "--no-progress"]
    assert main(argv + TINY_MODEL + ["--dropout", "0.1", "--lr-schedule", "cosine", "--early-stopping", "3"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("small: best epoch ") and "val recall@10" in out and "test new_recall@10" in out
    assert f"checkpoint: {tmp_path / 'art' / 'small.pth'}" in out
    checkpoint = load_checkpoint(tmp_path / "art" / "small.pth")
    assert (checkpoint.model_config.hidden_dim, checkpoint.model_config.dropout) == (8, 0.1)
    assert checkpoint.training_config["objective"] == "dense"
    assert checkpoint.training_config["early_stopping_patience"] == 3
    assert len(checkpoint.history) == 2


def test_default_name_is_the_preset(tiny_dataset: Dataset, tmp_path: Path) -> None:
    """Without --name the files are named after the preset."""
    write_dataset(tmp_path / "data", tiny_dataset)
    argv = ["train", "--data", str(tmp_path / "data"), "--preset", "lstm_2", "--out", str(tmp_path), "--epochs", "1"]
    assert main([*argv, "--no-progress", "--grad-clip", "0", *TINY_MODEL]) == 0
    assert load_checkpoint(tmp_path / "lstm_2.pth").training_config["grad_clip_norm"] is None


def test_missing_dataset_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A dataset folder that does not exist gives exit code 2 and one error line, no traceback."""
    assert main(["train", "--data", str(tmp_path / "nowhere"), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("nextwatch train: error: dataset folder") and err.count("\n") == 1


def test_out_of_range_model_override_is_one_line(
    tiny_dataset: Dataset, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A dropout of 1 passes argparse but the model config refuses it: exit code 2, one line naming dropout."""
    write_dataset(tmp_path / "data", tiny_dataset)
    assert main(["train", "--data", str(tmp_path / "data"), "--dropout", "1", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "dropout must be in [0, 1)" in err and err.count("\n") == 1


@pytest.mark.parametrize(
    "option",
    [["--objective", "every"], ["--lr", "0"], ["--epochs", "-1"], ["--preset", "lstm_9"], ["--grad-clip", "x"]],
)
def test_bad_option_is_a_usage_error(tmp_path: Path, option: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """A bad option value stops argparse with exit code 2 and a usage line."""
    with pytest.raises(SystemExit) as stopped:
        main(["train", "--data", str(tmp_path), *option])
    assert stopped.value.code == 2
    assert "usage:" in capsys.readouterr().err
