"""describe_log: a log's statistics, on a hand-made 10-row log with hand-computed figures."""

from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nextwatch.describe import describe_log, read_log
from nextwatch.errors import InvalidInputError
from nextwatch.schema import LOG_COLUMNS

# Rows out of order on purpose. Viewer 1 has day "10" (after "2" only as a number); viewer 2's last two plays
# share a minute and are ordered by session id 6 (show 20) then 7 (show 30).
ROWS = [
    # user, session, show, asset, episode, day, time, minutes
    (3, 9, 40, "VOD", 400, "2", "11:00", 60),
    (1, 1, 10, "VOD", 100, "1", "20:00", 40),
    (2, 7, 30, "CHANNEL", 300, "3", "07:30", 45),
    (1, 5, 10, "RECORDING", 102, "10", "08:00", 1500),
    (2, 2, 20, "VOD", 200, "1", "21:00", 30),
    (1, 1, 10, "VOD", 101, "1", "20:45", 42),
    (3, 8, 20, "LOOKBACK", 201, "2", "09:15", 25),
    (2, 6, 20, "RECORDING", 201, "3", "07:30", 20),
    (1, 3, 20, "CHANNEL", 202, "2", "09:05", 3),
    (3, 8, 20, "VOD", 202, "2", "10:00", 50),
]


def hand_log() -> pl.DataFrame:
    return pl.DataFrame(ROWS, schema=LOG_COLUMNS, orient="row")


def test_sizes() -> None:
    """Rows, viewers, distinct shows and distinct days are counted."""
    stats = describe_log(hand_log())
    assert (stats.rows, stats.viewers, stats.shows, stats.days) == (10, 3, 4, 4)


def test_plays_per_viewer_percentiles_are_linear() -> None:
    """Plays per viewer [3, 3, 4] give p10 = p20 = p50 = 3 and p90 = 3 + 0.8 * (4 - 3) = 3.8."""
    stats = describe_log(hand_log())
    assert (stats.plays_per_viewer_p10, stats.plays_per_viewer_p20, stats.plays_per_viewer_p50) == (3.0, 3.0, 3.0)
    assert stats.plays_per_viewer_p90 == pytest.approx(3.8)


def test_asset_type_shares() -> None:
    """Each asset type's share of plays, keyed by name."""
    shares = describe_log(hand_log()).asset_type_shares
    assert shares == pytest.approx({"CHANNEL": 0.2, "LOOKBACK": 0.1, "RECORDING": 0.2, "VOD": 0.5})


def test_binge_rate_orders_by_day_number_then_time_then_session() -> None:
    """Same-show pairs: viewer 1 (10,10,20,10) 1 of 3, viewer 2 (20,20,30) 1 of 2, viewer 3 (20,20,40) 1 of 2."""
    assert describe_log(hand_log()).binge_rate == pytest.approx(3 / 7)


def test_new_show_rate_counts_first_plays() -> None:
    """Six plays are a show new to their viewer, each viewer's first play included: 6 / 10."""
    assert describe_log(hand_log()).new_show_rate == pytest.approx(0.6)


def test_watch_minutes() -> None:
    """Sorted minutes 3,20,25,30,40,42,45,50,60,1500: p50 = 41, p90 = 60 + 0.1 * 1440 = 204, one over 1,440."""
    stats = describe_log(hand_log())
    assert stats.watch_minutes_p50 == pytest.approx(41.0)
    assert stats.watch_minutes_p90 == pytest.approx(204.0)
    assert stats.watch_minutes_over_1440_share == pytest.approx(0.1)


def test_top_one_percent_share() -> None:
    """ceil(1% of 4 shows) = 1 show; the most played (show 20) has 5 of 10 plays."""
    assert describe_log(hand_log()).top_1pct_show_share == pytest.approx(0.5)


def test_single_play_viewers_have_no_binge_rate() -> None:
    """With no viewer having two plays there are no pairs, so the binge rate is None."""
    stats = describe_log(hand_log().head(1))
    assert stats.binge_rate is None
    assert stats.to_dict()["binge_rate"] is None


def test_bad_day_is_an_input_error() -> None:
    """A day that is not a whole number is named in the error."""
    frame = hand_log().with_columns(pl.lit("x").alias("day"))
    with pytest.raises(InvalidInputError, match="'day'"):
        describe_log(frame)


def test_missing_column_names_file_and_column(tmp_path: Path) -> None:
    """read_log names the file and the missing column."""
    path = tmp_path / "log.parquet"
    hand_log().drop("watch_minutes").write_parquet(path)
    with pytest.raises(InvalidInputError, match=r"log\.parquet has no column 'watch_minutes'"):
        read_log(path)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 4), st.integers(1, 6), st.integers(1, 3), st.integers(0, 1439), st.integers(1, 99)),
        min_size=1,
        max_size=40,
    )
)
def test_rates_agree_with_counts_on_any_log(plays: list[tuple[int, int, int, int, int]]) -> None:
    """On any log, new plays are the distinct (viewer, show) pairs and every share lies in [0, 1]."""
    frame = pl.DataFrame(
        {
            "user_id": [p[0] for p in plays],
            "playback_session_id": list(range(len(plays))),
            "show_id": [p[1] for p in plays],
            "asset_type": ["VOD"] * len(plays),
            "episode_id": [1] * len(plays),
            "day": [str(p[2]) for p in plays],
            "time": [f"{p[3] // 60:02d}:{p[3] % 60:02d}" for p in plays],
            "watch_minutes": [p[4] for p in plays],
        },
        schema=LOG_COLUMNS,
    )
    stats = describe_log(frame)
    assert round(stats.new_show_rate * stats.rows) == len({(p[0], p[1]) for p in plays})
    assert stats.binge_rate is None or 0.0 <= stats.binge_rate <= 1.0
    assert 1 / stats.shows <= stats.top_1pct_show_share + 1e-12 <= 1.0 + 1e-12
    assert sum(stats.asset_type_shares.values()) == pytest.approx(1.0)
