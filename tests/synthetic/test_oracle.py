"""The oracle: exactly the generator's next-show distribution, ranked; and its recall against a log."""

import numpy as np
import polars as pl
import pytest

from nextwatch.errors import InvalidInputError
from nextwatch.schema import LOG_COLUMNS
from nextwatch.synthetic import ORACLE_COLUMNS, oracle_recall
from nextwatch.synthetic.catalogue import PROGRAMME, SERIES, Catalogue, build_catalogue
from nextwatch.synthetic.choice import ChoiceState, choose_shows
from nextwatch.synthetic.oracle import next_show_probabilities, oracle_top_shows
from nextwatch.synthetic.viewers import FOLLOW_SLOTS


def random_states(catalogue: Catalogue, m: int, seed: int) -> ChoiceState:
    """Viewers in every kind of state: with and without a current show, followed series and a habit."""
    rng = np.random.default_rng(seed)
    series = np.flatnonzero(catalogue.kind == SERIES).astype(np.int32)
    programmes = np.flatnonzero(catalogue.kind == PROGRAMME).astype(np.int32)
    current = np.where(rng.random(m) < 0.8, rng.integers(1, catalogue.shows + 1, m), 0).astype(np.int32)
    count = rng.integers(0, FOLLOW_SLOTS + 1, m).astype(np.int32)
    followed = np.zeros((m, FOLLOW_SLOTS), dtype=np.int32)
    for row in range(m):
        followed[row, : count[row]] = rng.choice(series, size=count[row], replace=False)
    # Half the viewers currently watch one of their followed series, so terms add up on one show.
    mixed = (rng.random(m) < 0.5) & (count > 0)
    current[mixed] = followed[mixed, 0]
    return ChoiceState(
        taste=rng.dirichlet(np.full(catalogue.genres, 0.7), m) + 1e-3,
        current_show=current,
        current_episode=(1 + rng.random(m) * catalogue.episodes[current]).astype(np.int32),
        followed=followed,
        followed_count=count,
        hour=rng.integers(0, 24, m).astype(np.int32),
        habit_show=np.where(rng.random(m) < 0.5, rng.choice(programmes, m), 0).astype(np.int32),
        in_session=rng.random(m) < 0.6,
        binge=rng.random(m),
        live_share=rng.random(m),
        discovery_share=rng.random(m),
    )


def normalised_taste(state: ChoiceState) -> ChoiceState:
    taste = state.taste / state.taste.sum(axis=1, keepdims=True)
    return ChoiceState(**{**state.__dict__, "taste": taste})


@pytest.fixture(scope="module", params=[120, 3_000])
def catalogue(request: pytest.FixtureRequest) -> Catalogue:
    return build_catalogue(request.param, 30, np.random.default_rng(11))


def test_distribution_sums_to_one(catalogue: Catalogue) -> None:
    """Over every show, the next-play probabilities of each viewer sum to 1."""
    state = normalised_taste(random_states(catalogue, 200, seed=1))
    everything = np.arange(1, catalogue.shows + 1, dtype=np.int32)
    totals = next_show_probabilities(state, catalogue, everything).sum(axis=1)
    np.testing.assert_allclose(totals, 1.0, rtol=1e-9)


def test_top_shows_are_the_top_of_the_full_distribution(catalogue: Catalogue) -> None:
    """The oracle's candidate shortcut gives the same 10 shows, in order, as ranking every show."""
    state = normalised_taste(random_states(catalogue, 300, seed=2))
    everything = np.arange(1, catalogue.shows + 1, dtype=np.int32)
    probability = next_show_probabilities(state, catalogue, everything)
    expected = np.array([everything[np.lexsort((everything, -row))][:10] for row in probability])
    np.testing.assert_array_equal(oracle_top_shows(state, catalogue), expected)


def test_sampler_draws_from_the_oracle_distribution() -> None:
    """Shows drawn by the simulation's sampler have the frequencies the oracle's distribution gives."""
    catalogue = build_catalogue(150, 30, np.random.default_rng(12))
    states = normalised_taste(random_states(catalogue, 4, seed=3))
    draws = 100_000
    rows = np.repeat(np.arange(4), draws)
    shows, _, _ = choose_shows(states.take(rows), catalogue, np.random.default_rng(4))
    everything = np.arange(1, catalogue.shows + 1, dtype=np.int32)
    probability = next_show_probabilities(states, catalogue, everything)
    for viewer in range(4):
        drawn = shows[rows == viewer]
        frequency = np.bincount(drawn, minlength=catalogue.shows + 1)[1:] / draws
        np.testing.assert_allclose(frequency, probability[viewer], atol=0.006)


def hand_log() -> pl.DataFrame:
    # Viewer 1 plays shows 5, 6, 7 on days "2", "9", "10" (in that order only as numbers); viewer 2 plays 8, 9.
    rows = [
        (1, 3, 7, "VOD", 70, "10", "20:00", 30),
        (1, 1, 5, "VOD", 50, "2", "20:00", 30),
        (1, 2, 6, "VOD", 60, "9", "20:00", 30),
        (2, 4, 8, "VOD", 80, "1", "21:00", 30),
        (2, 5, 9, "VOD", 90, "1", "22:00", 30),
    ]
    return pl.DataFrame(rows, schema=LOG_COLUMNS, orient="row")


def hand_oracle(rows: list[tuple[int, int, bool, bool, list[int]]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=ORACLE_COLUMNS, orient="row")


def test_recall_on_a_hand_made_case() -> None:
    """Last plays: viewer 1's show 7 is listed, viewer 2's show 9 is not (1/2); sampled: 1 hit of 3."""
    oracle = hand_oracle(
        [
            (1, 2, True, False, [7, 1, 2]),
            (2, 1, True, True, [1, 2, 3]),
            (1, 0, False, True, [4, 5]),
            (1, 1, False, True, [2, 3]),
        ]
    )
    recall = oracle_recall(hand_log(), oracle)
    assert recall == {
        "last_play_recall@10": 0.5,
        "sampled_recall@10": pytest.approx(1 / 3),
        "last_plays": 2,
        "sampled_plays": 3,
    }


def test_recall_refuses_a_play_missing_from_the_log() -> None:
    """An oracle row for a play the log does not have is an input error."""
    with pytest.raises(InvalidInputError, match="user 2 play 5"):
        oracle_recall(hand_log(), hand_oracle([(2, 5, True, False, [1])]))
