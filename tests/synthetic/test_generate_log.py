"""generate_log: the schema, determinism, and every realism range of the issue on a 5,000-viewer log."""

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from nextwatch.describe import LogStats, describe_log
from nextwatch.schema import ASSET_TYPES, LOG_COLUMNS
from nextwatch.synthetic import GeneratedLog, GeneratorConfig, generate_log
from nextwatch.synthetic.catalogue import PROGRAMME


@pytest.fixture(scope="module")
def generated() -> GeneratedLog:
    return generate_log(GeneratorConfig(users=5_000), oracle=True)


@pytest.fixture(scope="module")
def stats(generated: GeneratedLog) -> LogStats:
    return describe_log(generated.frame)


@pytest.fixture(scope="module")
def timed(generated: GeneratedLog) -> pl.DataFrame:
    """The log with its minute since the start of day 1, in user order."""
    hour_minute = pl.col("time").str.split_exact(":", 1)
    return generated.frame.with_columns(
        (
            (pl.col("day").cast(pl.Int64) - 1) * 1440
            + hour_minute.struct.field("field_0").cast(pl.Int64) * 60
            + hour_minute.struct.field("field_1").cast(pl.Int64)
        ).alias("minute")
    )


def test_schema_is_exact(generated: GeneratedLog) -> None:
    """Columns, their order and their dtypes are exactly the log schema."""
    assert generated.frame.schema == pl.Schema(LOG_COLUMNS)


def test_values_are_in_their_domains(generated: GeneratedLog) -> None:
    """Ids are in range, every viewer appears, days are "1".."30", times are hh:mm, asset types are the four."""
    frame = generated.frame
    assert frame["user_id"].unique().sort().to_list() == list(range(1, 5_001))
    assert frame["show_id"].min() >= 1 and frame["show_id"].max() <= 13_349  # type: ignore[operator]
    assert set(frame["day"].unique()) == {str(day) for day in range(1, 31)}
    assert frame["time"].str.contains(r"^([01]\d|2[0-3]):[0-5]\d$").all()
    assert set(frame["asset_type"].unique()) == set(ASSET_TYPES)
    assert frame["watch_minutes"].min() >= 1  # type: ignore[operator]


def test_same_seed_same_log_other_seed_other_log() -> None:
    """The same config gives an identical frame; another seed a different one."""
    first = generate_log(GeneratorConfig(users=300, seed=3)).frame
    assert_frame_equal(first, generate_log(GeneratorConfig(users=300, seed=3)).frame)
    assert not first.equals(generate_log(GeneratorConfig(users=300, seed=4)).frame)


def test_oracle_does_not_change_the_log() -> None:
    """Asking for the oracle leaves the log identical."""
    config = GeneratorConfig(users=300, seed=5)
    assert_frame_equal(generate_log(config).frame, generate_log(config, oracle=True).frame)


def test_plays_strictly_increase_in_time_per_viewer(timed: pl.DataFrame) -> None:
    """Rows are in user order and each viewer's plays have strictly increasing (day, time)."""
    assert timed["user_id"].is_sorted()
    step = timed.select((pl.col("minute").diff().over("user_id")).alias("step"))["step"].drop_nulls()
    assert step.min() >= 1  # type: ignore[operator]


def test_session_ids_increase_with_time(timed: pl.DataFrame) -> None:
    """Sessions numbered in order of their start hold several plays each on average and start in id order."""
    sessions = timed.group_by("playback_session_id").agg(pl.col("minute").min(), pl.len(), pl.col("user_id").n_unique())
    assert sessions["user_id"].max() == 1
    assert sessions.sort("playback_session_id")["minute"].is_sorted()
    assert 1.8 <= timed.height / sessions.height <= 4.0


def test_episodes_belong_to_their_show(generated: GeneratedLog) -> None:
    """Every episode id lies in its show's range of episode ids."""
    catalogue = generated.catalogue
    show = generated.frame["show_id"].to_numpy()
    episode = generated.frame["episode_id"].to_numpy()
    first = catalogue.first_episode_id[show]
    assert np.all((episode >= first) & (episode < first + catalogue.episodes[show]))


def test_channel_plays_are_programmes_at_their_hour(generated: GeneratedLog) -> None:
    """A CHANNEL play is of a live programme and starts in the hour the programme airs."""
    channel = generated.frame.filter(pl.col("asset_type") == "CHANNEL")
    show = channel["show_id"].to_numpy()
    hour = channel["time"].str.slice(0, 2).cast(pl.Int32).to_numpy()
    assert np.all(generated.catalogue.kind[show] == PROGRAMME)
    assert np.array_equal(hour, generated.catalogue.air_hour[show])


