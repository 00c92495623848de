"""The reference design's dataset step, with its defaults: ``data/playback_sessions.parquet`` in, ``data/`` out.

Runs ``nextwatch prepare --input data/playback_sessions.parquet --out data --protocol seed`` (window 20, seed 42).
Needs the package installed (``pip install -e .``); extra arguments are passed on to ``nextwatch prepare``.
"""

from __future__ import annotations

import sys
from pathlib import Path

REFERENCE_INPUT = Path("data") / "playback_sessions.parquet"
REFERENCE_OUTPUT = Path("data")


def main(extra: list[str]) -> int:
    try:
        from nextwatch.cli import main as nextwatch_main
    except ImportError:
        print("create_dataset.py: nextwatch is not installed: run `pip install -e .` first", file=sys.stderr)
        return 2
    if not REFERENCE_INPUT.is_file():
        print(
            f"create_dataset.py: {REFERENCE_INPUT} not found: put the playback log there "
            "(or make one with `nextwatch generate --out data/playback_sessions.parquet`)",
            file=sys.stderr,
        )
        return 2
    argv = ["prepare", "--input", str(REFERENCE_INPUT), "--out", str(REFERENCE_OUTPUT), "--protocol", "seed"]
    return nextwatch_main([*argv, *extra])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
