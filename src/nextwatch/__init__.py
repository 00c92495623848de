"""nextwatch: predict the next TV show a viewer will watch."""

from __future__ import annotations

from nextwatch.errors import NextwatchError

__all__ = ["NextwatchError", "__version__"]

__version__ = "0.1.0"
