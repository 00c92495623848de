"""nextwatch describe: a table by default, one JSON object with --json, the oracle's recall with --oracle."""

import json
from pathlib import Path

import pytest

from nextwatch.cli import main


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("describe")
    log, oracle = folder / "log.parquet", folder / "oracle.parquet"
    assert main(["generate", "--users", "80", "--shows", "300", "--out", str(log), "--oracle", str(oracle)]) == 0
    return log, oracle


def test_json_is_one_object_with_oracle_recall(
    generated: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """--json prints one JSON object; --oracle adds the recall figures for 80 last plays."""
    log, oracle = generated
    assert main(["describe", str(log), "--json", "--oracle", str(oracle)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["viewers"] == 80
    assert result["oracle"]["last_plays"] == 80
    assert 0.0 <= result["oracle"]["last_play_recall@10"] <= 1.0


def test_table_lists_every_figure(generated: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    """The default output is a table with one line per figure."""
    assert main(["describe", str(generated[0])]) == 0
    out = capsys.readouterr().out
    for name in ("rows", "plays_per_viewer_p90", "binge_rate", "new_show_rate", "top_1pct_show_share", "VOD"):
        assert name in out


def test_missing_log_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A log that does not exist is one error line naming it, and exit code 2."""
    assert main(["describe", str(tmp_path / "nothing.parquet")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nothing.parquet" in err


def test_oracle_of_another_file_is_one_line(generated: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    """Passing the log as the oracle file is an error naming the missing column."""
    log, _ = generated
    assert main(["describe", str(log), "--oracle", str(log)]) == 2
    assert "oracle file has no column" in capsys.readouterr().err
