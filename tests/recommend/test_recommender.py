"""The Recommender on a tiny hand-built checkpoint: rankings, exclusion, cold start, unknown shows, batching."""

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from nextwatch.checkpoint import Checkpoint
from nextwatch.errors import CheckpointError, InvalidInputError, InvalidOptionError, UnknownShowError
from nextwatch.recommend import Recommendation, Recommender

# The tiny checkpoint of tests/conftest.py.
SHOW_IDS = (10, 20, 30, 40, 50, 60)
USER_IDS = (3, 8, 11)
SEEN = {3: (10, 30), 8: (20,), 11: (10, 20, 40, 50)}
POPULAR = (40, 10, 20)


@pytest.fixture(scope="module")
def recommender(tiny_checkpoint_path: Path) -> Recommender:
    return Recommender.from_checkpoint(tiny_checkpoint_path)


def _model_order(recommender: Recommender, user_id: int) -> list[int]:
    """The show ids by the model's own logits for a known viewer, best first, ties to the smaller id."""
    viewers = recommender.checkpoint.viewers
    row = viewers.row_of(user_id)
    assert row is not None
    with torch.inference_mode():
        logits = recommender._model.predict(
            viewers.show_index[row : row + 1], viewers.asset_index[row : row + 1], viewers.minutes[row : row + 1]
        )[0, 1:]
    order = sorted(range(len(SHOW_IDS)), key=lambda i: (-float(logits[i]), i))
    return [SHOW_IDS[i] for i in order]


def test_from_checkpoint_loads_the_model_in_eval_mode(tiny_checkpoint_path: Path) -> None:
    """A recommender loaded from a file has an eval-mode model and the checkpoint's viewers."""
    loaded = Recommender.from_checkpoint(tiny_checkpoint_path)
    assert not loaded._model.training
    assert loaded.known_user_ids.tolist() == sorted(USER_IDS)
    assert loaded.num_shows == 6


def test_damaged_viewer_tensors_are_a_checkpoint_error(tiny_checkpoint: Checkpoint) -> None:
    """Viewer windows that index past the vocabulary are refused at load, not at the first request."""
    good = tiny_checkpoint
    bad_viewers = dataclasses.replace(good.viewers, show_index=good.viewers.show_index + 7)
    with pytest.raises(CheckpointError, match=r"show_index outside 0\.\.6"):
        Recommender(dataclasses.replace(good, viewers=bad_viewers))


def test_rank_all_is_a_permutation_of_every_show(recommender: Recommender) -> None:
    """rank_all lists every show id exactly once and never the padding index, for known and unknown viewers."""
    for user_id in (*USER_IDS, 999):
        ranking = recommender.rank_all(user_id)
        assert sorted(ranking) == list(SHOW_IDS)


def test_rank_all_follows_the_model_scores(recommender: Recommender) -> None:
    """A known viewer's ranking is the model's logits in descending order."""
    assert list(recommender.rank_all(3)) == _model_order(recommender, 3)


def test_recommend_is_the_head_of_the_ranking_with_descending_probabilities(recommender: Recommender) -> None:
    """recommend(k) is the first k of rank_all, with probabilities that are descending and sum to 1 over all shows."""
    answer = recommender.recommend(8, k=3)
    assert answer.show_ids == recommender.rank_all(8)[:3]
    assert answer.cold_start is False and answer.user_id == 8
    assert list(answer.scores) == sorted(answer.scores, reverse=True)
    assert math.isclose(sum(recommender.recommend(8, k=6).scores), 1.0, rel_tol=1e-5)


def test_exclude_seen_removes_exactly_the_seen_shows(recommender: Recommender) -> None:
    """With exclude_seen, a known viewer's answer is the ranking without their seen shows, nothing more removed."""
    for user_id in USER_IDS:
        expected = [s for s in recommender.rank_all(user_id) if s not in SEEN[user_id]]
        assert list(recommender.recommend(user_id, k=6, exclude_seen=True).show_ids) == expected


