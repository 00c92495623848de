"""Hand-built clean logs (Contract 1) for the protocol tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import polars as pl
import pytest

from nextwatch.ingest import order_log

Play = tuple[int, int, int]  # (user_id, show_id, day)


def build_log(plays: Sequence[Play], asset_type: str = "VOD") -> pl.DataFrame:
    """A clean log of ``(user_id, show_id, day)`` plays; a viewer's plays on one day keep their listed order.

    ``watch_minutes`` is the play's index in ``plays``, so a window's minutes say which plays it holds.
    """
    return order_log(
        pl.DataFrame(
            {
                "user_id": [user for user, _, _ in plays],
                "playback_session_id": list(range(len(plays))),
                "show_id": [show for _, show, _ in plays],
                "asset_type": [asset_type] * len(plays),
                "episode_id": [1] * len(plays),
                "day": [str(day) for _, _, day in plays],
                "time": ["20:00"] * len(plays),
                "watch_minutes": list(range(len(plays))),
            }
        )
    )


MakeLog = Callable[..., pl.DataFrame]


@pytest.fixture(scope="session")
def make_log() -> MakeLog:
    """``make_log(plays)``: the clean log of ``(user_id, show_id, day)`` plays (see ``build_log``)."""
    return build_log
