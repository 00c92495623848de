"""Training speed of lstm_2 at batch 512 on the default 100,000-viewer log, ours against the reference's way.

    PYTHONPATH=src python bench/train.py                  # generate + prepare once (cached), then measure
    PYTHONPATH=src python bench/train.py --steps 20 --objective last dense

Prints: training samples/s and seconds per epoch of our loop (``--steps`` timed optimiser steps after
``--warmup`` untimed ones, extrapolated to a whole epoch of the train split); the same steps the reference's way
(a per-sample Python ``torch.utils.data.Dataset`` through a ``DataLoader``), alternating step by step with ours so
that other load falls on both, the time spent fetching batches, and the ratio; validation the reference's
way (Recall@10 counted in a Python loop) against ``evaluate_scorer`` on the same cases; the FLOP/s one training step
reaches (LSTM and projection FLOPs counted analytically, backward = 2x forward) against a 4096x4096 float32 matmul;
peak RSS. The log is ``nextwatch generate`` with its defaults and the dataset ``nextwatch prepare --protocol seed``
(the reference's protocol), cached under /tmp/nextwatch-bench. Timings are taken on whatever else shares the machine.
"""

from __future__ import annotations

import argparse
import math
import resource
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl
import torch

from nextwatch.cli import main as nextwatch
from nextwatch.evaluation.cases import EvaluationCases
from nextwatch.evaluation.scoring import evaluate_scorer, model_scorer
from nextwatch.models.lstm import LSTMConfig, LSTMNextShow, preset_config
from nextwatch.sequences.dataset_files import read_dataset
from nextwatch.sequences.vocabulary import Vocabulary
from nextwatch.training.batches import Batch, TrainingTensors, shuffled_batches
from nextwatch.training.config import Objective
from nextwatch.training.loop import batch_loss

CACHE = Path("/tmp/nextwatch-bench")
BATCH = 512


def peak_rss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def cached_dataset_dir(users: int) -> Path:
    log = CACHE / f"playback_{users}.parquet"
    data = CACHE / f"data_{users}_seed"
    if not log.is_file():
        started = time.perf_counter()
        assert nextwatch(["generate", "--users", str(users), "--out", str(log)]) == 0
        print(f"generated {log} in {time.perf_counter() - started:.1f}s", flush=True)
    if not (data / "dataset.json").is_file():
        started = time.perf_counter()
        assert nextwatch(["prepare", "--input", str(log), "--out", str(data), "--protocol", "seed"]) == 0
        print(f"prepared {data} in {time.perf_counter() - started:.1f}s", flush=True)
    return data


class ReferenceDataset(torch.utils.data.Dataset[tuple[torch.Tensor, ...]]):
    """The reference's way: Python lists per sample, padded and turned into tensors one sample at a time."""

    def __init__(self, samples: pl.DataFrame, vocabulary: Vocabulary, window: int) -> None:
        self.show_lookup = {show: i + 1 for i, show in enumerate(vocabulary.show_ids)}
        self.asset_lookup = {asset: i + 1 for i, asset in enumerate(vocabulary.asset_types)}
        self.window = window
        self.shows = samples["show_ids"].to_list()
        self.assets = samples["asset_types"].to_list()
        self.minutes = samples["watch_minutes"].to_list()
        self.targets = samples["target_show_id"].to_list()

    def __len__(self) -> int:
        return len(self.targets)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, ...]:
        shows = [self.show_lookup[s] for s in self.shows[i]][-self.window :]
        assets = [self.asset_lookup.get(a, 0) for a in self.assets[i]][-self.window :]
        minutes = [float(m) for m in self.minutes[i]][-self.window :]
        pad = self.window - len(shows)
        return (
            torch.tensor([0] * pad + shows, dtype=torch.long),
            torch.tensor([0] * pad + assets, dtype=torch.long),
            torch.tensor([0.0] * pad + minutes, dtype=torch.float32),
            torch.tensor(self.show_lookup[self.targets[i]], dtype=torch.long),
        )


def reference_batches(dataset: ReferenceDataset, seed: int) -> Iterator[Batch]:
    loader = torch.utils.data.DataLoader(
        dataset, batch_size=BATCH, shuffle=True, generator=torch.Generator().manual_seed(seed)
    )
    for shows, assets, minutes, targets in loader:
        yield Batch(shows, assets, minutes, targets)


@dataclass
class Runner:
    """One way of training (ours or the reference's): its own model, optimiser, batches and timings."""

    way: str
    model: LSTMNextShow
    batches: Iterator[Batch]
    optimizer: torch.optim.Optimizer
    seconds: float = 0.0
    data_seconds: float = 0.0
    samples: int = 0

    def step(self, objective: Objective, timed: bool) -> None:
        started = time.perf_counter()
        batch = next(self.batches)
        fetched = time.perf_counter()
        self.optimizer.zero_grad(set_to_none=True)
        loss, _ = batch_loss(self.model, batch, objective)
        loss.backward()  # type: ignore[no-untyped-call]
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
        self.optimizer.step()
        if timed:
            self.seconds += time.perf_counter() - started
            self.data_seconds += fetched - started
            self.samples += len(batch)


def runner(way: str, config: LSTMConfig, batches: Iterator[Batch]) -> Runner:
    torch.manual_seed(0)
    model = LSTMNextShow(config)
    model.train()
    return Runner(way, model, batches, torch.optim.Adam(model.parameters(), lr=1e-3))


