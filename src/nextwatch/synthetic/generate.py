"""``generate_log``: a whole synthetic playback log (and its oracle) as polars frames, and writing them."""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import polars as pl

from nextwatch.atomic_io import atomic_path
from nextwatch.schema import LOG_COLUMNS
from nextwatch.synthetic.catalogue import Catalogue, build_catalogue
from nextwatch.synthetic.config import GeneratorConfig
from nextwatch.synthetic.oracle import ORACLE_COLUMNS, ORACLE_TOP_K
from nextwatch.synthetic.simulate import ASSET_CODES, SimulatedPlays, simulate
from nextwatch.synthetic.viewers import Viewers, draw_viewers

__all__ = ["GeneratedLog", "generate_log", "write_log", "write_oracle"]


@dataclass(frozen=True)
class GeneratedLog:
    """A synthetic log in the schema of ``nextwatch.schema.LOG_COLUMNS``, sorted by user, then time.

    ``oracle`` (when asked for) has one row per scored play: see ``nextwatch.synthetic.oracle.ORACLE_COLUMNS``.
    ``catalogue`` is the shows' hidden attributes (kind, genre, episodes, schedule), indexed by show id.
    """

    config: GeneratorConfig
    frame: pl.DataFrame
    catalogue: Catalogue
    oracle: pl.DataFrame | None = None


def generate_log(config: GeneratorConfig, *, oracle: bool = False) -> GeneratedLog:
    """Simulate ``config.users`` viewers over ``config.days`` days; the same config gives the identical log.

    The oracle uses its own random stream, so asking for it does not change the log.
    """
    catalogue_seed, viewer_seed, play_seed, oracle_seed = np.random.SeedSequence(config.seed).spawn(4)
    catalogue = build_catalogue(config.shows, config.days, np.random.default_rng(catalogue_seed))
    viewers = draw_viewers(config.users, config.days, np.random.default_rng(viewer_seed))
    sample = None
    if oracle:
        total = int(viewers.plays.sum(dtype=np.int64))
        chosen = np.random.default_rng(oracle_seed).choice(
            total, size=round(config.oracle_sample_rate * total), replace=False
        )
        sample = np.zeros(total, dtype=np.bool_)
        sample[chosen] = True
    plays = simulate(catalogue, viewers, config.days, np.random.default_rng(play_seed), sample)
    frame = _log_frame(plays, viewers, config.days)
    oracle_frame = _oracle_frame(plays, viewers) if oracle else None
    return GeneratedLog(config=config, frame=frame, catalogue=catalogue, oracle=oracle_frame)


def write_log(frame: pl.DataFrame, path: str | os.PathLike[str]) -> None:
    """Write a log frame as parquet, atomically."""
    with atomic_path(path) as tmp:
        frame.write_parquet(tmp)


def write_oracle(frame: pl.DataFrame, path: str | os.PathLike[str]) -> None:
    """Write an oracle frame as parquet, atomically."""
    with atomic_path(path) as tmp:
        frame.write_parquet(tmp)


def _log_frame(plays: SimulatedPlays, viewers: Viewers, days: int) -> pl.DataFrame:
    # Session ids number sessions in order of start time (ties by user id), so they increase with time.
    opens = plays.opens_session
    owner = np.repeat(np.arange(viewers.count), viewers.plays)
    user = viewers.user_id[owner]
    session_start = np.flatnonzero(opens)
    rank = np.empty(len(session_start), dtype=np.int64)
    key = plays.minute[session_start] * (viewers.count + 1) + user[session_start]
    rank[np.argsort(key, kind="stable")] = np.arange(1, len(session_start) + 1)
    session_id = rank[np.cumsum(opens) - 1]
    # Rows in user id order: gather viewer blocks by user id, plays inside a block already in time order.
    by_user = np.argsort(viewers.user_id, kind="stable")
    starts = plays.first_play[by_user]
    lengths = viewers.plays[by_user].astype(np.int64)
    row_block_start = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    rows = np.arange(len(owner), dtype=np.int64) + row_block_start
    minute = plays.minute[rows]
    day_text = pl.Series([str(day) for day in range(1, days + 1)], dtype=pl.String)
    time_text = pl.Series([f"{m // 60:02d}:{m % 60:02d}" for m in range(1440)], dtype=pl.String)
    asset_text = pl.Series(ASSET_CODES, dtype=pl.String)
    frame = pl.DataFrame(
        {
            "user_id": pl.Series(user[rows], dtype=pl.Int32),
            "playback_session_id": pl.Series(session_id[rows], dtype=pl.Int32),
            "show_id": pl.Series(plays.show_id[rows], dtype=pl.Int32),
            "asset_type": asset_text.gather(plays.asset_code[rows].astype(np.int64)),
            "episode_id": pl.Series(plays.episode_id[rows], dtype=pl.Int32),
            "day": day_text.gather(minute // 1440),
            "time": time_text.gather(minute % 1440),
            "watch_minutes": pl.Series(plays.watch_minutes[rows], dtype=pl.Int32),
        }
    )
    return frame.select(pl.col(name).cast(dtype) for name, dtype in LOG_COLUMNS.items())


def _oracle_frame(plays: SimulatedPlays, viewers: Viewers) -> pl.DataFrame:
    viewer = plays.oracle_viewer
    frame = pl.DataFrame(
        {
            "user_id": pl.Series(viewers.user_id[viewer], dtype=pl.Int32),
            "play_position": pl.Series(plays.oracle_position, dtype=pl.Int32),
            "is_last_play": pl.Series(plays.oracle_position == viewers.plays[viewer] - 1, dtype=pl.Boolean),
            "is_sampled": pl.Series(plays.oracle_sampled, dtype=pl.Boolean),
            "top_show_ids": pl.Series(plays.oracle_top.reshape(-1), dtype=pl.Int32)
            .reshape((len(viewer), ORACLE_TOP_K))
            .cast(pl.List(pl.Int32)),
        }
    )
    return frame.select(pl.col(name).cast(dtype) for name, dtype in ORACLE_COLUMNS.items()).sort(
        "user_id", "play_position"
    )
