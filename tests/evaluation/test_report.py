"""evaluate_dataset, the report's JSON shape (no NaN) and the table."""

import json

import polars as pl
import pytest

from nextwatch.evaluation.baselines import fit_baselines
from nextwatch.evaluation.report import build_report, evaluate_dataset, format_table, json_ready
from nextwatch.sequences.dataset_files import Dataset
from nextwatch.sequences.vocabulary import Vocabulary

LIST = pl.List(pl.Int32)


def _dataset(test_new: list[list[int]] | None = None) -> Dataset:
    """Training plays 10, 20, 10 (viewer 1) and 20, 30 (viewer 2): popularity 10:2, 20:2, 30:1."""
    samples = pl.DataFrame(
        {
            "user_id": [1, 2, 1],
            "split": ["val", "val", "test"],
            "target_show_id": [20, 10, 30],
            "target_day": [8, 8, 10],
            "show_ids": [[10, 20, 10], [20, 30], [10, 20, 10, 20]],
            "asset_types": [["VOD"] * 3, ["VOD"] * 2, ["VOD"] * 4],
            "watch_minutes": [[5] * 3, [5] * 2, [5] * 4],
            "new_show_ids": [[], [10], *(test_new if test_new is not None else [[30]])],
            "seen_show_ids": [[10, 20], [20, 30], [10, 20]],
        },
        schema_overrides={"new_show_ids": LIST, "seen_show_ids": LIST, "target_show_id": pl.Int32},
    )
    plays = pl.DataFrame(
        {
            "user_id": [1, 1, 1, 2, 2],
            "show_id": [10, 20, 10, 20, 30],
            "asset_type": ["VOD"] * 5,
            "watch_minutes": [5] * 5,
            "day_number": [1, 2, 3, 1, 2],
        }
    )
    return Dataset(
        samples=samples,
        inference=pl.DataFrame(),
        train_plays=plays,
        vocabulary=Vocabulary.build([10, 20, 30], ["VOD"]),
        info={"protocol": "temporal", "config": {"window": 4}},
        ingest_report={},
    )


def test_popular_by_hand_on_val_and_test() -> None:
    """Popular ranks 10, 20, 30: val targets at ranks 2 and 1, the test target at rank 3; new shows all hit."""
    dataset = _dataset()
    result = evaluate_dataset(dataset, {"popular": fit_baselines(dataset)["popular"]})
    val, test = result["popular"]["val"], result["popular"]["test"]
    assert (val["recall@1"], val["mrr@5"], val["cases"]) == (0.5, 0.75, 2.0)
    assert (val["new_recall@10"], val["new_cases"]) == (1.0, 1.0)
    assert (test["recall@1"], test["recall@5"], test["mrr@5"]) == (0.0, 1.0, pytest.approx(1 / 3))
    assert test["new_recall@10"] == 1.0


def test_bootstrap_interval_only_on_test() -> None:
    """The Recall@10 interval is computed for the test split, not for validation."""
    dataset = _dataset()
    result = evaluate_dataset(dataset, fit_baselines(dataset), bootstrap=20)
    for by_split in result.values():
        assert "recall@10_low" in by_split["test"] and "recall@10_low" not in by_split["val"]


def test_report_shape_and_no_nan_in_json() -> None:
    """The report holds model and baselines by split; a new-show recall without new shows is null, not NaN."""
    dataset = _dataset(test_new=[[]])
    result = evaluate_dataset(dataset, {"model": fit_baselines(dataset)["transitions"], **fit_baselines(dataset)})
    report = build_report(result.pop("model"), result)
    assert set(report) == {"model", "baselines"}
    assert list(report["baselines"]) == ["popular", "popular_recent", "repeat_recent", "transitions"]
    assert set(report["model"]) == {"val", "test"}
    assert report["baselines"]["popular"]["test"]["new_recall@10"] is None
    text = json.dumps(report, allow_nan=False)
    assert json.loads(text)["model"]["val"]["recall@1"] == report["model"]["val"]["recall@1"]


def test_json_ready_replaces_only_non_finite_floats() -> None:
    """NaN and infinities become None; other values and nesting stay as they are."""
    assert json_ready({"a": (1, float("-inf")), "b": {"c": float("nan"), "d": "x"}}) == {
        "a": [1, None],
        "b": {"c": None, "d": "x"},
    }


def test_table_lists_every_scorer_and_split() -> None:
    """The table has a header, then one row per scorer and split, with '-' for a missing value."""
    dataset = _dataset(test_new=[[]])
    result = evaluate_dataset(dataset, fit_baselines(dataset), bootstrap=10)
    lines = format_table(build_report(None, result)).splitlines()
    assert lines[0].split()[:4] == ["scorer", "split", "recall@10", "ndcg@10"]
    assert [line.split()[:2] for line in lines[1:3]] == [["popular", "val"], ["popular", "test"]]
    assert len(lines) == 1 + 4 * 2
    assert lines[2].split()[5] == "-"  # popular's test new_recall@10: no new show in the test split
