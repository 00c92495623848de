"""Recommending speed: in-process latency, export throughput, and the HTTP service under a bounded load.

    PYTHONPATH=src python bench/recommend.py [--shows 13349] [--viewers 100000] [--window 20] [--requests 5000]

The model is a full-size lstm_2 with random weights (speed does not depend on what it learned), or a real
checkpoint with --checkpoint. Prints figures; asserts nothing. The load client runs in a second process.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def synthetic_checkpoint(path: Path, shows: int, viewers: int, window: int, seed: int) -> None:
    """A random-weight lstm_2 with ``shows`` shows and ``viewers`` viewers of full windows, saved at ``path``."""
    import torch

    from nextwatch.checkpoint import Checkpoint, ViewerHistories, save_checkpoint
    from nextwatch.models.lstm import LSTMNextShow, preset_config
    from nextwatch.schema import ASSET_TYPES
    from nextwatch.sequences.vocabulary import Vocabulary

    generator = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    vocabulary = Vocabulary.build(range(1, shows + 1), ASSET_TYPES)
    config = preset_config("lstm_2", num_shows=shows, num_asset_types=len(ASSET_TYPES))
    seen_per_viewer = torch.randint(1, 2 * window, (viewers,), generator=generator)
    offsets = torch.zeros(viewers + 1, dtype=torch.int64)
    offsets[1:] = seen_per_viewer.cumsum(0)
    histories = ViewerHistories(
        user_ids=torch.arange(viewers, dtype=torch.int64) * 3 + 1,
        show_index=torch.randint(1, shows + 1, (viewers, window), generator=generator),
        asset_index=torch.randint(1, len(ASSET_TYPES) + 1, (viewers, window), generator=generator),
        minutes=torch.randint(1, 120, (viewers, window), generator=generator).float(),
        seen_offsets=offsets,
        seen_index=torch.randint(1, shows + 1, (int(offsets[-1]),), generator=generator),
    )
    save_checkpoint(
        path,
        Checkpoint(
            name="bench-lstm_2",
            model_config=config,
            state_dict=LSTMNextShow(config).state_dict(),
            vocabulary=vocabulary,
            window=window,
            viewers=histories,
            popular_show_ids=tuple(range(1, min(shows, 500) + 1)),
        ),
    )


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def bench_in_process(checkpoint: Path, calls: int, seed: int, threads: int) -> None:
    import torch

    default_threads = torch.get_num_threads()
    torch.set_num_threads(threads)

    from nextwatch.recommend import Recommender

    recommender = Recommender.from_checkpoint(checkpoint)
    rng = np.random.default_rng(seed)
    users = recommender.known_user_ids[rng.integers(0, recommender.num_viewers, calls)].tolist()
    viewers = recommender.checkpoint.viewers
    model = recommender._model

    def timed(call: object, count: int) -> list[float]:
        assert callable(call)
        for i in range(min(50, count)):
            call(i)
        out = []
        for i in range(count):
            started = time.perf_counter()
            call(i)
            out.append((time.perf_counter() - started) * 1000)
        return out

    def raw_predict(i: int) -> None:
        row = i % recommender.num_viewers
        with torch.inference_mode():
            model.predict(viewers.show_index[row : row + 1], viewers.asset_index[row : row + 1],
                          viewers.minutes[row : row + 1])

    history = [int(s) for s in recommender.vocabulary.show_ids[:30]]
    rows = {
        "model.predict alone (baseline)": timed(raw_predict, calls),
        "recommend(user, k=10)": timed(lambda i: recommender.recommend(users[i], k=10), calls),
        "recommend(user, k=10, exclude_seen)": timed(
            lambda i: recommender.recommend(users[i], k=10, exclude_seen=True), calls
        ),
        "recommend_history(30 plays, k=10)": timed(lambda i: recommender.recommend_history(history, k=10), calls),
        "similar_shows(show, k=10)": timed(lambda i: recommender.similar_shows(history[i % 30], k=10), calls),
    }
    baseline = statistics.median(rows["model.predict alone (baseline)"])
    print(f"\n## In-process latency ({calls} calls each, torch threads {torch.get_num_threads()})")
    print(f"{'call':40s} {'p50 ms':>8s} {'p99 ms':>8s} {'p50 / baseline':>15s}")
    for name, values in rows.items():
        p50 = percentile(values, 50)
        print(f"{name:40s} {p50:8.3f} {percentile(values, 99):8.3f} {p50 / baseline:15.2f}")
    torch.set_num_threads(default_threads)


def bench_export(checkpoint: Path, batch_size: int, thread_counts: list[int]) -> None:
    import polars as pl
    import torch

    from nextwatch.recommend import Recommender, export_recommendations

    default_threads = torch.get_num_threads()
    started = time.perf_counter()
    recommender = Recommender.from_checkpoint(checkpoint)
    print(f"\n## Export (k=10, batch {batch_size}; load checkpoint {time.perf_counter() - started:.2f} s)")
    best: tuple[float, int] = (float("inf"), default_threads)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "recs.parquet"
        for threads in thread_counts:
            torch.set_num_threads(threads)
            begun = time.perf_counter()
            rows = export_recommendations(recommender, out, k=10, batch_size=batch_size, progress=False)
            seconds = time.perf_counter() - begun
            best = min(best, (seconds, threads))
            print(f"export {rows} viewers, torch threads {threads}: {seconds:.1f} s = {rows / seconds:,.0f} viewers/s")
        torch.set_num_threads(best[1])
        begun = time.perf_counter()
        rows = export_recommendations(recommender, out, k=10, exclude_seen=True, batch_size=batch_size, progress=False)
        seconds = time.perf_counter() - begun
        written = pl.read_parquet(out).height
    print(f"export {rows} viewers with exclude_seen, torch threads {best[1]}: {seconds:.1f} s = "
          f"{rows / seconds:,.0f} viewers/s (rows read back: {written})")
    torch.set_num_threads(default_threads)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def bench_service(checkpoint: Path, requests: int, concurrency: int) -> None:
    import httpx

    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    server = subprocess.Popen(
        [sys.executable, "-m", "nextwatch.cli", "serve", "--checkpoint", str(checkpoint), "--port", str(port),
         "--log-level", "warning"],
        env=env,
    )
    try:
        started = time.perf_counter()
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.perf_counter() - started > 120:
                raise SystemExit("the server did not start")
            time.sleep(0.2)
        print(f"\n## HTTP service (uvicorn, one worker; server up in {time.perf_counter() - started:.1f} s)")
        for route in ("user", "history"):
            client = subprocess.run(
                [sys.executable, __file__, "--load-client", str(port), "--requests", str(requests),
                 "--concurrency", str(concurrency), "--route", route],
                env=env, capture_output=True, text=True, check=True,
            )
            print(client.stdout.strip())
    finally:
        server.terminate()
        server.wait(timeout=30)


async def load_client(port: int, requests: int, concurrency: int, route: str) -> None:
    """Send ``requests`` requests, ``concurrency`` at a time; print requests/s, p50/p99 and non-2xx."""
    import httpx

    rng = np.random.default_rng(1)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30,
                                 limits=httpx.Limits(max_connections=concurrency)) as client:
        health = (await client.get("/health")).json()
        viewers, shows = int(health["viewers"]), int(health["shows"])
        # known viewers are 1, 4, 7, ... in the synthetic checkpoint; any id works (unknown ones are cold starts)
        user_ids = (rng.integers(0, viewers, requests) * 3 + 1).tolist()
        histories = rng.integers(1, shows + 1, (requests, 20)).tolist()
        latencies: list[float] = []
        failures = 0
        queue: asyncio.Queue[int] = asyncio.Queue()
        for i in range(requests):
            queue.put_nowait(i)

        async def worker() -> None:
            nonlocal failures
            while not queue.empty():
                i = queue.get_nowait()
                sent = time.perf_counter()
                if route == "user":
                    response = await client.get(f"/v1/users/{user_ids[i]}/recommendations", params={"k": 10})
                else:
                    response = await client.post("/v1/recommendations", json={"show_ids": histories[i], "k": 10})
                latencies.append((time.perf_counter() - sent) * 1000)
                failures += not 200 <= response.status_code < 300

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        seconds = time.perf_counter() - started
    name = "GET /v1/users/{id}/recommendations" if route == "user" else "POST /v1/recommendations (20 plays)"
    print(f"{name}: {requests} requests, {concurrency} concurrent: {requests / seconds:,.0f} req/s, "
          f"p50 {percentile(latencies, 50):.1f} ms, p99 {percentile(latencies, 99):.1f} ms, non-2xx {failures}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoint", type=Path, help="a real checkpoint instead of the random-weight lstm_2")
    parser.add_argument("--shows", type=int, default=13_349)
    parser.add_argument("--viewers", type=int, default=100_000)
    parser.add_argument("--window", type=int, default=20)
    parser.add_argument("--calls", type=int, default=2_000)
    parser.add_argument("--threads", type=int, default=1, help="torch threads for the in-process latency")
    parser.add_argument("--batch-size", type=int, default=1024)
    parser.add_argument("--export-threads", type=int, nargs="+", default=[1, 2], help="torch threads to export with")
    parser.add_argument("--requests", type=int, default=5_000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--skip", nargs="*", default=[], choices=["latency", "export", "service"])
    parser.add_argument("--load-client", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--route", default="user", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load_client:
        asyncio.run(load_client(args.load_client, args.requests, args.concurrency, args.route))
        return
    print(f"# Recommending bench on {os.cpu_count()} CPU cores shared with other engineers: figures are noisy")
    with tempfile.TemporaryDirectory() as folder:
        checkpoint = args.checkpoint
        if checkpoint is None:
            checkpoint = Path(folder) / "lstm_2.pth"
            started = time.perf_counter()
            synthetic_checkpoint(checkpoint, args.shows, args.viewers, args.window, seed=0)
            print(f"random-weight lstm_2: {args.shows} shows, {args.viewers} viewers, window {args.window} "
                  f"(built in {time.perf_counter() - started:.1f} s, {checkpoint.stat().st_size / 2**20:.0f} MiB)")
        if "latency" not in args.skip:
            bench_in_process(checkpoint, args.calls, seed=0, threads=args.threads)
        if "export" not in args.skip:
            bench_export(checkpoint, args.batch_size, args.export_threads)
        if "service" not in args.skip:
            bench_service(checkpoint, args.requests, args.concurrency)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS of this process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
