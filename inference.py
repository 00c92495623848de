"""Reference compatibility: ``LSTMRecommender(check_point_file=...).predict_shows(user_id=...)`` ranks every show.

``python inference.py [USER_ID]`` prints a viewer's top 10 from artifacts/lstm_2.pth (the main job writes it).
"""

from __future__ import annotations

import sys
from pathlib import Path

try:
    from nextwatch.recommend import Recommender
except ModuleNotFoundError:  # run from a checkout without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))
    from nextwatch.recommend import Recommender

DEFAULT_CHECKPOINT = Path("artifacts/lstm_2.pth")
REFERENCE_USER_ID = 8319


class LSTMRecommender:
    """The reference design's inference class, over nextwatch's Recommender (the checkpoint is loaded once)."""

    def __init__(self, check_point_file: str | Path = DEFAULT_CHECKPOINT) -> None:
        self.recommender = Recommender.from_checkpoint(check_point_file)

    def predict_shows(self, user_id: int) -> list[int]:
        """Every show id exactly once, most likely next first; an unknown viewer gets the popular order."""
        return list(self.recommender.rank_all(user_id))


def main(argv: list[str]) -> int:
    if not DEFAULT_CHECKPOINT.is_file():
        print(f"{DEFAULT_CHECKPOINT} not found: run python main.py first", file=sys.stderr)
        return 1
    recommender = LSTMRecommender(check_point_file=DEFAULT_CHECKPOINT)
    if argv:
        try:
            user_id = int(argv[0])
        except ValueError:
            print(f"usage: python inference.py [USER_ID]; {argv[0]!r} is not an integer", file=sys.stderr)
            return 2
    else:
        known = recommender.recommender.known_user_ids
        user_id = REFERENCE_USER_ID if recommender.recommender.is_known(REFERENCE_USER_ID) else int(known[0])
    answer = recommender.recommender.recommend(user_id, k=min(10, recommender.recommender.num_shows))
    kind = "cold start: popular shows" if answer.cold_start else "model"
    print(f"viewer {user_id} top {len(answer.show_ids)} ({kind}): {list(answer.show_ids)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
