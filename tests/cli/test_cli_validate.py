"""``nextwatch validate``: a report on stdout for a usable log; one line on stderr and exit 2 for a bad file."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from nextwatch.cli import main
from nextwatch.schema import LOG_COLUMNS


def _rows(count: int = 4) -> dict[str, list[Any]]:
    return {
        "user_id": [1] * count,
        "playback_session_id": list(range(count)),
        "show_id": [10] * count,
        "asset_type": ["VOD"] * count,
        "episode_id": [5] * count,
        "day": ["1"] * count,
        "time": [f"21:{i:02d}" for i in range(count)],
        "watch_minutes": [30] * count,
    }


def _write(path: Path, rows: dict[str, list[Any]], dtypes: dict[str, pl.DataType] | None = None) -> Path:
    schema = {name: (dtypes or {}).get(name, LOG_COLUMNS.get(name, pl.Int64())) for name in rows}
    pl.DataFrame(rows, schema=schema).write_parquet(path)
    return path


def _bad_value(column: str, value: Any, every_row: bool = False) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        rows = _rows()
        rows[column] = [value] * 4 if every_row else [*rows[column][:2], value, *rows[column][3:]]
        return _write(folder / "log.parquet", rows)

    return make


def _missing_column(folder: Path) -> Path:
    rows = _rows()
    del rows["show_id"]
    return _write(folder / "log.parquet", rows)


def _float_ids(folder: Path) -> Path:
    rows = _rows()
    rows["user_id"] = [1.5] * 4
    return _write(folder / "log.parquet", rows, {"user_id": pl.Float64()})


def _empty(folder: Path) -> Path:
    return _write(folder / "log.parquet", _rows(0))


def _text_file(folder: Path) -> Path:
    path = folder / "log.parquet"
    path.write_text("user_id,show_id\n1,2\n")
    return path


def _directory(folder: Path) -> Path:
    path = folder / "logs"
    path.mkdir()
    return path


def _missing_path(folder: Path) -> Path:
    return folder / "nowhere.parquet"


# Files refused in either mode: (case, builder, what the one line must say).
BAD_FILES = [
    ("missing column", _missing_column, "lacks the column(s) show_id"),
    ("wrong type", _float_ids, "user_id is Float64 (expected an integer type"),
    ("null ids", _bad_value("user_id", None, every_row=True), "are invalid (null_user_id: 4)"),
    ("bad time", _bad_value("time", "25:61", every_row=True), "are invalid (bad_time: 4)"),
    ("negative minutes", _bad_value("watch_minutes", -5, every_row=True), "are invalid (negative_watch_minutes: 4)"),
    ("non-numeric day", _bad_value("day", "monday", every_row=True), "are invalid (bad_day: 4)"),
    ("empty table", _empty, "has no rows"),
    ("not parquet", _text_file, "is not a readable parquet file"),
    ("directory", _directory, "is a directory"),
    ("missing path", _missing_path, "does not exist"),
]

# One bad row among good ones: refused only with --strict, which names the row, column and value.
BAD_ROWS = [
    ("null ids", _bad_value("show_id", None), "(null_show_id): column show_id is null"),
    ("bad time", _bad_value("time", "25:61"), "(bad_time): column time is '25:61'"),
    ("negative minutes", _bad_value("watch_minutes", -5), "(negative_watch_minutes): column watch_minutes is -5"),
    ("non-numeric day", _bad_value("day", "monday"), "(bad_day): column day is 'monday'"),
]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["validate", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(("case", "make", "expected"), BAD_FILES, ids=[case for case, _, _ in BAD_FILES])
@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
def test_bad_file_gives_one_line_and_exit_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    case: str,
    make: Callable[[Path], Path],
    expected: str,
    strict: bool,
) -> None:
    """Each bad file gives exactly one stderr line naming the file and the problem, exit code 2, no traceback."""
    path = make(tmp_path)
    code, out, err = _run(capsys, str(path), *(["--strict"] if strict else []))
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1 and err.endswith("\n")
    assert err.startswith("nextwatch validate: error: ")
    assert str(path) in err
    if strict and case in {"null ids", "bad time", "negative minutes", "non-numeric day"}:
        assert "row 0 (0-based, in file order)" in err
    else:
        assert expected in err
    assert "Traceback" not in err


@pytest.mark.parametrize(("case", "make", "expected"), BAD_ROWS, ids=[case for case, _, _ in BAD_ROWS])
def test_strict_names_row_column_and_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, make: Callable[[Path], Path], expected: str
) -> None:
    """With --strict one bad row is one stderr line naming its row number, column and value; exit code 2."""
    path = make(tmp_path)
    code, out, err = _run(capsys, str(path), "--strict")
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1
    assert f"row 2 (0-based, in file order) of {path} is invalid {expected}, expected " in err


@pytest.mark.parametrize(("case", "make", "expected"), BAD_ROWS, ids=[case for case, _, _ in BAD_ROWS])
def test_lenient_report_counts_add_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, make: Callable[[Path], Path], expected: str
) -> None:
    """Without --strict the bad row is dropped and the JSON report accounts for all four rows."""
    code, out, err = _run(capsys, str(make(tmp_path)), "--json")
    report = json.loads(out)
    assert (code, err) == (0, "")
    assert report["kept_rows"] == 3
    assert sum(report["dropped"].values()) == 1
    assert report["kept_rows"] + sum(report["dropped"].values()) + report["duplicate_rows"] == report["total_rows"] == 4


def test_table_shows_counts_and_nonzero_reasons(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The plain report lists totals, only the reasons that dropped rows, duplicates, capping and extra columns."""
    rows = _rows()
    rows["time"][1] = "7:5"
    rows["watch_minutes"][0] = 5000
    rows = {name: [*values, values[3]] for name, values in rows.items()}
    rows["note"] = ["x"] * 5
    code, out, err = _run(capsys, str(_write(tmp_path / "log.parquet", rows, {"note": pl.String()})))
    assert (code, err) == (0, "")
    lines = [line.split() for line in out.splitlines()]
    assert ["total", "rows", "5"] in lines
    assert ["kept", "rows", "3"] in lines
    assert ["bad_time", "1"] in lines
    assert ["duplicate", "rows", "dropped", "1"] in lines
    assert ["watch_minutes", "capped", "at", "1440", "1"] in lines
    assert ["extra", "columns", "ignored", "note"] in lines
    assert not any(line[0] == "null_user_id" for line in lines)
