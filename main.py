"""Reference compatibility: `python main.py` trains lstm_2 with the reference defaults on data/ into artifacts/.

data/ is the dataset folder `python create_dataset.py` (or `nextwatch prepare --out data`) writes. This is
`nextwatch train --data data --preset lstm_2 --out artifacts` with every training option at its default.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DATA = Path("data")
ARTIFACTS = Path("artifacts")


def main() -> int:
    if not (DATA / "samples.parquet").is_file():
        print(
            f"main.py: no dataset in {DATA}/: run `python create_dataset.py` (or `nextwatch prepare --out {DATA}`) "
            "first",
            file=sys.stderr,
        )
        return 2
    if str(ROOT / "src") not in sys.path:
        sys.path.insert(0, str(ROOT / "src"))  # run from a checkout without installing the package
    from nextwatch.cli import main as nextwatch

    return nextwatch(["train", "--data", str(DATA), "--preset", "lstm_2", "--out", str(ARTIFACTS)])


if __name__ == "__main__":
    sys.exit(main())
