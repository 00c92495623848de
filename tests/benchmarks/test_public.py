"""The public benchmark: the seen-excluded grading, the data folder lookup, and the whole path on a tiny CSV."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
import torch

from nextwatch.benchmarks.public import (
    DATA_SUBDIR,
    BenchmarkResult,
    PublicBenchmarkConfig,
    default_data_dir,
    evaluate_excluding_seen,
    run_public_benchmark,
)
from nextwatch.benchmarks.report_page import render_markdown, write_report
from nextwatch.errors import InvalidInputError
from nextwatch.evaluation.baselines import BASELINE_NAMES
from nextwatch.evaluation.cases import EvaluationCases, RaggedIndex
from nextwatch.sequences.encoding import EncodedWindows

DAY = 86_400
BASE_TIME = 1_000_000_000  # 2001-09-09, a Sunday; any start works


def tiny_ratings(path: Path) -> Path:
    """Four viewers rate six films each, viewer u's k-th film on day 1 + 3k + u, so days run 1..19."""
    lines = ["userId,movieId,rating,timestamp"]
    for user in range(4):
        for k in range(6):
            movie = (user + k) % 6 + 1
            lines.append(f"{user + 1},{movie},4.0,{BASE_TIME + (3 * k + user) * DAY + 3600}")
    path.write_text("\n".join(lines) + "\n")
    return path


def two_cases() -> EvaluationCases:
    windows = EncodedWindows(
        show_index=np.array([[1], [2]], dtype=np.int64),
        asset_index=np.ones((2, 1), dtype=np.int64),
        minutes=np.full((2, 1), 100.0, dtype=np.float32),
        lengths=np.ones(2, dtype=np.int64),
    )
    return EvaluationCases(
        windows=windows,
        target_index=np.array([3, 4], dtype=np.int64),
        new_shows=RaggedIndex(offsets=np.array([0, 1, 2]), values=np.array([3, 4])),
        seen_shows=RaggedIndex(offsets=np.array([0, 1, 1]), values=np.array([1])),
    )


def fixed_scorer(show_index: torch.Tensor, asset_index: torch.Tensor, minutes: torch.Tensor) -> torch.Tensor:
    return torch.tensor([[0.0, 0.9, 0.8, 0.7, 0.1]]).expand(show_index.shape[0], -1).clone()


def test_excluding_seen_moves_the_target_up_past_each_seen_show() -> None:
    """Case 1 (seen show 1 removed) ranks its target 2nd instead of 3rd; case 2 (nothing seen) keeps rank 4."""
    result = evaluate_excluding_seen(fixed_scorer, two_cases(), num_shows=4)
    assert result["recall@10"] == 1.0
    assert result["mrr@10"] == pytest.approx((1 / 2 + 1 / 4) / 2)
    assert result["ndcg@10"] == pytest.approx((1 / math.log2(3) + 1 / math.log2(5)) / 2)
    assert result["cases"] == 2.0


def test_excluding_seen_ranks_a_seen_target_after_every_other_show() -> None:
    """A target the viewer already played is removed with the seen shows: rank 4 of 4, behind the 3 others."""
    cases = two_cases()
    seen_target = EvaluationCases(
        windows=cases.windows,
        target_index=np.array([1, 4], dtype=np.int64),
        new_shows=cases.new_shows,
        seen_shows=cases.seen_shows,
    )
    result = evaluate_excluding_seen(fixed_scorer, seen_target, num_shows=4, batch_size=1)
    assert result["mrr@10"] == pytest.approx((1 / 4 + 1 / 4) / 2)


def test_default_data_dir_finds_the_shared_folder_above_the_repository(tmp_path: Path) -> None:
    """A worktree two levels below the folder that holds shared/ still finds the data."""
    data = tmp_path / DATA_SUBDIR
    data.mkdir(parents=True)
    (data / "ratings.csv").write_text("userId,movieId,rating,timestamp\n")
    repo = tmp_path / "wt" / "public"
    repo.mkdir(parents=True)
    assert default_data_dir(repo) == data.resolve()


def test_default_data_dir_without_data_says_to_pass_data_dir(tmp_path: Path) -> None:
    """No ratings.csv anywhere above is an InvalidInputError that names --data-dir."""
    with pytest.raises(InvalidInputError, match="--data-dir"):
        default_data_dir(tmp_path)


@pytest.mark.slow
def test_benchmark_on_a_tiny_csv_writes_every_row_with_metrics_in_range(tmp_path: Path) -> None:
    """Both protocols hold every baseline and both objectives; every metric is in [0, 1]; the files agree."""
    ratings = tiny_ratings(tmp_path / "ratings.csv")
    config = PublicBenchmarkConfig(
        temporal_test_days=3, temporal_val_days=3, window=3, max_epochs=2, patience=1, num_threads=1
    )
    result = run_public_benchmark(ratings, tmp_path / "work", config)
    expected = [*BASELINE_NAMES, "lstm_2 (last)", "lstm_2 (dense)"]
    for protocol in ("leave-one-out", "temporal"):
        assert [row.model for row in result.rows if row.protocol == protocol] == expected
    for row in result.rows:
        for name in ("recall@10", "ndcg@10", "mrr@10", "coverage@10"):
            assert 0.0 <= row.test[name] <= 1.0, (row.protocol, row.model, name)
        for name in ("recall@10", "ndcg@10", "mrr@10"):
            assert 0.0 <= row.test_excluding_seen[name] <= 1.0, (row.protocol, row.model, name)
        assert 0.0 <= row.test["new_recall@10"] <= 1.0
        assert row.train_seconds >= 0.0
    assert {row.test_viewers for row in result.rows if row.protocol == "leave-one-out"} == {4}
    assert {row.test_viewers for row in result.rows if row.protocol == "temporal"} == {3}

    markdown, report = tmp_path / "docs" / "page.md", tmp_path / "reports" / "page.json"
    write_report(result, markdown, report, "PYTHONPATH=src python bench/public.py --data-dir X")
    page = markdown.read_text()
    assert page.count("| lstm_2 (dense) |") == 2
    assert "--data-dir X" in page
    stored = json.loads(report.read_text())
    assert [row["model"] for row in stored["rows"]] == expected * 2
    assert stored["describe"]["rows"] == 24
    assert render_markdown(BenchmarkResult.from_dict(stored), stored["command"]) == page