def test_unknown_viewer_is_a_cold_start_with_popular_shows(recommender: Recommender) -> None:
    """An unknown viewer gets the popular shows then the rest by ascending id, scored P - position, marked cold."""
    answer = recommender.recommend(999, k=6)
    assert answer == Recommendation(
        show_ids=(40, 10, 20, 30, 50, 60), scores=(3.0, 2.0, 1.0, 0.0, 0.0, 0.0), cold_start=True, user_id=999
    )
    assert recommender.rank_all(999) == (40, 10, 20, 30, 50, 60)
    assert recommender.recommend(-5, k=3).show_ids == POPULAR


def test_huge_and_negative_viewer_ids_are_cold_starts(recommender: Recommender) -> None:
    """Ids outside int64 or negative are unknown viewers, not an overflow."""
    assert recommender.recommend(2**80, k=2).cold_start
    assert recommender.recommend(-(2**70), k=2).cold_start


def test_empty_history_is_a_cold_start(recommender: Recommender) -> None:
    """recommend_history([]) answers the popular shows with cold_start=True and no user id."""
    answer = recommender.recommend_history([], k=2, exclude_seen=True)
    assert answer == Recommendation(show_ids=(40, 10), scores=(3.0, 2.0), cold_start=True, user_id=None)


def test_history_of_a_known_viewer_matches_recommend(recommender: Recommender) -> None:
    """Posting a viewer's own window gives the same answer as asking by id."""
    by_id = recommender.recommend(3, k=6)
    by_history = recommender.recommend_history([10, 30], ["VOD", "CHANNEL"], [6, 7], k=6)
    assert by_history.show_ids == by_id.show_ids
    assert by_history.scores == pytest.approx(by_id.scores, rel=1e-5)


def test_history_keeps_only_the_newest_window(recommender: Recommender) -> None:
    """Plays older than the window do not change the answer (window 3)."""
    newest = recommender.recommend_history([20, 40, 50], k=6)
    longer = recommender.recommend_history([60, 30, 10, 20, 40, 50], k=6)
    assert longer.show_ids == newest.show_ids


def test_history_exclude_seen_removes_exactly_the_history(recommender: Recommender) -> None:
    """exclude_seen on a history removes every show of the whole history, older than the window included."""
    history = [60, 30, 10, 20]
    full = recommender.recommend_history(history, k=6)
    excluded = recommender.recommend_history(history, k=6, exclude_seen=True)
    assert list(excluded.show_ids) == [s for s in full.show_ids if s not in history]


def test_missing_minutes_default_to_the_checkpoint_median(recommender: Recommender) -> None:
    """watch_minutes=None means the median minutes of the checkpoint windows (7: windows 5 | 6,7 | 40,50,60 → 7)."""
    assert recommender.default_watch_minutes == 7.0
    default = recommender.recommend_history([10, 30], ["VOD", "CHANNEL"], k=6)
    explicit = recommender.recommend_history([10, 30], ["VOD", "CHANNEL"], [7, 7], k=6)
    assert default == explicit


def test_unknown_shows_in_a_history_raise_naming_them(recommender: Recommender) -> None:
    """Every show id outside the vocabulary (negative and beyond int64 included) is named in UnknownShowError."""
    with pytest.raises(UnknownShowError, match=r"\[-1, 15, 1208925819614629174706176\]"):
        recommender.recommend_history([10, 15, -1, 2**80, 15], k=3)


def test_mismatched_lengths_and_bad_minutes_are_refused(recommender: Recommender) -> None:
    """asset_types/watch_minutes of another length, or negative/NaN minutes, raise InvalidInputError."""
    with pytest.raises(InvalidInputError, match="asset_types has 1 entries but show_ids has 2"):
        recommender.recommend_history([10, 20], asset_types=["VOD"], k=3)
    with pytest.raises(InvalidInputError, match="watch_minutes has 3 entries"):
        recommender.recommend_history([10, 20], watch_minutes=[1, 2, 3], k=3)
    with pytest.raises(InvalidInputError, match="finite and >= 0"):
        recommender.recommend_history([10, 20], watch_minutes=[1, float("nan")], k=3)
    with pytest.raises(InvalidInputError, match="finite and >= 0"):
        recommender.recommend_history([10, 20], watch_minutes=[-1, 2], k=3)


