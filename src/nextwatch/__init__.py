"""nextwatch: predict the next TV show a viewer will watch."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nextwatch.errors import NextwatchError

if TYPE_CHECKING:
    from nextwatch.recommend import Recommender

__all__ = ["NextwatchError", "Recommender", "__version__"]

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # Recommender imports torch; `import nextwatch` (and `nextwatch --help`) should not pay for it.
    if name == "Recommender":
        from nextwatch.recommend import Recommender

        return Recommender
    raise AttributeError(f"module 'nextwatch' has no attribute {name!r}")
