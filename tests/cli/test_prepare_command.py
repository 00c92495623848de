"""nextwatch prepare: writes the dataset folder and a summary; bad files and options give one line and exit 2."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import polars as pl
import pytest

from nextwatch.cli import main
from nextwatch.sequences.dataset_files import DATASET_FILES, read_dataset


def write_log(path: Path, viewers: int = 4, plays: int = 30) -> Path:
    """A raw playback log (the file schema) of `viewers` viewers with `plays` plays each, one a day."""
    count = viewers * plays
    pl.DataFrame(
        {
            "user_id": [i // plays for i in range(count)],
            "playback_session_id": list(range(count)),
            "show_id": [i % 7 for i in range(count)],
            "asset_type": ["VOD"] * count,
            "episode_id": [1] * count,
            "day": [str(1 + i % plays) for i in range(count)],
            "time": ["20:00"] * count,
            "watch_minutes": [30] * count,
        },
        schema_overrides={"user_id": pl.Int32, "playback_session_id": pl.Int32, "show_id": pl.Int32},
    ).with_columns(pl.col("episode_id", "watch_minutes").cast(pl.Int32)).write_parquet(path)
    return path


def test_prepare_writes_the_dataset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A temporal run writes every dataset file and prints the counts per split."""
    log = write_log(tmp_path / "log.parquet")
    code = main(["prepare", "--input", str(log), "--out", str(tmp_path / "d"), "--protocol", "temporal"])
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "d").iterdir()) == sorted(DATASET_FILES)
    dataset = read_dataset(tmp_path / "d")
    assert dataset.info["counts"] == {"train": 4, "val": 4, "test": 4}
    assert dataset.ingest_report["total_rows"] == 120
    assert "samples: train 4, val 4, test 4" in capsys.readouterr().out


def test_prepare_missing_input_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A missing log gives one error line on stderr and exit code 2."""
    code = main(["prepare", "--input", str(tmp_path / "none.parquet"), "--out", str(tmp_path / "d")])
    error = capsys.readouterr().err
    assert code == 2
    assert error.count("\n") == 1 and error.startswith("nextwatch prepare: error:")


def test_prepare_stride_with_seed_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A stride under the seed protocol is refused with one line naming the option."""
    log = write_log(tmp_path / "log.parquet")
    code = main(["prepare", "--input", str(log), "--out", str(tmp_path / "d"), "--stride", "3"])
    assert code == 2
    assert "stride" in capsys.readouterr().err


def test_prepare_bad_window_is_a_usage_error(tmp_path: Path) -> None:
    """A window of 0 is rejected by argparse with exit code 2."""
    with pytest.raises(SystemExit) as raised:
        main(["prepare", "--input", "x", "--out", str(tmp_path), "--window", "0"])
    assert raised.value.code == 2


def test_create_dataset_without_input_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """create_dataset.py without data/playback_sessions.parquet exits 2 with a message naming the file."""
    spec = importlib.util.spec_from_file_location("create_dataset", Path(__file__).parents[2] / "create_dataset.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.chdir(tmp_path)
    assert module.main([]) == 2
    assert "data/playback_sessions.parquet not found" in capsys.readouterr().err


def test_create_dataset_runs_the_seed_protocol(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """create_dataset.py reads data/playback_sessions.parquet and writes the seed dataset into data/."""
    (tmp_path / "data").mkdir()
    write_log(tmp_path / "data" / "playback_sessions.parquet", viewers=3, plays=44)
    spec = importlib.util.spec_from_file_location("create_dataset", Path(__file__).parents[2] / "create_dataset.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.chdir(tmp_path)
    assert module.main([]) == 0
    dataset = read_dataset(tmp_path / "data")
    assert dataset.protocol == "seed"
    assert sum(dataset.info["counts"].values()) == 6
