"""The experiments table: every trained model and baseline as a row, markdown and JSON written together."""

import json
from pathlib import Path

import pytest

from nextwatch.cli import main
from nextwatch.experiments import experiments_markdown, run_experiments, train_cases, write_experiments
from nextwatch.ingest.order import order_log
from nextwatch.sequences.config import PrepareConfig
from nextwatch.sequences.dataset_files import Dataset, write_dataset
from nextwatch.sequences.prepare import prepare_dataset
from nextwatch.synthetic import GeneratorConfig, generate_log
from nextwatch.training import TrainingConfig

TINY_TRAINING = TrainingConfig(epochs=1, batch_size=64, train_eval_cases=30, bootstrap_samples=20, num_threads=1)


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    log = order_log(generate_log(GeneratorConfig(users=40, shows=100, seed=3)).frame)
    return prepare_dataset(log, PrepareConfig(protocol="temporal", window=5))


@pytest.mark.slow
def test_rows_for_each_model_and_baseline(dataset: Dataset, tmp_path: Path) -> None:
    """One preset with both objectives gives two model rows (checkpoints written) and then the four baselines."""
    rows = run_experiments(dataset, tmp_path / "artifacts", TINY_TRAINING, presets=("lstm_1",), progress=False)
    assert [(row.name, row.objective) for row in rows] == [
        ("lstm_1", "last"),
        ("lstm_1", "dense"),
        ("popular", None),
        ("popular_recent", None),
        ("repeat_recent", None),
        ("transitions", None),
    ]
    assert (tmp_path / "artifacts" / "lstm_1_dense.pth").is_file()
    assert (rows[0].layers, rows[0].embedding_dim, rows[0].hidden_dim, rows[0].dropout) == (1, "32/32", 128, 0.0)
    for row in rows:
        assert set(row.metrics) == {"train", "val", "test"}
        assert row.metrics["train"]["cases"] == 30.0
    markdown, report = write_experiments(rows, dataset, TINY_TRAINING, tmp_path / "reports")
    assert markdown.name == "experiments_temporal.md" and report.name == "experiments_temporal.json"
    table = [line for line in markdown.read_text().splitlines() if line.startswith("| ")]
    assert table[0].startswith("| Model | Objective | Layers | Embedding dim | Hidden dim | Dropout | Train Top-10")
    assert [line.split(" | ")[0] for line in table[1:]] == ["| lstm_1"] * 2 + [
        "| popular",
        "| popular_recent",
        "| repeat_recent",
        "| transitions",
    ]
    document = json.loads(report.read_text())
    assert [row["name"] for row in document["rows"]] == [row.name for row in rows]
    assert document["rows"][2]["metrics"]["val"]["recall@10"] == rows[2].metrics["val"]["recall@10"]


def test_train_cases_follow_the_training_subsample(dataset: Dataset) -> None:
    """Baselines are graded on train on the capped, seeded subsample; without a cap on every train sample."""
    assert len(train_cases(dataset, TINY_TRAINING)) == 30
    uncapped = TrainingConfig(train_eval_cases=None)
    assert len(train_cases(dataset, uncapped)) == len(dataset.split("train"))


def test_markdown_shows_dashes_for_missing_values(dataset: Dataset) -> None:
    """A baseline row has '-' for the model-only columns and 'baseline' as its objective."""
    from nextwatch.experiments import ExperimentRow

    row = ExperimentRow(name="popular", kind="baseline", metrics={"val": {"recall@10": 0.5}}, seconds=0.25)
    line = experiments_markdown([row], dataset, TINY_TRAINING).splitlines()[-1]
    assert line == "| popular | baseline | - | - | - | - | - | 0.5000 | - | - | - | - | - | - | - | 0.2 |"


@pytest.mark.slow
def test_command_writes_the_report(dataset: Dataset, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`nextwatch experiments` prints the table and writes it under --out."""
    write_dataset(tmp_path / "data", dataset)
    code = main(
        [
            "experiments",
            "--data",
            str(tmp_path / "data"),
            "--out",
            str(tmp_path / "reports"),
            "--artifacts",
            str(tmp_path / "artifacts"),
            "--presets",
            "lstm_1",
            "--objectives",
            "dense",
            "--epochs",
            "1",
            "--train-eval-cases",
            "20",
            "--bootstrap",
            "10",
            "--no-progress",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "| lstm_1 | dense |" in out and "| repeat_recent | baseline |" in out
    assert (tmp_path / "reports" / "experiments_temporal.md").read_text() in out
