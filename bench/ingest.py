"""Time and peak RSS of ``load_log`` on a playback log, against a bare read-and-sort of the same file.

    PYTHONPATH=src python bench/ingest.py [LOG] [--rows 7500000] [--users 100000]

Wall time depends on what else shares the CPU; CPU seconds (user + system, all threads) much less so.
Without LOG it writes a synthetic log (numpy, random row order, a few bad, duplicate and long rows) to a temporary
folder first. Each measurement runs in a fresh subprocess so that its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl


def synthetic_log(path: Path, rows: int, users: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    days = pl.Series([str(day) for day in range(1, 31)])
    times = pl.Series([f"{minute // 60:02d}:{minute % 60:02d}" for minute in range(1440)])
    assets = pl.Series(["VOD", "RECORDING", "CHANNEL", "LOOKBACK"])
    minutes = rng.gamma(1.5, 20.0, rows).astype(np.int32)
    minutes[rng.random(rows) < 0.001] = 5000  # players left running: capped
    frame = pl.DataFrame(
        {
            "user_id": rng.integers(1, users + 1, rows, dtype=np.int32),
            "playback_session_id": rng.permutation(rows).astype(np.int32),
            "show_id": rng.integers(1, 5001, rows, dtype=np.int32),
            "asset_type": assets.gather(rng.integers(0, 4, rows)),
            "episode_id": rng.integers(1, 200_001, rows, dtype=np.int32),
            "day": days.gather(rng.integers(0, 30, rows)),
            "time": times.gather(rng.integers(0, 1440, rows)),
            "watch_minutes": minutes,
        }
    )
    bad = rng.choice(rows, size=rows // 1000, replace=False)  # 0.1% bad times
    frame = frame.with_columns(
        pl.when(pl.int_range(pl.len()).is_in(bad)).then(pl.lit("25:00")).otherwise(pl.col("time")).alias("time")
    )
    frame = pl.concat([frame, frame.head(rows // 1000)])  # 0.1% exact duplicates
    frame.write_parquet(path)


def measure(kind: str, path: str) -> None:
    from nextwatch.ingest import load_log

    started = time.perf_counter()
    cpu_started = _cpu_seconds()
    if kind == "load_log":
        rows = load_log(path).frame.height
    else:
        columns = ["user_id", "playback_session_id", "show_id", "asset_type", "episode_id", "day", "time"]
        # The least any ingestion must do: read the eight columns and sort (here on the raw strings).
        frame = pl.read_parquet(path, columns=[*columns, "watch_minutes"])
        rows = frame.sort(["user_id", "day", "time", "playback_session_id"], maintain_order=True).height
    seconds = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu_started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "peak_rss_mib": peak_mib, "rows_out": rows}))


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_measure(kind: str, path: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--measure", kind, str(path)], check=True, capture_output=True, text=True
    )
    result: dict[str, float] = json.loads(done.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("log", nargs="?", help="a playback log; default: a synthetic one")
    parser.add_argument("--rows", type=int, default=7_500_000, help="rows of the synthetic log")
    parser.add_argument("--users", type=int, default=100_000, help="viewers of the synthetic log")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(*args.measure)
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(args.log) if args.log else Path(folder) / "playback_sessions.parquet"
        if not args.log:
            started = time.perf_counter()
            synthetic_log(path, args.rows, args.users, args.seed)
            print(
                f"synthetic log: {args.rows:,} rows (+0.1% duplicates), {args.users:,} viewers, "
                f"written in {time.perf_counter() - started:.1f} s"
            )
        rows = pl.scan_parquet(path).select(pl.len()).collect().item()
        print(f"log: {path} ({rows:,} rows, {path.stat().st_size / 2**20:.0f} MiB on disk)")
        baseline = run_measure("read_and_sort", path)
        ingest = run_measure("load_log", path)
    for name, result in (("read + sort (baseline)", baseline), ("load_log", ingest)):
        print(
            f"{name:<24} {result['seconds']:6.2f} s wall  {result['cpu_seconds']:6.2f} s CPU  "
            f"{rows / result['seconds'] / 1e6:5.1f} M rows/s  "
            f"peak RSS {result['peak_rss_mib']:6.0f} MiB  rows out {int(result['rows_out']):,}"
        )
    print(
        f"load_log / baseline: {ingest['seconds'] / baseline['seconds']:.2f}x time, "
        f"{ingest['peak_rss_mib'] / baseline['peak_rss_mib']:.2f}x peak RSS"
    )


if __name__ == "__main__":
    main()
