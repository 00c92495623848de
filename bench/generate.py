"""Time the synthetic log generator: seconds, rows, rows/s and peak RSS for one or more sizes.

    PYTHONPATH=src python bench/generate.py                 # the default 100,000-viewer log
    PYTHONPATH=src python bench/generate.py --users 5000 100000 --oracle

Sizes run smallest first in this one process, so the peak RSS printed after each is the peak so far, i.e. the
largest run's. Wall-clock seconds depend on whatever else shares the machine; "cpu s" (this process's user +
system time) much less so.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time

from nextwatch.synthetic import GeneratorConfig, generate_log


def peak_rss_mib() -> float:
    # ru_maxrss is KiB on Linux, bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, nargs="+", default=[GeneratorConfig().users])
    parser.add_argument("--seed", type=int, default=GeneratorConfig().seed)
    parser.add_argument("--oracle", action="store_true", help="also compute the oracle (as generate --oracle)")
    args = parser.parse_args()
    print(f"{'users':>9} {'oracle':>6} {'seconds':>8} {'cpu s':>7} {'rows':>11} {'rows/s':>11} {'peak RSS MiB':>13}")
    for users in sorted(args.users):
        config = GeneratorConfig(users=users, seed=args.seed)
        start, cpu_start = time.perf_counter(), time.process_time()
        generated = generate_log(config, oracle=args.oracle)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        rows = generated.frame.height
        print(f"{users:>9,} {args.oracle!s:>6} {seconds:>8.2f} {cpu:>7.2f} {rows:>11,} {rows / seconds:>11,.0f} "
              f"{peak_rss_mib():>13,.0f}", flush=True)
        del generated


if __name__ == "__main__":
    main()
