"""`nextwatch recommend`, `export` and `serve`, run in-process through the CLI frame."""

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from nextwatch.cli import main
from nextwatch.recommend import Recommender


def test_recommend_json_matches_the_python_api(tiny_checkpoint_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--json prints one object equal to Recommender.recommend's answer."""
    code = main(
        ["recommend", "--checkpoint", str(tiny_checkpoint_path), "--user", "11", "-k", "3", "--exclude-seen", "--json"]
    )
    expected = Recommender.from_checkpoint(tiny_checkpoint_path).recommend(11, k=3, exclude_seen=True)
    assert code == 0
    assert json.loads(capsys.readouterr().out) == expected.to_dict()


def test_recommend_table_marks_a_cold_start(tiny_checkpoint_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown viewer prints the popular shows as a table headed 'cold start'."""
    assert main(["recommend", "--checkpoint", str(tiny_checkpoint_path), "--user", "999", "-k", "2"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "viewer 999 (cold start: popular shows, score = popularity rank points)",
        "rank\tshow_id\tscore",
        "1\t40\t3",
        "2\t10\t2",
    ]


def test_recommend_k_beyond_the_catalogue_is_one_line(
    tiny_checkpoint_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """k larger than the catalogue is exit 2 with one line, no traceback."""
    assert main(["recommend", "--checkpoint", str(tiny_checkpoint_path), "--user", "3", "-k", "7"]) == 2
    assert capsys.readouterr().err == (
        "nextwatch recommend: error: k must be between 1 and the 6 shows of the model, got 7\n"
    )


def test_recommend_missing_checkpoint_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A missing checkpoint is exit 2 with the loader's message."""
    assert main(["recommend", "--checkpoint", str(tmp_path / "none.pth"), "--user", "3"]) == 2
    assert "does not exist: train one with `nextwatch train`" in capsys.readouterr().err


def test_recommend_bad_k_is_a_usage_error(tiny_checkpoint_path: Path) -> None:
    """-k 0 is rejected by argparse with exit code 2."""
    with pytest.raises(SystemExit) as exit_info:
        main(["recommend", "--checkpoint", str(tiny_checkpoint_path), "--user", "3", "-k", "0"])
    assert exit_info.value.code == 2


def test_export_writes_one_row_per_known_viewer(
    tiny_checkpoint_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """export writes user_id, show_ids and scores for every viewer, equal to recommend_many's answers."""
    import torch

    threads: list[int] = []
    monkeypatch.setattr(torch, "set_num_threads", threads.append)
    out = tmp_path / "out" / "recs.parquet"
    assert (
        main(
            [
                "export",
                "--checkpoint",
                str(tiny_checkpoint_path),
                "--out",
                str(out),
                "-k",
                "6",
                "--exclude-seen",
                "--batch-size",
                "2",
                "--no-progress",
                "--threads",
                "1",
            ]
        )
        == 0
    )
    assert threads == [1]
    frame = pl.read_parquet(out)
    assert frame.columns == ["user_id", "show_ids", "scores"]
    assert frame["user_id"].to_list() == [3, 8, 11]
    expected = Recommender.from_checkpoint(tiny_checkpoint_path).recommend_many([3, 8, 11], k=6, exclude_seen=True)
    assert frame["show_ids"].to_list() == [list(a.show_ids) for a in expected]
    assert [len(s) for s in frame["scores"].to_list()] == [4, 5, 2]
    assert [p.name for p in out.parent.iterdir()] == ["recs.parquet"]  # no temporary file left behind


def test_export_to_a_directory_is_one_line(
    tiny_checkpoint_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An --out that is a directory is exit 2 with one line."""
    assert main(["export", "--checkpoint", str(tiny_checkpoint_path), "--out", str(tmp_path), "--no-progress"]) == 2
    assert "is a directory" in capsys.readouterr().err


def test_serve_loads_once_and_binds_loopback_by_default(
    tiny_checkpoint_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """serve hands uvicorn an app over the checkpoint, on 127.0.0.1:8000 unless told otherwise."""
    import torch
    import uvicorn

    calls: list[dict[str, Any]] = []
    threads: list[int] = []
    monkeypatch.setattr(torch, "set_num_threads", threads.append)
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append({"app": app, **kwargs}))
    assert main(["serve", "--checkpoint", str(tiny_checkpoint_path)]) == 0
    assert main(["serve", "--checkpoint", str(tiny_checkpoint_path), "--host", "0.0.0.0", "--port", "9001"]) == 0
    assert [(c["host"], c["port"]) for c in calls] == [("127.0.0.1", 8000), ("0.0.0.0", 9001)]
    assert calls[0]["app"].title == "nextwatch"
    assert threads == [1, 1]  # --threads default


def test_serve_bad_port_is_a_usage_error(tiny_checkpoint_path: Path) -> None:
    """--port outside 1..65535 is rejected by argparse with exit code 2."""
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--checkpoint", str(tiny_checkpoint_path), "--port", "70000"])
    assert exit_info.value.code == 2
