"""The public benchmark: MovieLens latest-small imported id-only, baselines and lstm_2 under two protocols.

``run_public_benchmark`` imports ``ratings.csv`` (no genres: one constant asset type, as recommender papers evaluate
MovieLens), describes the log, prepares it under ``leave-one-out`` and ``temporal``, fits the baselines, trains the
model with each objective, and grades every one on the test cases over the full catalogue, twice: as nextwatch
ranks (seen shows allowed) and with each viewer's seen shows excluded (the literature's setting on a log without
repeats). ``nextwatch.benchmarks.report_page`` turns the result into the markdown page and the JSON.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, cast

import polars as pl
import torch

from nextwatch.checkpoint import build_model
from nextwatch.config_data import config_from_dict
from nextwatch.describe import describe_log
from nextwatch.errors import InvalidInputError, InvalidOptionError
from nextwatch.evaluation.baselines import fit_baselines
from nextwatch.evaluation.cases import EvaluationCases
from nextwatch.evaluation.metrics import metrics_from_ranks, target_ranks
from nextwatch.evaluation.scoring import Scorer, evaluate_scorer, model_scorer, ragged_mask
from nextwatch.importers import import_movielens, write_import
from nextwatch.ingest import load_log
from nextwatch.models.lstm import preset_config
from nextwatch.sequences.config import PrepareConfig
from nextwatch.sequences.dataset_files import Dataset
from nextwatch.sequences.prepare import prepare_dataset
from nextwatch.sequences.vocabulary import PAD_INDEX
from nextwatch.training import TrainingConfig, train_model
from nextwatch.training.config import OBJECTIVES, Objective

__all__ = [
    "DATA_SUBDIR",
    "REFERENCE_FIGURES",
    "BenchmarkResult",
    "BenchmarkRow",
    "PublicBenchmarkConfig",
    "default_data_dir",
    "evaluate_excluding_seen",
    "rows_by_protocol",
    "run_public_benchmark",
    "timestamp_ties",
]

DATA_SUBDIR: Final = Path("shared") / "data" / "ml-latest-small"
PROTOCOLS: Final = ("leave-one-out", "temporal")
K: Final = 10
BOOTSTRAP_SAMPLES: Final = 1000
TRAIN_EVAL_CASES: Final = 2000  # training grades the train split too; a subsample keeps that cheap

# RecBole 1.2.1 on this data, leave-one-out by time, full ranking, seen items removed: test Recall@10, NDCG@10.
# Quoted from shared/data/ml-latest-small/ABOUT.md; not measured by this script.
REFERENCE_FIGURES: Final[dict[str, tuple[float, float]]] = {
    "RecBole most popular": (0.033, 0.016),
    "RecBole GRU4Rec": (0.064, 0.035),
    "RecBole SASRec": (0.058, 0.027),
}

TrainFunction = Callable[[Dataset, str, "PublicBenchmarkConfig", Path], "ModelRun"]


@dataclass(frozen=True)
class PublicBenchmarkConfig:
    """What the benchmark runs. The temporal periods are days at the log's end (MovieLens spans 7,952 days)."""

    window: int = 20
    seed: int = 42
    temporal_test_days: int = 365
    temporal_val_days: int = 365
    preset: str = "lstm_2"
    objectives: tuple[str, ...] = ("last", "dense")
    max_epochs: int = 10
    patience: int = 2
    batch_size: int = 512
    learning_rate: float = 0.001
    progress: bool = False
    num_threads: int | None = None  # torch threads for the whole run; None keeps torch's default

    def __post_init__(self) -> None:
        for name in ("window", "temporal_test_days", "temporal_val_days", "max_epochs", "patience", "batch_size"):
            if getattr(self, name) < 1:
                raise InvalidOptionError(f"benchmark {name} must be at least 1, got {getattr(self, name)}")
        if self.num_threads is not None and self.num_threads < 1:
            raise InvalidOptionError(f"benchmark num_threads must be at least 1, got {self.num_threads}")
        if not self.learning_rate > 0:
            raise InvalidOptionError(f"benchmark learning_rate must be positive, got {self.learning_rate}")

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PublicBenchmarkConfig:
        return config_from_dict(
            cls, {**data, "objectives": tuple(data.get("objectives", cls.objectives))}, "benchmark config"
        )


