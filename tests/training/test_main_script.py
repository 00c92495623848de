"""`python main.py`: lstm_2 with the reference defaults on data/ into artifacts/lstm_2.pth."""

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from nextwatch.checkpoint import load_checkpoint
from nextwatch.sequences.dataset_files import Dataset, write_dataset
from nextwatch.training.config import TrainingConfig

MAIN = Path(__file__).resolve().parents[2] / "main.py"


def _main_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("reference_main", MAIN)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_without_data_it_says_what_to_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With no data/ folder main.py exits 2 with one line naming create_dataset.py."""
    monkeypatch.chdir(tmp_path)
    assert _main_module().main() == 2
    err = capsys.readouterr().err
    assert "python create_dataset.py" in err and err.count("\n") == 1


@pytest.mark.slow
def test_trains_lstm_2_with_reference_defaults(
    tiny_dataset: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a data/ folder it writes artifacts/lstm_2.pth trained with the default TrainingConfig and lstm_2 sizes."""
    write_dataset(tmp_path / "data", tiny_dataset)
    monkeypatch.chdir(tmp_path)
    assert _main_module().main() == 0
    checkpoint = load_checkpoint(tmp_path / "artifacts" / "lstm_2.pth")
    assert checkpoint.training_config == TrainingConfig().to_dict()
    assert (checkpoint.model_config.num_layers, checkpoint.model_config.hidden_dim) == (2, 128)
    assert len(checkpoint.history) == 10
