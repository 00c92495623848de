"""GeneratorConfig: sizes are validated when the config is made."""

import pytest

from nextwatch.errors import InvalidOptionError
from nextwatch.synthetic import GeneratorConfig


def test_defaults_are_the_reference_log() -> None:
    """The defaults are 100,000 viewers, 30 days, 13,349 shows and seed 42."""
    config = GeneratorConfig()
    assert (config.users, config.days, config.shows, config.seed) == (100_000, 30, 13_349, 42)


@pytest.mark.parametrize(
    ("field", "value"),
    [("users", 0), ("users", -5), ("days", 0), ("shows", 99), ("seed", -1), ("users", 2.5), ("days", True)],
)
def test_bad_sizes_are_refused(field: str, value: object) -> None:
    """A non-positive, too small or non-integer size raises InvalidOptionError naming the field."""
    with pytest.raises(InvalidOptionError, match=field):
        GeneratorConfig(**{field: value})  # type: ignore[arg-type]


def test_oracle_sample_rate_must_be_a_share() -> None:
    """An oracle sample rate outside [0, 1] is refused."""
    with pytest.raises(InvalidOptionError, match="oracle_sample_rate"):
        GeneratorConfig(oracle_sample_rate=1.5)
