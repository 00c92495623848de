"""`nextwatch evaluate`: table and JSON output, the vocabulary check, bad options."""

import json
from pathlib import Path

import pytest
import torch

from nextwatch.checkpoint import Checkpoint, ViewerHistories, popular_show_ids, save_checkpoint
from nextwatch.cli import main
from nextwatch.ingest.order import order_log
from nextwatch.models.lstm import LSTMNextShow, preset_config
from nextwatch.sequences.config import PrepareConfig
from nextwatch.sequences.dataset_files import Dataset, write_dataset
from nextwatch.sequences.prepare import prepare_dataset
from nextwatch.sequences.vocabulary import Vocabulary
from nextwatch.synthetic import GeneratorConfig, generate_log


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    log = order_log(generate_log(GeneratorConfig(users=40, shows=100, seed=3)).frame)
    return prepare_dataset(log, PrepareConfig(protocol="temporal", window=5))


def _checkpoint(dataset: Dataset, vocabulary: Vocabulary | None = None) -> Checkpoint:
    vocabulary = vocabulary or dataset.vocabulary
    torch.manual_seed(0)
    config = preset_config("lstm_1", vocabulary.num_shows, vocabulary.num_asset_types, hidden_dim=8)
    return Checkpoint(
        name="tiny",
        model_config=config,
        state_dict=LSTMNextShow(config).state_dict(),
        vocabulary=vocabulary,
        window=dataset.window,
        viewers=ViewerHistories.from_inference(dataset.inference, dataset.vocabulary, dataset.window),
        popular_show_ids=popular_show_ids(dataset.train_plays),
    )


@pytest.fixture(scope="module")
def files(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("evaluate")
    write_dataset(root / "data", dataset)
    save_checkpoint(root / "tiny.pth", _checkpoint(dataset))
    return root / "tiny.pth", root / "data"


def test_json_holds_model_and_every_baseline(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    """--json prints one object with the model and the four baselines, per split, metrics by name."""
    checkpoint, data = files
    code = main(["evaluate", "--checkpoint", str(checkpoint), "--data", str(data), "--json", "--bootstrap", "50"])
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report["model"]) == {"val", "test"}
    assert set(report["baselines"]) == {"popular", "popular_recent", "repeat_recent", "transitions"}
    test = report["model"]["test"]
    assert {"recall@10", "ndcg@10", "mrr@10", "coverage@10", "recall@10_low", "recall@10_high"} <= set(test)
    assert "new_recall@10" in report["baselines"]["repeat_recent"]["val"]


def test_table_names_the_checkpoint(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    """Without --json the output is a table with a row per scorer for the chosen split."""
    checkpoint, data = files
    assert main(["evaluate", "--checkpoint", str(checkpoint), "--data", str(data), "--splits", "val"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines[2:]] == [
        "tiny",
        "popular",
        "popular_recent",
        "repeat_recent",
        "transitions",
    ]


def test_other_vocabulary_is_a_one_line_error(
    dataset: Dataset, files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A checkpoint trained on another vocabulary exits 2 with one line that says what to do."""
    other = Vocabulary.build(dataset.vocabulary.show_ids[:-1], dataset.vocabulary.asset_types)
    save_checkpoint(tmp_path / "other.pth", _checkpoint(dataset, other))
    assert main(["evaluate", "--checkpoint", str(tmp_path / "other.pth"), "--data", str(files[1])]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "another vocabulary" in error and "train it again" in error


def test_bad_splits_option_is_a_usage_error(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown split name is rejected by argparse with exit code 2."""
    with pytest.raises(SystemExit) as exit_info:
        main(["evaluate", "--checkpoint", str(files[0]), "--data", str(files[1]), "--splits", "val,dev"])
    assert exit_info.value.code == 2
    assert "comma-separated list" in capsys.readouterr().err
