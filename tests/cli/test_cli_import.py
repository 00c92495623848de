"""nextwatch import: a one-line summary and exit 0; bad input is one line on stderr and exit 2."""

from pathlib import Path

import polars as pl
import pytest

from nextwatch.cli import main

RATINGS = "userId,movieId,rating,timestamp\n1,10,4.0,86460\n2,20,3.5,86460\n1,20,5.0,0\n1,30,1.0,soon\n"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_movielens_prints_summary_and_writes_log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """import movielens writes the log and prints rows in/out, drops, viewers, shows and days on one line."""
    ratings = _write(tmp_path, "ratings.csv", RATINGS)
    movies = _write(tmp_path, "movies.csv", "movieId,title,genres\n10,A,Drama\n")
    out = tmp_path / "out" / "playback_sessions.parquet"
    code = main(["import", "movielens", "--ratings", str(ratings), "--movies", str(movies), "--out", str(out)])
    printed = capsys.readouterr()
    assert code == 0
    assert printed.out == (
        "nextwatch import movielens: 4 rows in, 3 plays out (1 dropped: bad_time 1), 2 viewers, 2 shows, "
        f"2 days from 1970-01-01 -> {out}\n"
    )
    assert pl.read_parquet(out)["asset_type"].to_list() == ["VOD", "Drama", "VOD"]


def test_events_writes_item_map(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """import events writes the log and the item map beside it and exits 0."""
    events = _write(tmp_path, "events.csv", "uid,thing,at,secs\n1,news,2024-01-01T10:00:00Z,600\n")
    out = tmp_path / "log.parquet"
    argv = ["import", "events", "--input", str(events), "--user", "uid", "--item", "thing", "--time", "at"]
    code = main([*argv, "--duration", "secs", "--out", str(out)])
    assert code == 0
    assert f"-> {tmp_path / 'log.item_ids.parquet'}, {out}" in capsys.readouterr().out
    assert pl.read_parquet(out)["watch_minutes"].to_list() == [10]


def test_strict_bad_row_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With --strict a bad timestamp is one error line on stderr, exit 2, and no output file."""
    ratings = _write(tmp_path, "ratings.csv", RATINGS)
    out = tmp_path / "playback_sessions.parquet"
    code = main(["import", "movielens", "--ratings", str(ratings), "--strict", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("nextwatch import: error: ") and "data row 4" in err and "'soon'" in err
    assert err.count("\n") == 1
    assert not out.exists()


def test_missing_input_file_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A ratings file that does not exist is one error line and exit 2."""
    code = main(["import", "movielens", "--ratings", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "o.parquet")])
    assert code == 2
    assert "does not exist" in capsys.readouterr().err


def test_bad_option_values_are_usage_errors(tmp_path: Path) -> None:
    """A duration unit outside seconds|minutes or a zero --watch-minutes exits 2 through argparse."""
    base = ["import", "events", "--input", "x.csv", "--user", "u", "--item", "i", "--time", "t"]
    with pytest.raises(SystemExit) as caught:
        main([*base, "--duration-unit", "hours"])
    assert caught.value.code == 2
    with pytest.raises(SystemExit) as caught:
        main(["import", "movielens", "--ratings", "r.csv", "--watch-minutes", "0"])
    assert caught.value.code == 2
