"""nextwatch generate: writes the log (and oracle); bad options are one line on stderr and exit code 2."""

from pathlib import Path

import polars as pl
import pytest

from nextwatch.cli import main
from nextwatch.schema import LOG_COLUMNS


def test_writes_log_and_oracle(tmp_path: Path) -> None:
    """The log has the schema and one row per play; the oracle has one last-play row per viewer."""
    out, oracle = tmp_path / "runs" / "log.parquet", tmp_path / "oracle.parquet"
    code = main(
        ["generate", "--users", "50", "--shows", "200", "--seed", "1", "--out", str(out), "--oracle", str(oracle)]
    )
    assert code == 0
    log = pl.read_parquet(out)
    assert log.schema == pl.Schema(LOG_COLUMNS)
    assert log["user_id"].n_unique() == 50
    assert pl.read_parquet(oracle).filter(pl.col("is_last_play")).height == 50


@pytest.mark.parametrize(
    "options",
    [["--users", "-5"], ["--users", "0"], ["--days", "0"], ["--seed", "-1"], ["--users", "many"]],
)
def test_bad_option_values_exit_2(options: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A negative or zero size is refused by argparse with its usage line and exit code 2."""
    with pytest.raises(SystemExit) as exit_info:
        main(["generate", *options, "--out", str(tmp_path / "log.parquet")])
    assert exit_info.value.code == 2
    assert "error: argument" in capsys.readouterr().err


def test_too_few_shows_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A catalogue too small to simulate is one error line and exit code 2."""
    assert main(["generate", "--shows", "10", "--out", str(tmp_path / "log.parquet")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "shows must be between" in err


@pytest.mark.parametrize("where", ["directory", "under_a_file"])
def test_unwritable_output_is_one_line(where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An output path that is a directory, or whose folder cannot exist, is one error line and exit code 2."""
    blocker = tmp_path / "plain_file"
    blocker.write_text("x")
    out = tmp_path if where == "directory" else blocker / "sub" / "log.parquet"
    assert main(["generate", "--users", "10", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("nextwatch generate: error:")


def test_unwritable_oracle_fails_before_simulating(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An oracle path that cannot be written fails up front and leaves no log behind."""
    out = tmp_path / "log.parquet"
    assert main(["generate", "--users", "10", "--out", str(out), "--oracle", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err
    assert not out.exists()