def reference_recall(model: LSTMNextShow, dataset: ReferenceDataset) -> tuple[float, float]:
    """Recall@10 counted in a Python loop over a DataLoader, as the reference does; returns (recall, seconds)."""
    started = time.perf_counter()
    model.eval()
    hits = 0
    loader = torch.utils.data.DataLoader(dataset, batch_size=1024, shuffle=False)
    with torch.no_grad():
        for shows, assets, minutes, targets in loader:
            top = model.predict(shows, assets, minutes).topk(10, dim=1).indices.tolist()
            for row, target in enumerate(targets.tolist()):
                if target in top[row]:
                    hits += 1
    return hits / len(dataset), time.perf_counter() - started


def step_flops(config: LSTMConfig, show_index: torch.Tensor, objective: Objective) -> float:
    """Multiply-add FLOPs (2 per MAC) of one step's forward, LSTM plus projection, times 3 for forward + backward."""
    batch, window = show_index.shape
    lstm = 0.0
    input_dim = config.show_embedding_dim + config.asset_embedding_dim + 1
    for _ in range(config.num_layers):
        lstm += 2.0 * 4 * config.hidden_dim * (input_dim + config.hidden_dim) * batch * window
        input_dim = config.hidden_dim
    projected = batch if objective == "last" else int((show_index != 0).sum())
    projection = 2.0 * config.hidden_dim * (config.num_shows + 1) * projected
    return 3.0 * (lstm + projection)


def matmul_flops_per_second(size: int = 4096, repeats: int = 5) -> float:
    a, b = torch.randn(size, size), torch.randn(size, size)
    a @ b  # warm up
    started = time.perf_counter()
    for _ in range(repeats):
        a @ b
    return 2.0 * size**3 * repeats / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--steps", type=int, default=20, help="timed optimiser steps per way (default 20)")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--objective", nargs="+", default=["last"], choices=["last", "dense"])
    parser.add_argument("--eval-cases", type=int, default=10_240, help="validation cases for the recall timing")
    args = parser.parse_args()
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads", flush=True)
    dataset = read_dataset(cached_dataset_dir(args.users))
    vocabulary, window = dataset.vocabulary, dataset.window
    train = dataset.split("train")
    print(f"dataset: {len(train):,} train samples, {vocabulary.num_shows:,} shows, window {window}", flush=True)
    config = preset_config("lstm_2", vocabulary.num_shows, vocabulary.num_asset_types)
    steps_per_epoch = math.ceil(len(train) / BATCH)
    started = time.perf_counter()
    tensors = TrainingTensors.from_samples(train, vocabulary, window)
    print(f"encode train split once: {time.perf_counter() - started:.2f}s", flush=True)
    rows_needed = BATCH * (args.warmup + args.steps)
    subset = train[np.sort(np.random.default_rng(0).choice(len(train), min(rows_needed, len(train)), replace=False))]
    reference_data = ReferenceDataset(subset, vocabulary, window)

    print(
        f"\nlstm_2, batch {BATCH}, {args.steps} timed steps after {args.warmup} warm-up; epoch = {steps_per_epoch} "
        "steps (extrapolated)"
    )
    print(
        f"{'objective':>9} {'way':>10} {'samples/s':>10} {'s/epoch':>9} {'batch ms/step':>13} {'GFLOP/step':>11} "
        f"{'GFLOP/s':>8}"
    )
    for objective in args.objective:
        ours = runner("ours", config, shuffled_batches(tensors, BATCH, np.random.default_rng(0)))
        reference = runner("reference", config, reference_batches(reference_data, seed=0))
        # Steps alternate between the two ways, and which goes first, so that other load falls on both alike.
        for step in range(args.warmup + args.steps):
            for way in (ours, reference) if step % 2 == 0 else (reference, ours):
                way.step(objective, timed=step >= args.warmup)
        flops = step_flops(config, tensors.show_index[:BATCH], objective)
        for way in (ours, reference):
            rate = way.samples / way.seconds
            print(
                f"{objective:>9} {way.way:>10} {rate:>10,.0f} {len(train) / rate:>9,.1f} "
                f"{1000 * way.data_seconds / args.steps:>13.1f} {flops / 1e9:>11.1f} "
                f"{flops * args.steps / way.seconds / 1e9:>8.1f}",
                flush=True,
            )
        print(f"{'':>9} {'ratio':>10} {reference.seconds / ours.seconds:>9.2f}x (reference time / ours)", flush=True)

    val = dataset.split("val").head(args.eval_cases)
    torch.manual_seed(0)
    model = LSTMNextShow(config)
    reference_val = ReferenceDataset(val, vocabulary, window)
    ours_seconds, reference_seconds = math.inf, math.inf
    for _ in range(2):  # alternate twice and keep each way's best time: other processes load the machine unevenly
        started = time.perf_counter()
        cases = EvaluationCases.from_samples(val, vocabulary, window)
        graded = evaluate_scorer(model_scorer(model), cases, vocabulary.num_shows, ks=(10,))
        ours_seconds = min(ours_seconds, time.perf_counter() - started)
        recall, seconds = reference_recall(model, reference_val)
        reference_seconds = min(reference_seconds, seconds)
    print(
        f"\nvalidation on {len(val):,} cases (untrained model), best of 2: ours {ours_seconds:.2f}s "
        f"(recall@10 {graded['recall@10']:.4f}, plus ndcg, mrr, coverage, new-show recall), reference loop "
        f"{reference_seconds:.2f}s (recall@10 {recall:.4f}); ratio {reference_seconds / ours_seconds:.2f}x"
    )
    ceiling = matmul_flops_per_second()
    print(f"\nmatmul 4096x4096 float32: {ceiling / 1e9:,.1f} GFLOP/s (the practical ceiling here)")
    print(f"peak RSS: {peak_rss_mib():,.0f} MiB")


if __name__ == "__main__":
    main()
