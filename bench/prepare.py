"""Time and peak memory of ``nextwatch prepare`` at 10k, 30k and 100k viewers, against the reference's approach.

Each (size, protocol) runs in its own subprocess, so the peak RSS printed is that run's alone: reading and
validating the log (``load_log``), cutting it (``prepare_dataset``) and writing the folder (``write_dataset``).
The logs come from ``nextwatch.synthetic.generate_log`` (seed 42), generated once into a cache folder.

The reference design filtered the whole log once per viewer in a Python loop. That loop is run here for a slice of
2,000 viewers of the largest log (a polars filter per viewer over all rows, then the seed windows in Python), and
its time per viewer is extrapolated to every viewer of that log: the figure is an extrapolation, printed as such.

    PYTHONPATH=src python bench/prepare.py [--sizes 10000 30000 100000] [--cache /tmp/nextwatch-bench]
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

REFERENCE_SLICE = 2_000
WINDOW = 20


def peak_rss_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # ru_maxrss is in KiB on Linux


def generate(users: int, path: Path) -> None:
    from nextwatch.synthetic import GeneratorConfig, generate_log, write_log

    write_log(generate_log(GeneratorConfig(users=users, seed=42)).frame, path)


def measure(log_path: Path, protocol: str, out: Path) -> dict[str, float | int | str]:
    from nextwatch.ingest import load_log
    from nextwatch.sequences.config import PrepareConfig
    from nextwatch.sequences.dataset_files import write_dataset
    from nextwatch.sequences.prepare import prepare_dataset

    start = time.perf_counter()
    loaded = load_log(log_path)
    loaded_at = time.perf_counter()
    rss_after_load = peak_rss_gib()
    dataset = prepare_dataset(loaded.frame, PrepareConfig(protocol=protocol), loaded.report.to_dict())
    prepared_at = time.perf_counter()
    write_dataset(out, dataset)
    written_at = time.perf_counter()
    return {
        "protocol": protocol,
        "rows": loaded.frame.height,
        "samples": dataset.samples.height,
        "load_s": loaded_at - start,
        "prepare_s": prepared_at - loaded_at,
        "write_s": written_at - prepared_at,
        "peak_rss_after_load_gib": rss_after_load,
        "peak_rss_gib": peak_rss_gib(),
    }


def reference_loop(log_path: Path, viewers: int) -> dict[str, float | int]:
    """The reference's approach: for each viewer, filter the whole log, then cut its seed windows in Python."""
    import polars as pl

    from nextwatch.ingest import load_log

    log = load_log(log_path).frame
    user_ids = log["user_id"].unique(maintain_order=True)
    start = time.perf_counter()
    samples = 0
    for user_id in user_ids[:viewers].to_list():
        plays = log.filter(pl.col("user_id") == user_id)
        shows = plays["show_id"].to_list()
        n = len(shows)
        target = n - WINDOW - 2
        while target >= 1:
            _window = shows[max(0, target - WINDOW) : target]
            samples += 1
            target -= WINDOW + 1
    elapsed = time.perf_counter() - start
    return {"viewers": viewers, "all_viewers": len(user_ids), "seconds": elapsed, "samples": samples}


def run_child(args: list[str]) -> dict[str, float | int | str]:
    result = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"bench child {args} failed:\n{result.stderr}")
    data: dict[str, float | int | str] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    parser.add_argument("--protocols", nargs="+", default=["seed", "temporal", "leave-one-out"])
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "nextwatch-bench")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "generate":
            generate(int(rest[0]), Path(rest[1]))
            print(json.dumps({"ok": 1}))
        elif kind == "measure":
            print(json.dumps(measure(Path(rest[0]), rest[1], Path(rest[2]))))
        else:
            print(json.dumps(reference_loop(Path(rest[0]), int(rest[1]))))
        return

    args.cache.mkdir(parents=True, exist_ok=True)
    print("nextwatch prepare: load_log + prepare_dataset + write_dataset, one subprocess per row (CPU shared)")
    print(
        f"{'viewers':>8} {'protocol':<14} {'rows':>10} {'samples':>9} {'load s':>7} {'prepare s':>9} "
        f"{'write s':>7} {'rows/s prep':>12} {'RSS GiB':>8} {'(after load)':>12}"
    )
    results: dict[tuple[int, str], dict[str, float | int | str]] = {}
    for users in args.sizes:
        log_path = args.cache / f"log_{users}.parquet"
        if not log_path.exists():
            run_child(["--child", "generate", str(users), str(log_path)])
        for protocol in args.protocols:
            r = run_child(["--child", "measure", str(log_path), protocol, str(args.cache / f"ds_{users}_{protocol}")])
            results[users, protocol] = r
            print(
                f"{users:>8} {protocol:<14} {r['rows']:>10,} {r['samples']:>9,} {r['load_s']:>7.2f} "
                f"{r['prepare_s']:>9.2f} {r['write_s']:>7.2f} {int(r['rows']) / float(r['prepare_s']):>12,.0f} "
                f"{r['peak_rss_gib']:>8.2f} {r['peak_rss_after_load_gib']:>12.2f}"
            )

    largest = max(args.sizes)
    ref = run_child(["--child", "reference", str(args.cache / f"log_{largest}.parquet"), str(REFERENCE_SLICE)])
    per_viewer = float(ref["seconds"]) / int(ref["viewers"])
    extrapolated = per_viewer * int(ref["all_viewers"])
    print(
        f"\nreference approach (a filter of the whole {largest:,}-viewer log per viewer, Python loop): "
        f"{ref['seconds']:.1f} s for {ref['viewers']:,} viewers = {per_viewer * 1000:.1f} ms per viewer"
    )
    print(
        f"  extrapolated to all {ref['all_viewers']:,} viewers: {extrapolated:,.0f} s "
        f"({extrapolated / 3600:.2f} h) -- an extrapolation, not a measured run"
    )
    protocol = "seed" if "seed" in args.protocols else args.protocols[0]
    ours = results[largest, protocol]
    total = float(ours["load_s"]) + float(ours["prepare_s"]) + float(ours["write_s"])
    print(
        f"  ours ({protocol}, {largest:,} viewers): prepare_dataset {float(ours['prepare_s']):.2f} s -> "
        f"{extrapolated / float(ours['prepare_s']):,.0f}x faster; whole command {total:.2f} s -> "
        f"{extrapolated / total:,.0f}x"
    )


if __name__ == "__main__":
    main()