def test_top_one_percent_of_shows_take_20_to_40_percent(stats: LogStats) -> None:
    """Popularity is heavy-tailed: the top 1% of shows hold 20-40% of plays."""
    assert 0.20 <= stats.top_1pct_show_share <= 0.40


def test_plays_per_viewer_are_heavy_tailed(stats: LogStats) -> None:
    """Plays per viewer: p20 in 15-25, median 40-90, p90 150-400."""
    assert 15 <= stats.plays_per_viewer_p20 <= 25
    assert 40 <= stats.plays_per_viewer_p50 <= 90
    assert 150 <= stats.plays_per_viewer_p90 <= 400


def test_binge_and_discovery_rates(stats: LogStats) -> None:
    """40-70% of consecutive plays continue the same show; 10-20% of plays are a show new to the viewer."""
    assert stats.binge_rate is not None and 0.40 <= stats.binge_rate <= 0.70
    assert 0.10 <= stats.new_show_rate <= 0.20


def test_asset_type_mix(stats: LogStats) -> None:
    """VOD leads, live TV and recordings are common, LOOKBACK is rare."""
    shares = stats.asset_type_shares
    assert shares["VOD"] > 0.4
    assert shares["CHANNEL"] > 0.1 and shares["RECORDING"] > 0.1
    assert 0.0 < shares["LOOKBACK"] < 0.03


def test_viewers_prefer_asset_types(generated: GeneratedLog) -> None:
    """Some viewers mostly watch live TV, others mostly recordings (over 60% of their plays)."""
    per_viewer = (
        generated.frame.group_by("user_id")
        .agg(
            (pl.col("asset_type") == "CHANNEL").mean().alias("live"),
            (pl.col("asset_type") == "RECORDING").mean().alias("recorded"),
            pl.len(),
        )
        .filter(pl.col("len") >= 20)
    )
    assert (per_viewer["live"] > 0.6).mean() > 0.03  # type: ignore[operator]
    assert (per_viewer["recorded"] > 0.6).mean() > 0.03  # type: ignore[operator]


def test_watch_minutes_follow_lengths(generated: GeneratedLog, stats: LogStats) -> None:
    """Most plays watch up to the asset's length; 3-12% stop within 1-5 minutes; a few run over 1,440."""
    frame = generated.frame
    length = generated.catalogue.length[frame["show_id"].to_numpy()]
    minutes = frame["watch_minutes"].to_numpy()
    assert np.mean(minutes <= length) > 0.99
    assert 0.03 <= np.mean(minutes <= 5) <= 0.12
    assert 0.0 < stats.watch_minutes_over_1440_share < 0.005


def test_daily_rhythm(timed: pl.DataFrame) -> None:
    """Plays peak in the evening (19-22 h) and weekend days carry more plays than weekdays."""
    by_hour = timed.group_by((pl.col("minute") // 60 % 24).alias("hour")).len().sort("len", descending=True)
    assert 19 <= by_hour["hour"][0] <= 22
    weekday = (pl.col("minute") // 1440) % 7  # day 1 is a Monday
    by_day = timed.group_by(weekday.alias("weekday"), (pl.col("minute") // 1440).alias("day")).len()
    weekend = by_day.filter(pl.col("weekday") >= 5)["len"].mean()
    working = by_day.filter(pl.col("weekday") <= 3)["len"].mean()
    assert weekend > 1.2 * working  # type: ignore[operator]


def test_oracle_rows(generated: GeneratedLog) -> None:
    """The oracle scores every viewer's last play and 1% of plays, with 10 distinct shows each."""
    oracle = generated.oracle
    assert oracle is not None
    assert oracle.filter(pl.col("is_last_play")).height == 5_000
    assert oracle.filter(pl.col("is_sampled")).height == round(0.01 * generated.frame.height)
    tops = oracle["top_show_ids"]
    assert (tops.list.len() == 10).all() and (tops.list.n_unique() == 10).all()


def test_log_end_does_not_pile_up(timed: pl.DataFrame) -> None:
    """The log's last 10 minutes hold no more plays than the same 10 minutes of the day before, give or take."""
    end = 30 * 1440
    last = timed.filter(pl.col("minute") >= end - 10).height
    day_before = timed.filter((pl.col("minute") >= end - 1440 - 10) & (pl.col("minute") < end - 1440)).height
    assert last <= 2 * day_before + 10