@dataclass(frozen=True)
class ModelRun:
    """A trained model as the benchmark needs it: a scorer, how long training took, and its epochs."""

    scorer: Scorer
    train_seconds: float
    epochs_run: int
    best_epoch: int


@dataclass(frozen=True)
class BenchmarkRow:
    """One scorer under one protocol: test metrics as nextwatch ranks and with seen shows excluded."""

    protocol: str
    model: str
    kind: str  # "baseline" or "model"
    test: dict[str, float]
    test_excluding_seen: dict[str, float]
    val_recall_at_10: float
    train_seconds: float
    epochs_run: int | None = None
    best_epoch: int | None = None

    @property
    def test_viewers(self) -> int:
        return int(self.test["cases"])


@dataclass(frozen=True)
class BenchmarkResult:
    """Everything the report shows."""

    config: PublicBenchmarkConfig
    ratings_csv: str
    import_summary: str
    describe: dict[str, Any]
    datasets: dict[str, dict[str, Any]]
    rows: list[BenchmarkRow]
    total_seconds: float
    torch_threads: int
    baseline_fit_seconds: dict[str, float] = field(default_factory=dict)
    timestamp_ties: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "config": self.config.to_dict(),
            "ratings_csv": self.ratings_csv,
            "import_summary": self.import_summary,
            "describe": self.describe,
            "datasets": self.datasets,
            "baseline_fit_seconds": self.baseline_fit_seconds,
            "timestamp_ties": self.timestamp_ties,
            "rows": [{**dataclasses.asdict(row), "test_viewers": row.test_viewers} for row in self.rows],
            "total_seconds": self.total_seconds,
            "torch_threads": self.torch_threads,
            "reference_figures": {name: {"recall@10": r, "ndcg@10": n} for name, (r, n) in REFERENCE_FIGURES.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BenchmarkResult:
        """Read back what ``to_dict`` wrote (the report's JSON), so the page can be rendered again without a run."""
        try:
            rows = [
                BenchmarkRow(**{key: value for key, value in row.items() if key != "test_viewers"})
                for row in data["rows"]
            ]
            return cls(
                config=PublicBenchmarkConfig.from_dict(data["config"]),
                ratings_csv=data["ratings_csv"],
                import_summary=data["import_summary"],
                describe=data["describe"],
                datasets=data["datasets"],
                rows=rows,
                total_seconds=data["total_seconds"],
                torch_threads=data["torch_threads"],
                baseline_fit_seconds=data.get("baseline_fit_seconds", {}),
                timestamp_ties=data.get("timestamp_ties", {}),
            )
        except (KeyError, TypeError) as error:
            raise InvalidInputError(f"not a public benchmark report ({error!r}): rerun bench/public.py") from error


def default_data_dir(repo_root: Path) -> Path:
    """The first ``shared/data/ml-latest-small`` in ``repo_root`` or a folder above it (``../shared/...`` first).

    Worktrees may sit deeper than the main checkout, so every ancestor is tried; InvalidInputError if none has it.
    """
    root = repo_root.resolve()
    candidates = [root.parent / DATA_SUBDIR, root / DATA_SUBDIR, *(above / DATA_SUBDIR for above in root.parents)]
    for candidate in candidates:
        if (candidate / "ratings.csv").is_file():
            return candidate
    raise InvalidInputError(
        f"no {DATA_SUBDIR}/ratings.csv in {root} or any folder above it: pass --data-dir with MovieLens latest-small"
    )


def run_public_benchmark(
    ratings_csv: Path,
    work_dir: Path,
    config: PublicBenchmarkConfig,
    train: TrainFunction | None = None,
) -> BenchmarkResult:
    """Import, describe, prepare, fit, train and grade; ``work_dir`` receives the imported log and checkpoints.

    ``train`` trains one model (default: ``train_lstm``, nextwatch's training loop).
    """
    previous_threads = torch.get_num_threads()
    if config.num_threads is not None:
        torch.set_num_threads(config.num_threads)
    try:
        return _run(ratings_csv, work_dir, config, train or train_lstm)
    finally:
        torch.set_num_threads(previous_threads)


def _run(ratings_csv: Path, work_dir: Path, config: PublicBenchmarkConfig, train: TrainFunction) -> BenchmarkResult:
    started = time.perf_counter()
    imported = import_movielens(ratings_csv)
    log_path = work_dir / "playback_sessions.parquet"
    write_import(imported, log_path)
    loaded = load_log(log_path)
    stats = describe_log(imported.frame).to_dict()
    ties = timestamp_ties(ratings_csv)
    datasets: dict[str, dict[str, Any]] = {}
    rows: list[BenchmarkRow] = []
    fit_seconds: dict[str, float] = {}
    for protocol in PROTOCOLS:
        dataset = prepare_dataset(loaded.frame, _prepare_config(protocol, config), loaded.report.to_dict())
        datasets[protocol] = {key: value for key, value in dataset.info.items() if key != "config"}
        test, val = _cases(dataset, "test"), _cases(dataset, "val")
        fit_started = time.perf_counter()
        baselines = fit_baselines(dataset)
        fit_seconds[protocol] = time.perf_counter() - fit_started
        for name, scorer in baselines.items():
            rows.append(_row(protocol, name, "baseline", scorer, dataset, test, val, fit_seconds[protocol]))
        for objective in config.objectives:
            run = train(dataset, objective, config, work_dir / protocol)
            name = f"{config.preset} ({objective})"
            rows.append(
                dataclasses.replace(
                    _row(protocol, name, "model", run.scorer, dataset, test, val, run.train_seconds),
                    epochs_run=run.epochs_run,
                    best_epoch=run.best_epoch,
                )
            )
    return BenchmarkResult(
        config=config,
        ratings_csv=str(ratings_csv),
        import_summary=imported.report.summary(),
        describe=stats,
        datasets=datasets,
        rows=rows,
        total_seconds=time.perf_counter() - started,
        torch_threads=torch.get_num_threads(),
        baseline_fit_seconds=fit_seconds,
        timestamp_ties=ties,
    )


def train_lstm(dataset: Dataset, objective: str, config: PublicBenchmarkConfig, out_dir: Path) -> ModelRun:
    """Train ``config.preset`` with ``objective`` by nextwatch's training loop, early stopping on validation.

    The time is the whole ``train_model`` call: epochs, validation after each, the final grading and the files.
    """
    if objective not in OBJECTIVES:
        raise InvalidOptionError(f"objective must be one of {list(OBJECTIVES)}, got {objective!r}")
    vocabulary = dataset.vocabulary
    model_config = preset_config(config.preset, vocabulary.num_shows, vocabulary.num_asset_types)
    training = TrainingConfig(
        epochs=config.max_epochs,
        learning_rate=config.learning_rate,
        batch_size=config.batch_size,
        objective=cast(Objective, objective),
        seed=config.seed,
        early_stopping_patience=config.patience,
        train_eval_cases=TRAIN_EVAL_CASES,
        bootstrap_samples=0,
    )
    name = f"{config.preset}_{objective}"
    result = train_model(dataset, model_config, training, out_dir, name, progress=config.progress)
    return ModelRun(
        scorer=model_scorer(build_model(result.checkpoint)),
        train_seconds=result.seconds,
        epochs_run=len(result.checkpoint.history),
        best_epoch=result.checkpoint.best_epoch,
    )


def evaluate_excluding_seen(
    scorer: Scorer, cases: EvaluationCases, num_shows: int, batch_size: int = 1024
) -> dict[str, float]:
    """Recall@10, NDCG@10 and MRR@10 with every show the viewer played before the target removed from the ranking.

    This is RecBole's setting. A target the viewer had already played ranks after every show not removed (a miss
    in any catalogue of more than 10 other shows); MovieLens has no repeats, so no target is removed there.
    Cases without seen-show lists (the seed protocol) are an error.
    """
    if cases.seen_shows is None:
        raise InvalidInputError(
            "these evaluation cases carry no seen shows: use the temporal or leave-one-out protocol"
        )
    if len(cases) == 0:
        return {"cases": 0.0}
    windows = cases.windows
    ranks = []
    for start in range(0, len(cases), batch_size):
        stop = min(start + batch_size, len(cases))
        scores = scorer(
            torch.from_numpy(windows.show_index[start:stop]),
            torch.from_numpy(windows.asset_index[start:stop]),
            torch.from_numpy(windows.minutes[start:stop]),
        ).float()
        seen = ragged_mask(cases.seen_shows.slice(start, stop), scores.shape[1])
        scores = scores.masked_fill(seen, float("-inf"))
        scores[:, PAD_INDEX] = float("-inf")
        ranks.append(target_ranks(scores, torch.from_numpy(cases.target_index[start:stop])))
    result = metrics_from_ranks(torch.cat(ranks), ks=(K,))
    result["cases"] = float(len(cases))
    return result


def timestamp_ties(ratings_csv: Path) -> dict[str, float]:
    """How often a viewer's consecutive ratings share one second (their order is then the file's: by movieId).

    Returns the share of consecutive pairs within a viewer that share a second, and how many viewers' last two
    ratings (the leave-one-out test and validation targets) do. Rows whose user or time is unreadable are skipped.
    """
    frame = (
        pl.read_csv(ratings_csv, columns=["userId", "timestamp"], schema_overrides={"userId": pl.String})
        .with_columns(pl.col("timestamp").cast(pl.Float64, strict=False).floor().cast(pl.Int64, strict=False))
        .drop_nulls()
        .sort("userId", "timestamp", maintain_order=True)
    )
    same_viewer = frame["userId"] == frame["userId"].shift(1)
    same_second = same_viewer & (frame["timestamp"] == frame["timestamp"].shift(1))
    last_two = frame.group_by("userId", maintain_order=True).tail(2)
    tied_last = last_two.group_by("userId").agg(
        ((pl.len() == 2) & (pl.col("timestamp").n_unique() == 1)).alias("tied")
    )["tied"]
    pairs = int(same_viewer.sum())
    return {
        "consecutive_pairs_same_second": int(same_second.sum()) / pairs if pairs else 0.0,
        "viewers_last_two_same_second": float(tied_last.sum()),
    }


def _prepare_config(protocol: str, config: PublicBenchmarkConfig) -> PrepareConfig:
    return PrepareConfig(
        protocol=protocol,
        window=config.window,
        seed=config.seed,
        val_days=config.temporal_val_days,
        test_days=config.temporal_test_days,
    )


def _cases(dataset: Dataset, split: str) -> EvaluationCases:
    return EvaluationCases.from_samples(dataset.split(split), dataset.vocabulary, dataset.window)


def _row(
    protocol: str,
    name: str,
    kind: str,
    scorer: Scorer,
    dataset: Dataset,
    test: EvaluationCases,
    val: EvaluationCases,
    train_seconds: float,
) -> BenchmarkRow:
    num_shows = dataset.vocabulary.num_shows
    graded = evaluate_scorer(
        scorer, test, num_shows, ks=(K,), bootstrap_samples=BOOTSTRAP_SAMPLES, seed=dataset.info["config"]["seed"]
    )
    validation = evaluate_scorer(scorer, val, num_shows, ks=(K,))
    return BenchmarkRow(
        protocol=protocol,
        model=name,
        kind=kind,
        test=graded,
        test_excluding_seen=evaluate_excluding_seen(scorer, test, num_shows),
        val_recall_at_10=validation.get(f"recall@{K}", float("nan")),
        train_seconds=train_seconds,
    )


def rows_by_protocol(rows: list[BenchmarkRow]) -> Mapping[str, list[BenchmarkRow]]:
    """Rows grouped by protocol, each group in run order."""
    grouped: dict[str, list[BenchmarkRow]] = {}
    for row in rows:
        grouped.setdefault(row.protocol, []).append(row)
    return grouped