def test_minutes_are_capped_like_ingestion(recommender: Recommender) -> None:
    """Minutes above 1440 score as 1440."""
    assert recommender.recommend_history([10], watch_minutes=[10**9], k=6) == recommender.recommend_history(
        [10], watch_minutes=[1440], k=6
    )


@pytest.mark.parametrize("k", [0, -1, 7])
def test_k_outside_one_to_num_shows_is_refused(recommender: Recommender, k: int) -> None:
    """k must lie in 1..num_shows for every entry point."""
    for call in (
        lambda: recommender.recommend(3, k=k),
        lambda: recommender.recommend_history([10], k=k),
        lambda: recommender.recommend_many([3], k=k),
        lambda: recommender.similar_shows(10, k=k),
    ):
        with pytest.raises(InvalidOptionError, match="k must be between 1 and the 6 shows"):
            call()


def test_recommend_many_matches_recommend_one_by_one(recommender: Recommender) -> None:
    """Batched answers equal the single ones, in the order asked, unknown viewers included."""
    asked = [11, 999, 3, 8, 3]
    many = recommender.recommend_many(asked, k=4, exclude_seen=True, batch_size=2)
    single = [recommender.recommend(user_id, k=4, exclude_seen=True) for user_id in asked]
    assert [a.show_ids for a in many] == [s.show_ids for s in single]
    assert [a.cold_start for a in many] == [False, True, False, False, False]
    for a, s in zip(many, single, strict=True):
        assert a.scores == pytest.approx(s.scores, rel=1e-5)


def test_recommend_known_trims_rows_when_exclusion_leaves_fewer_than_k(recommender: Recommender) -> None:
    """Viewer 11 saw 4 of 6 shows, so with exclude_seen and k=6 its row holds only the other 2."""
    (batch,) = list(recommender.recommend_known(k=6, exclude_seen=True))
    assert batch.user_ids.tolist() == [3, 8, 11]
    assert np.diff(batch.offsets).tolist() == [4, 5, 2]
    assert sorted(batch.show_ids[batch.offsets[2] :].tolist()) == [30, 60]


def test_similar_shows_are_by_cosine_of_show_embeddings(recommender: Recommender) -> None:
    """similar_shows ranks the other shows by cosine similarity of their embeddings, never the show itself."""
    weights = recommender._model.show_embedding.weight.detach()[1:]
    unit = weights / weights.norm(dim=1, keepdim=True)
    cosine = (unit @ unit[0]).tolist()  # show 10 is index 1, row 0 here
    expected = sorted(range(1, 6), key=lambda i: -cosine[i])
    answer = recommender.similar_shows(10, k=6)
    assert answer.show_ids == tuple(SHOW_IDS[i] for i in expected)
    assert answer.scores == pytest.approx([cosine[i] for i in expected], abs=1e-5)


def test_similar_shows_of_an_unknown_show_raises(recommender: Recommender) -> None:
    """An unknown show id is an UnknownShowError."""
    with pytest.raises(UnknownShowError, match=r"\[15\]"):
        recommender.similar_shows(15, k=3)


@settings(max_examples=40, deadline=None)
@given(
    history=st.lists(st.sampled_from(SHOW_IDS), max_size=8),
    k=st.integers(1, 6),
    exclude_seen=st.booleans(),
)
def test_history_answers_are_distinct_known_shows_outside_the_history(
    recommender: Recommender, history: list[int], k: int, exclude_seen: bool
) -> None:
    """Any history gives at most k distinct shows, with exclude_seen none of the history, scores descending."""
    answer = recommender.recommend_history(history, k=k, exclude_seen=exclude_seen)
    assert len(set(answer.show_ids)) == len(answer.show_ids)
    assert set(answer.show_ids) <= set(SHOW_IDS)
    if exclude_seen:
        assert not set(answer.show_ids) & set(history)
        assert len(answer.show_ids) == min(k, 6 - len(set(history))) if history else k
    else:
        assert len(answer.show_ids) == k
    assert list(answer.scores) == sorted(answer.scores, reverse=True)
    assert answer.cold_start == (not history)


def test_package_exports_recommender_lazily() -> None:
    """`from nextwatch import Recommender` gives the class, and it is in __all__."""
    import nextwatch

    assert nextwatch.Recommender is Recommender
    assert "Recommender" in nextwatch.__all__
