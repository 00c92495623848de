"""learning_rate_at: warmup, constant and cosine values as a pure function of the step."""

import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nextwatch.training.schedule import learning_rate_at


def test_constant_with_warmup() -> None:
    """Warmup climbs linearly to the base rate at step warmup-1, then the rate holds."""
    assert [learning_rate_at(s, 0.1, 10, "constant", warmup_steps=4) for s in range(6)] == pytest.approx(
        [0.025, 0.05, 0.075, 0.1, 0.1, 0.1]
    )


def test_cosine_without_warmup() -> None:
    """Cosine starts at the base rate, is half of it half way, and nears 0 at the last step."""
    rates = [learning_rate_at(s, 1.0, 4, "cosine") for s in range(4)]
    expected = [1.0, 0.5 * (1 + math.cos(math.pi / 4)), 0.5, 0.5 * (1 + math.cos(3 * math.pi / 4))]
    assert rates == pytest.approx(expected)


@given(
    total=st.integers(1, 500),
    warmup=st.integers(0, 100),
    base=st.floats(1e-6, 10.0),
)
def test_cosine_stays_in_range_and_never_rises_after_warmup(total: int, warmup: int, base: float) -> None:
    """Every rate is in (0, base]; after the warmup the cosine rate never rises."""
    rates = [learning_rate_at(s, base, total, "cosine", warmup) for s in range(total)]
    assert all(0.0 < rate <= base * (1 + 1e-12) for rate in rates)
    after = rates[warmup:]
    assert all(later <= earlier + 1e-12 for earlier, later in itertools.pairwise(after))
