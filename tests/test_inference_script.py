"""The repo-root inference.py: the reference LSTMRecommender API and the `python inference.py` script."""

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHOW_IDS = (10, 20, 30, 40, 50, 60)  # the tiny checkpoint of tests/conftest.py


def _inference_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("inference", ROOT / "inference.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_predict_shows_ranks_every_show_once(tiny_checkpoint_path: Path) -> None:
    """LSTMRecommender(check_point_file=...).predict_shows(user_id=...) lists every show id once."""
    recommender = _inference_module().LSTMRecommender(check_point_file=str(tiny_checkpoint_path))
    for user_id in (3, 8, 11, 8319):
        ranking = recommender.predict_shows(user_id=user_id)
        assert isinstance(ranking, list) and sorted(ranking) == list(SHOW_IDS)
    assert recommender.predict_shows(user_id=8319) == [40, 10, 20, 30, 50, 60]


@pytest.mark.slow
def test_script_prints_a_viewers_top_shows(tiny_checkpoint_path: Path, tmp_path: Path) -> None:
    """`python inference.py` prints one line with the first known viewer's top shows from artifacts/lstm_2.pth."""
    (tmp_path / "artifacts").mkdir()
    shutil.copy(tiny_checkpoint_path, tmp_path / "artifacts" / "lstm_2.pth")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, str(ROOT / "inference.py")], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("viewer 3 top 6 (model): [")


def test_script_without_a_checkpoint_says_what_to_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without artifacts/lstm_2.pth the script prints one line naming `python main.py` and exits 1."""
    monkeypatch.chdir(tmp_path)
    assert _inference_module().main([]) == 1
    assert capsys.readouterr().err == "artifacts/lstm_2.pth not found: run python main.py first\n"
